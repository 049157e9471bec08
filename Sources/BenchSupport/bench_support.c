#include "bench_support.h"

int bench_noop(lua_State *L) {
    (void)L;
    return 0;
}
