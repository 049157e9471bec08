#ifndef MOONWATCH_BENCH_SUPPORT_H
#define MOONWATCH_BENCH_SUPPORT_H
#include <lua.h>
/* Opens the library `cbench` = {noop = a plain C function that does nothing}:
   the reference a Swift-bound function is measured against. */
int bench_open(lua_State *L);
#endif
