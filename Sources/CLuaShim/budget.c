/* The instruction budget: the count hook for Lua code, mw_charge for work done
   inside one C library call, where the hook never fires. */
#include "internal.h"

#include <stdio.h>

/* The count hook fires every MW_HOOK_STEP instructions: rare enough to cost
   nothing measurable, often enough to stop a runaway loop promptly. */
#define MW_HOOK_STEP 1000

void mw_start_abort(mw_vm *vm, lua_State *L, int level) {
    if (vm->aborting) return;
    vm->aborting = 1;
    mw_push_script_where(L, level);
    const char *where = lua_tostring(L, -1);
    snprintf(vm->abort_where, sizeof vm->abort_where, "%s", where ? where : "?");
    lua_pop(L, 1);
}

void mw_count_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    mw_vm *vm = mw_getvm(L);
    vm->executed += MW_HOOK_STEP;
    if (vm->budget <= 0 || vm->executed <= vm->budget) return;
    mw_start_abort(vm, L, 0);
    /* Yielding cannot be caught by pcall: the scheduler ends the task. Where no
       yield is possible, raise; the next hook raises again until one is. */
    if (mw_canwait(L)) {
        lua_yield(L, 0);
        return;
    }
    mw_pushbudgeterror(L);
    lua_error(L);
}

void mw_sethook(lua_State *L) {
    if (mw_getvm(L)->budget > 0) lua_sethook(L, mw_count_hook, LUA_MASKCOUNT, MW_HOOK_STEP);
}

void mw_charge(lua_State *L, lua_Integer steps) {
    mw_vm *vm = mw_getvm(L);
    if (vm->budget <= 0 || steps <= 0) return;
    /* Saturate: a charge for an absurd range must not wrap into credit. */
    if (steps > vm->budget - vm->executed) vm->executed = vm->budget + 1;
    else vm->executed += steps;
    if (vm->executed <= vm->budget) return;
    /* A C function is guaranteed LUA_MINSTACK free slots, but its own pushes may have used them. */
    if (!lua_checkstack(L, 4)) lua_settop(L, 0);
    /* Level 1: the script line that called the library function. */
    mw_start_abort(vm, L, 1);
    mw_pushbudgeterror(L);
    lua_error(L);
}
