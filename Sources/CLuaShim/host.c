/* Host functions: the trampoline between Lua and Swift (docs/lua-boundary.md rule 1). */
#include "internal.h"

char mw_host_marker;

/* Runs after the scheduler resumes a coroutine suspended by a host function,
   with (true, results...) or (false, error) above the function's own stack. */
static int host_continue(lua_State *L, int status, lua_KContext base) {
    (void)status;
    luaL_checkstack(L, 3, "too many results");
    mw_markhostwait(L, 0);
    int top = lua_gettop(L);
    if (top > (int)base && lua_toboolean(L, (int)base + 1)) return top - (int)base - 1;
    lua_settop(L, (int)base + 2);
    return mw_raise_host_error(L);
}

static int mw_trampoline(lua_State *L) {
    mw_binding *binding = lua_touserdata(L, lua_upvalueindex(1));
    mw_vm *vm = binding->vm;
    int in_script = vm->in_script;
    vm->in_script = 0;
    int result = vm->dispatch(L, binding->function);
    vm->in_script = in_script;
    if (result >= 0) return result;
    if (result == MW_YIELD) {
        luaL_checkstack(L, 4, "too many results");
        mw_markhostwait(L, 1);
        int base = lua_gettop(L);
        lua_pushlightuserdata(L, &mw_host_marker);
        return lua_yieldk(L, 1, base, host_continue);
    }
    return mw_raise_host_error(L);
}

void mw_pushhostfunction(lua_State *L, mw_binding *binding) {
    lua_pushlightuserdata(L, binding);
    lua_pushcclosure(L, mw_trampoline, 1);
}

int mw_ishostyield(lua_State *co, int nres) {
    return mw_getvm(co)->aborting || (nres == 1 && lua_touserdata(co, -1) == &mw_host_marker);
}
