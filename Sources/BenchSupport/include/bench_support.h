#ifndef MOONWATCH_BENCH_SUPPORT_H
#define MOONWATCH_BENCH_SUPPORT_H
#include <lua.h>
/* A plain C function that does nothing: the reference a Swift-bound function is measured against. */
int bench_noop(lua_State *L);
#endif
