/* Error tables: where they point, how they print, the budget's error. */
#include "internal.h"

#include <string.h>

void mw_push_script_where(lua_State *L, int level) {
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
    mw_push_script_where(co, 0);
    if (lua_isnil(co, -1)) {
        lua_pop(co, 1);
        lua_pushliteral(co, "?");
    }
}

void mw_pusherror(lua_State *L, const char *kind, const char *message) {
    lua_createtable(L, 0, 4);
    lua_pushliteral(L, "kind");
    lua_pushstring(L, kind);
    lua_rawset(L, -3);
    lua_pushliteral(L, "message");
    lua_pushstring(L, message);
    lua_rawset(L, -3);
    luaL_setmetatable(L, MW_ERROR_METATABLE);
}

static int is_host_error(lua_State *L, int idx) {
    if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx)) return 0;
    luaL_getmetatable(L, MW_ERROR_METATABLE);
    int ours = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    return ours;
}

int mw_raise_host_error(lua_State *L) {
    if (is_host_error(L, -1)) {
        lua_pushliteral(L, "where");
        if (lua_rawget(L, -2) == LUA_TNIL) {
            lua_pop(L, 1);
            lua_pushliteral(L, "where");
            mw_push_script_where(L, 1);
            lua_rawset(L, -3);
        } else {
            lua_pop(L, 1);
        }
    }
    return lua_error(L);
}

int mw_raise_sandbox(lua_State *L, const char *message) {
    mw_pusherror(L, "sandbox", message);
    return mw_raise_host_error(L);
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

void mw_install_error_metatable(lua_State *L) {
    /* Locked: a script that rewrote it would change every later error. */
    mw_newlockedmetatable(L, MW_ERROR_METATABLE, "__tostring", error_tostring);
    lua_pop(L, 1);
}

void mw_pushbudgeterror(lua_State *L) {
    mw_vm *vm = mw_getvm(L);
    lua_pushfstring(L,
        "instruction budget exceeded: %I instructions ran without yielding (a runaway loop?)",
        (lua_Integer)vm->budget);
    mw_pusherror(L, "sandbox", lua_tostring(L, -1));
    lua_remove(L, -2);
    lua_pushliteral(L, "where");
    lua_pushstring(L, vm->abort_where);
    lua_rawset(L, -3);
}
