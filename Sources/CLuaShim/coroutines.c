/* coroutine.resume / coroutine.wrap that let host yields through
   (docs/lua-boundary.md rule 5), and closing what a canceled task waits in. */
#include "internal.h"

#include <lualib.h>

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

/* The registry key of a weak-keyed table of the coroutines scripts must not
   resume themselves: the host's own (each task's coroutine, which only the
   scheduler resumes), and those suspended in a host function (their operation's
   result resumes them; a script resuming one would hand the host call made-up
   results). A task's coroutine is marked for good, so its host waits need no
   mark of their own: only script coroutines are marked while they wait. */
static char mw_reserved_key;
enum { HOST_THREAD = 1, HOST_WAIT = 2 };

/* The mark of `co` (0 for none); leaves the table on top of L. A coroutine
   whose stack is full counts as waiting: it could not be resumed anyway. */
static int get_mark(lua_State *L, lua_State *co) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &mw_reserved_key);
    if (co != L && !lua_checkstack(co, 1)) return HOST_WAIT;
    lua_pushthread(co);
    if (co != L) lua_xmove(co, L, 1);
    lua_rawget(L, -2);
    int mark = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
    return mark;
}

/* Sets the mark of L itself (0 removes it); the table is on top, and is popped. */
static void set_mark(lua_State *L, int mark) {
    lua_pushthread(L);
    if (mark) lua_pushinteger(L, mark);
    else lua_pushnil(L);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

/* Why `co` may not be resumed by a script, or NULL. */
static const char *reserved_reason(lua_State *L, lua_State *co) {
    luaL_checkstack(L, 3, "too many arguments to resume");
    int mark = get_mark(L, co);
    lua_pop(L, 1);
    if (mark == HOST_THREAD) return "cannot resume a task's coroutine (wait for it through its handle)";
    if (mark == HOST_WAIT) return "cannot resume a coroutine that waits for a host operation";
    return NULL;
}

void mw_reservethread(lua_State *co) {
    lua_rawgetp(co, LUA_REGISTRYINDEX, &mw_reserved_key);
    set_mark(co, HOST_THREAD);
}

void mw_markhostwait(lua_State *co, int waiting) {
    int mark = get_mark(co, co);
    if (mark == HOST_THREAD || (mark == HOST_WAIT) == waiting) {
        lua_pop(co, 1);
        return;
    }
    set_mark(co, waiting ? HOST_WAIT : 0);
}

static int co_resume(lua_State *L) {
    lua_State *co = lua_tothread(L, 1);
    luaL_argexpected(L, co, 1, "coroutine");
    const char *reason = reserved_reason(L, co);
    if (reason) {
        lua_pushboolean(L, 0);
        lua_pushstring(L, reason);
        return 2;
    }
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
    const char *reason = reserved_reason(L, lua_tothread(L, lua_upvalueindex(1)));
    if (reason) return luaL_error(L, "%s", reason);
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
        if (mw_resetthread(chain[i]) != LUA_OK) {
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


static void new_weak_table(lua_State *L, const void *key) {
    lua_newtable(L);
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_rawsetp(L, LUA_REGISTRYINDEX, key);
}

void mw_install_coroutines(lua_State *L) {
    new_weak_table(L, &mw_waiting_key);
    new_weak_table(L, &mw_reserved_key);

    lua_getglobal(L, LUA_COLIBNAME);
    lua_pushcfunction(L, co_resume);
    lua_setfield(L, -2, "resume");
    lua_pushcfunction(L, co_wrap);
    lua_setfield(L, -2, "wrap");
    lua_pop(L, 1);
}
