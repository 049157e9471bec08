/* The sandbox (docs/contract.md §2.6), and protected helpers for the host. */
#include "internal.h"

#include <lualib.h>
#include <lua-cjson.h>

static void open_library(lua_State *L, const char *name, lua_CFunction open) {
    luaL_requiref(L, name, open, 1);
    lua_pop(L, 1);
}

static int open_sandbox(lua_State *L) {
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

    mw_install_error_metatable(L);
    mw_install_coroutines(L);
    mw_install_guards(L);
    lua_getglobal(L, LUA_STRLIBNAME);
    mw_openpatterns(L);
    lua_pop(L, 1);

    /* Threads inherit the hook of the thread that creates them. */
    mw_sethook(L);
    return 0;
}

int mw_opensandbox(lua_State *L) {
    lua_pushcfunction(L, open_sandbox);
    return lua_pcall(L, 0, 0, 0);
}

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
    mw_vm *vm = mw_getvm(L);
    lua_pushcfunction(L, tostring_call);
    lua_pushvalue(L, idx);
    /* A __tostring is script code: under the cap and the budget, like any other. */
    mw_script_scope saved;
    mw_enter_script(vm, &saved);
    int status = lua_pcall(L, 1, 1, 0);
    mw_leave_script(vm, &saved);
    if (status != LUA_OK || lua_type(L, -1) != LUA_TSTRING) {
        lua_pop(L, 1);
        lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, idx));
    }
}
