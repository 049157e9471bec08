#include "bench_support.h"

static int bench_noop(lua_State *L) {
    (void)L;
    return 0;
}

int bench_open(lua_State *L) {
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, bench_noop);
    lua_setfield(L, -2, "noop");
    return 1;
}
