#include "mw_shim.h"

#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lua-cjson.h>

/* The count hook fires every MW_HOOK_STEP instructions: rare enough to cost
   nothing measurable, often enough to stop a runaway loop promptly. */
#define MW_HOOK_STEP 1000

/* Its address marks the value a host function yields while an operation is pending. */
static char mw_host_marker;

/* ---------------------------------------------------------------------------
 * The state: allocator, panic, warnings
 */

/* Counts every byte. The cap applies only while script code runs, so that host
   code (which cannot be interrupted by a longjmp) never sees a refused allocation;
   a real out-of-memory in host code aborts rather than longjmp through Swift. */
static void *mw_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    mw_vm *vm = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        vm->used -= old;
        return NULL;
    }
    if (nsize > old && vm->in_script && vm->limit && vm->used - old + nsize > vm->limit)
        return NULL;
    void *block = realloc(ptr, nsize);
    if (block == NULL) {
        if (!vm->in_script) {
            fprintf(stderr, "moonwatch: out of memory in host code (%zu bytes in use)\n", vm->used);
            abort();
        }
        return NULL;
    }
    vm->used = vm->used - old + nsize;
    if (vm->used > vm->peak) vm->peak = vm->used;
    return block;
}

/* Every call into Lua from the host is protected, so a panic is a moonwatch bug. */
static int mw_panic(lua_State *L) {
    const char *message = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(not a string)";
    fprintf(stderr, "moonwatch: unprotected Lua error (a bug in moonwatch): %s\n", message);
    abort();
    return 0;
}

/* Joins the pieces of a warning and hands complete messages to the host,
   honouring the "@on" / "@off" control messages as lauxlib does. */
static void mw_warnf(void *ud, const char *piece, int tocont) {
    mw_vm *vm = ud;
    if (vm->warn_length == 0 && !tocont && piece[0] == '@') {
        if (strcmp(piece, "@off") == 0) vm->warn_on = 0;
        else if (strcmp(piece, "@on") == 0) vm->warn_on = 1;
        return;
    }
    size_t length = strlen(piece);
    size_t room = sizeof vm->warn_buffer - 1 - vm->warn_length;
    if (length > room) length = room;
    memcpy(vm->warn_buffer + vm->warn_length, piece, length);
    vm->warn_length += length;
    if (tocont) return;
    vm->warn_buffer[vm->warn_length] = '\0';
    vm->warn_length = 0;
    if (vm->warn_on && vm->warn) vm->warn(vm->host, vm->warn_buffer);
}

lua_State *mw_newstate(mw_vm *vm) {
    vm->warn_on = 1;
    lua_State *L = lua_newstate(mw_alloc, vm);
    if (L == NULL) return NULL;
    lua_atpanic(L, mw_panic);
    lua_setwarnf(L, mw_warnf, vm);
    return L;
}

mw_vm *mw_getvm(lua_State *L) {
    void *ud;
    lua_getallocf(L, &ud);
    return ud;
}

int mw_canwait(lua_State *L) {
    return lua_isyieldable(L) && mw_getvm(L)->chain_yieldable;
}

/* ---------------------------------------------------------------------------
 * Errors
 */

/* Pushes "file:line" of the innermost script function at or above `level` on
   L's stack, skipping moonwatch's own Lua prelude; pushes nil if there is none. */
static void push_script_where(lua_State *L, int level) {
    lua_Debug ar;
    for (; lua_getstack(L, level, &ar); level++) {
        if (!lua_getinfo(L, "Sl", &ar)) break;
        if (ar.currentline > 0 && strncmp(ar.source, "=[moonwatch", 11) != 0) {
            lua_pushfstring(L, "%s:%d", ar.short_src, ar.currentline);
            return;
        }
    }
    lua_pushnil(L);
}

void mw_pushwhere(lua_State *co) {
    push_script_where(co, 0);
    if (lua_isnil(co, -1)) {
        lua_pop(co, 1);
        lua_pushliteral(co, "?");
    }
}

void mw_pusherror(lua_State *L, const char *kind, const char *message) {
    lua_createtable(L, 0, 4);
    lua_pushstring(L, kind);
    lua_setfield(L, -2, "kind");
    lua_pushstring(L, message);
    lua_setfield(L, -2, "message");
    luaL_setmetatable(L, MW_ERROR_METATABLE);
}

static int is_host_error(lua_State *L, int idx) {
    if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx)) return 0;
    luaL_getmetatable(L, MW_ERROR_METATABLE);
    int ours = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    return ours;
}

/* Raises the value on top of L. A host error table without a position gets the
   calling script line, so argument errors point at the script, not the host. */
static int raise_host_error(lua_State *L) {
    if (is_host_error(L, -1)) {
        lua_pushliteral(L, "where");
        if (lua_rawget(L, -2) == LUA_TNIL) {
            lua_pop(L, 1);
            lua_pushliteral(L, "where");
            push_script_where(L, 1);
            lua_rawset(L, -3);
        } else {
            lua_pop(L, 1);
        }
    }
    return lua_error(L);
}

/* Pushes the field `name` of the table at index 1 as a string, or nothing. */
static int push_field_text(lua_State *L, const char *name, const char *prefix) {
    lua_pushstring(L, name);
    int type = lua_rawget(L, 1);
    if (type != LUA_TSTRING && type != LUA_TNUMBER && type != LUA_TBOOLEAN) {
        lua_pop(L, 1);
        return 0;
    }
    luaL_tolstring(L, -1, NULL);
    lua_remove(L, -2);
    lua_pushstring(L, prefix);
    lua_insert(L, -2);
    return 2;
}

/* One readable line: "where: message [kind, service=..., status=..., code=..., request_id=...]". */
static int error_tostring(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    int pieces = 0;
    lua_pushliteral(L, "where");
    if (lua_rawget(L, 1) == LUA_TSTRING) {
        lua_pushliteral(L, ": ");
        pieces += 2;
    } else {
        lua_pop(L, 1);
    }
    lua_pushliteral(L, "message");
    lua_rawget(L, 1);
    luaL_tolstring(L, -1, NULL);
    lua_remove(L, -2);
    pieces++;
    int kind = push_field_text(L, "kind", " [");
    if (kind == 0) {
        lua_pushliteral(L, " [error");
        kind = 1;
    }
    pieces += kind;
    pieces += push_field_text(L, "service", ", service=");
    pieces += push_field_text(L, "status", ", status=");
    pieces += push_field_text(L, "code", ", code=");
    pieces += push_field_text(L, "request_id", ", request_id=");
    lua_pushliteral(L, "]");
    lua_concat(L, pieces + 1);
    return 1;
}

void mw_pushbudgeterror(lua_State *L) {
    mw_vm *vm = mw_getvm(L);
    lua_pushfstring(L,
        "instruction budget exceeded: %I instructions ran without yielding (a runaway loop?)",
        (lua_Integer)vm->budget);
    mw_pusherror(L, "sandbox", lua_tostring(L, -1));
    lua_remove(L, -2);
    /* Raw: scripts can reach the error metatable, and this runs unprotected. */
    lua_pushliteral(L, "where");
    lua_pushstring(L, vm->abort_where);
    lua_rawset(L, -3);
}

/* ---------------------------------------------------------------------------
 * Host functions
 */

/* Runs after the scheduler resumes a coroutine suspended by a host function,
   with (true, results...) or (false, error) above the function's own stack. */
static int host_continue(lua_State *L, int status, lua_KContext base) {
    (void)status;
    int top = lua_gettop(L);
    if (top > (int)base && lua_toboolean(L, (int)base + 1)) return top - (int)base - 1;
    lua_settop(L, (int)base + 2);
    return raise_host_error(L);
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
        int base = lua_gettop(L);
        lua_pushlightuserdata(L, &mw_host_marker);
        return lua_yieldk(L, 1, base, host_continue);
    }
    return raise_host_error(L);
}

void mw_pushhostfunction(lua_State *L, mw_binding *binding) {
    lua_pushlightuserdata(L, binding);
    lua_pushcclosure(L, mw_trampoline, 1);
}

int mw_ishostyield(lua_State *co, int nres) {
    return mw_getvm(co)->aborting || (nres == 1 && lua_touserdata(co, -1) == &mw_host_marker);
}

/* ---------------------------------------------------------------------------
 * The instruction budget
 */

static void count_hook(lua_State *L, lua_Debug *ar) {
    mw_vm *vm = mw_getvm(L);
    vm->executed += MW_HOOK_STEP;
    if (vm->budget <= 0 || vm->executed <= vm->budget) return;
    if (!vm->aborting) {
        vm->aborting = 1;
        if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0)
            snprintf(vm->abort_where, sizeof vm->abort_where, "%s:%d", ar->short_src, ar->currentline);
        else
            snprintf(vm->abort_where, sizeof vm->abort_where, "?");
    }
    /* Yielding cannot be caught by pcall: the scheduler ends the task. Where no
       yield is possible, raise; the next hook raises again until one is. */
    if (mw_canwait(L)) {
        lua_yield(L, 0);
        return;
    }
    mw_pushbudgeterror(L);
    lua_error(L);
}

/* ---------------------------------------------------------------------------
 * coroutine.resume / coroutine.wrap that let host yields through (docs/lua-boundary.md rule 5)
 */

enum { RESUMED, FAILED, PASS_UP };

/* Resumes co with the narg values on top of L; leaves its results (or error) on L. */
static int resume_inner(lua_State *L, lua_State *co, int narg, int *nres) {
    mw_vm *vm = mw_getvm(L);
    if (!lua_checkstack(co, narg)) {
        lua_pop(L, narg);
        lua_pushliteral(L, "too many arguments to resume");
        return FAILED;
    }
    lua_xmove(L, co, narg);
    int chain = vm->chain_yieldable;
    vm->chain_yieldable = chain && lua_isyieldable(L);
    int status = lua_resume(co, L, narg, nres);
    vm->chain_yieldable = chain;
    if (status != LUA_OK && status != LUA_YIELD) {
        lua_xmove(co, L, 1);
        return FAILED;
    }
    int host = status == LUA_YIELD && mw_ishostyield(co, *nres);
    if (!lua_checkstack(L, *nres + 1)) {
        lua_pop(co, *nres);
        lua_pushliteral(L, "too many results to resume");
        return FAILED;
    }
    lua_xmove(co, L, *nres);
    return host ? PASS_UP : RESUMED;
}

/* The registry key of a weak-keyed table: for each coroutine suspended while
   passing a host yield up, the coroutine it resumed, so that a task being
   canceled can close the whole chain, not only its own coroutine. */
static char mw_waiting_key;
/* Coroutines nest at most LUAI_MAXCCALLS (200) deep. */
#define MW_MAX_WAITING 200

/* Records (co) or forgets (NULL) what L waits on. */
static void set_waiting(lua_State *L, lua_State *co) {
    luaL_checkstack(L, 3, "too many results to resume");
    lua_rawgetp(L, LUA_REGISTRYINDEX, &mw_waiting_key);
    lua_pushthread(L);
    if (co != NULL) {
        lua_pushthread(co);
        lua_xmove(co, L, 1);
    } else {
        lua_pushnil(L);
    }
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

/* co is waiting for the host (or being stopped): suspend L too, up to the scheduler,
   and resume co with whatever L is resumed with. */
static int pass_up(lua_State *L, lua_State *co, int nres, lua_KFunction k) {
    mw_vm *vm = mw_getvm(L);
    if (lua_isyieldable(L)) {
        set_waiting(L, co);
        return lua_yieldk(L, nres, 0, k);
    }
    /* Only the budget gets here: host functions refuse to start where mw_canwait is false. */
    lua_pop(L, nres);
    if (vm->aborting) mw_pushbudgeterror(L);
    else mw_pusherror(L, "sandbox", "a host operation cannot wait here (the caller cannot yield)");
    return lua_error(L);
}

static int finish_resume(lua_State *L, lua_State *co, int narg);

static int resume_continue(lua_State *L, int status, lua_KContext ctx) {
    (void)status;
    (void)ctx;
    set_waiting(L, NULL);
    return finish_resume(L, lua_tothread(L, 1), lua_gettop(L) - 1);
}

static int finish_resume(lua_State *L, lua_State *co, int narg) {
    int nres = 0;
    switch (resume_inner(L, co, narg, &nres)) {
    case RESUMED:
        lua_pushboolean(L, 1);
        lua_insert(L, -(nres + 1));
        return nres + 1;
    case FAILED:
        lua_pushboolean(L, 0);
        lua_insert(L, -2);
        return 2;
    default:
        return pass_up(L, co, nres, resume_continue);
    }
}

static int co_resume(lua_State *L) {
    lua_State *co = lua_tothread(L, 1);
    luaL_argexpected(L, co, 1, "coroutine");
    return finish_resume(L, co, lua_gettop(L) - 1);
}

static int finish_wrap(lua_State *L, int narg);

static int wrap_continue(lua_State *L, int status, lua_KContext ctx) {
    (void)status;
    (void)ctx;
    set_waiting(L, NULL);
    return finish_wrap(L, lua_gettop(L));
}

static int finish_wrap(lua_State *L, int narg) {
    lua_State *co = lua_tothread(L, lua_upvalueindex(1));
    int nres = 0;
    switch (resume_inner(L, co, narg, &nres)) {
    case RESUMED:
        return nres;
    case FAILED: {
        /* As lcorolib's auxwrap: close the dead coroutine, then propagate. */
        int status = lua_status(co);
        if (status != LUA_OK && status != LUA_YIELD) {
            status = lua_resetthread(co);
            lua_xmove(co, L, 1);
        }
        if (status != LUA_ERRMEM && lua_type(L, -1) == LUA_TSTRING) {
            luaL_where(L, 1);
            lua_insert(L, -2);
            lua_concat(L, 2);
        }
        return lua_error(L);
    }
    default:
        return pass_up(L, co, nres, wrap_continue);
    }
}

static int wrap_call(lua_State *L) {
    return finish_wrap(L, lua_gettop(L));
}

static int co_wrap(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_State *co = lua_newthread(L);
    lua_pushvalue(L, 1);
    lua_xmove(L, co, 1);
    lua_pushcclosure(L, wrap_call, 1);
    return 1;
}

int mw_closewaiting(lua_State *L, lua_State *main) {
    lua_State *chain[MW_MAX_WAITING];
    int count = 0;
    if (!lua_checkstack(main, MW_MAX_WAITING + 8)) return 0;
    int base = lua_gettop(main);
    lua_rawgetp(main, LUA_REGISTRYINDEX, &mw_waiting_key);
    for (lua_State *waiting = L; count < MW_MAX_WAITING && lua_checkstack(waiting, 1);) {
        lua_pushthread(waiting);
        lua_xmove(waiting, main, 1);
        lua_pushvalue(main, -1);
        lua_rawget(main, base + 1);
        lua_State *co = lua_tothread(main, -1);
        /* Forget the link while following it. */
        lua_pushvalue(main, -2);
        lua_pushnil(main);
        lua_rawset(main, base + 1);
        lua_remove(main, -2);
        /* Only a coroutine suspended in a yield is closed: one that runs (another
           task resumed it, and it cancels this one) has live C frames. */
        if (co == NULL || lua_status(co) != LUA_YIELD) {
            lua_pop(main, 1);
            break;
        }
        /* Its thread stays on main, so a __close handler below cannot get it collected. */
        chain[count++] = co;
        waiting = co;
    }
    /* Innermost first, as unwinding would. */
    int failures = 0;
    for (int i = count - 1; i >= 0; i--) {
        if (lua_status(chain[i]) != LUA_YIELD) continue;  /* a __close handler closed it already */
        if (lua_resetthread(chain[i]) != LUA_OK) {
            if (!lua_checkstack(main, 2)) {
                lua_pop(chain[i], 1);
                continue;
            }
            lua_xmove(chain[i], main, 1);
            mw_pushtostring(main, -1);
            lua_remove(main, -2);
            failures++;
        }
    }
    /* Drop the table and the anchors below the messages. */
    lua_rotate(main, base + 1, -(count + 1));
    lua_pop(main, count + 1);
    return failures;
}

int mw_resume(lua_State *co, lua_State *from, int narg, int *nres) {
    mw_vm *vm = mw_getvm(co);
    vm->executed = 0;
    vm->aborting = 0;
    vm->chain_yieldable = 1;
    vm->in_script = 1;
    int status = lua_resume(co, from, narg, nres);
    vm->in_script = 0;
    return status;
}

int mw_pcall(lua_State *L, int nargs, int nresults) {
    mw_vm *vm = mw_getvm(L);
    int in_script = vm->in_script;
    vm->in_script = 1;
    int status = lua_pcall(L, nargs, nresults, 0);
    vm->in_script = in_script;
    return status;
}

/* ---------------------------------------------------------------------------
 * The sandbox (docs/lua-boundary.md rule 8, docs/contract.md §2.6)
 */

static void open_library(lua_State *L, const char *name, lua_CFunction open) {
    luaL_requiref(L, name, open, 1);
    lua_pop(L, 1);
}

static int open_sandbox(lua_State *L) {
    mw_vm *vm = mw_getvm(L);
    open_library(L, LUA_GNAME, luaopen_base);
    open_library(L, LUA_STRLIBNAME, luaopen_string);
    open_library(L, LUA_TABLIBNAME, luaopen_table);
    open_library(L, LUA_MATHLIBNAME, luaopen_math);
    open_library(L, LUA_UTF8LIBNAME, luaopen_utf8);
    open_library(L, LUA_COLIBNAME, luaopen_coroutine);

    /* os: only the clock and calendar functions. */
    luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 0);
    lua_createtable(L, 0, 4);
    static const char *const os_kept[] = {"time", "clock", "date", "difftime", NULL};
    for (const char *const *name = os_kept; *name; name++) {
        lua_getfield(L, -2, *name);
        lua_setfield(L, -2, *name);
    }
    lua_setglobal(L, "os");
    lua_pop(L, 1);

    /* The prelude defines confined versions of these. */
    lua_pushnil(L);
    lua_setglobal(L, "dofile");
    lua_pushnil(L);
    lua_setglobal(L, "loadfile");

    luaopen_cjson(L);
    lua_setglobal(L, "json");

    luaL_newmetatable(L, MW_ERROR_METATABLE);
    lua_pushcfunction(L, error_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);

    lua_newtable(L);
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &mw_waiting_key);

    lua_getglobal(L, LUA_COLIBNAME);
    lua_pushcfunction(L, co_resume);
    lua_setfield(L, -2, "resume");
    lua_pushcfunction(L, co_wrap);
    lua_setfield(L, -2, "wrap");
    lua_pop(L, 1);

    /* Threads inherit the hook of the thread that creates them. */
    if (vm->budget > 0) lua_sethook(L, count_hook, LUA_MASKCOUNT, MW_HOOK_STEP);
    return 0;
}

int mw_opensandbox(lua_State *L) {
    lua_pushcfunction(L, open_sandbox);
    return lua_pcall(L, 0, 0, 0);
}

/* ---------------------------------------------------------------------------
 * Protected helpers for the host
 */

static int traceback_call(lua_State *L) {
    lua_State *co = lua_touserdata(L, 1);
    const char *message = lua_touserdata(L, 2);
    luaL_traceback(L, co, message, (int)lua_tointeger(L, 3));
    return 1;
}

void mw_pushtraceback(lua_State *L, lua_State *co, const char *msg, int level) {
    lua_pushcfunction(L, traceback_call);
    lua_pushlightuserdata(L, co);
    lua_pushlightuserdata(L, (void *)msg);
    lua_pushinteger(L, level);
    if (lua_pcall(L, 3, 1, 0) != LUA_OK) {
        lua_pop(L, 1);
        lua_pushstring(L, msg ? msg : "");
    }
}

static int tostring_call(lua_State *L) {
    luaL_tolstring(L, 1, NULL);
    return 1;
}

void mw_pushtostring(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    lua_pushcfunction(L, tostring_call);
    lua_pushvalue(L, idx);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK || lua_type(L, -1) != LUA_TSTRING) {
        lua_pop(L, 1);
        lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, idx));
    }
}
