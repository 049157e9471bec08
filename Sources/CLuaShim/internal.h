/*
 * What the shim's files share and scripts never see. Public entry points are in
 * include/mw_shim.h; the rules they keep are in docs/lua-boundary.md.
 */
#ifndef MOONWATCH_SHIM_INTERNAL_H
#define MOONWATCH_SHIM_INTERNAL_H

#include "mw_shim.h"

#include <lauxlib.h>

/* Pushes "file:line" of the innermost script function at or above `level` on
   L's stack, skipping moonwatch's own Lua; pushes nil if there is none. */
void mw_push_script_where(lua_State *L, int level);

/* Raises the value on top of L; a host error table without a position gets the
   calling script line. */
int mw_raise_host_error(lua_State *L);

/* Raises a `sandbox` error table with `message` at the calling script line. */
int mw_raise_sandbox(lua_State *L, const char *message);

/* Marks the running task as stopped by the budget and remembers where. */
void mw_start_abort(mw_vm *vm, lua_State *L, int level);

/* Installs the count hook on L when the VM has a budget; coroutines inherit it. */
void mw_sethook(lua_State *L);

/* Script code run from host code (a __tostring, a __close) runs as script code
   does: under the memory cap, with a fresh instruction budget. */
typedef struct mw_script_scope {
    int in_script;
    long long executed;
    int aborting;
} mw_script_scope;
void mw_enter_script(mw_vm *vm, mw_script_scope *saved);
void mw_leave_script(mw_vm *vm, const mw_script_scope *saved);

/* The value a host function yields while an operation is pending. */
extern char mw_host_marker;

/* Creates the metatable `tname` in the registry with `event` = `handler` and a
   lock (`__metatable`: getmetatable gives the name, setmetatable refuses);
   leaves it on top. */
void mw_newlockedmetatable(lua_State *L, const char *tname, const char *event, lua_CFunction handler);

/* Creates the locked error metatable (errors.c). */
void mw_install_error_metatable(lua_State *L);

/* Installs the guarded library functions of the sandbox (sandbox_guards.c). */
void mw_install_guards(lua_State *L);

/* Marks (1) or unmarks (0) `co` as suspended in a host function; needs 3 free slots. */
void mw_markhostwait(lua_State *co, int waiting);

/* Installs coroutine.resume/wrap that pass host yields up (coroutines.c). */
void mw_install_coroutines(lua_State *L);

#endif
