/* Guards on the library functions that could run unbounded inside one C call,
   where the count hook never fires, or hand script code to the collector
   (docs/lua-boundary.md, "Limits"). */
#include "internal.h"

#include <string.h>

/* charge(steps): charges work a library call is about to do to the budget. */
static int guard_charge(lua_State *L) {
    lua_Number steps = lua_tonumber(L, 1);
    if (steps >= 1) mw_charge(L, steps >= 9.2e18 ? LUA_MAXINTEGER : (lua_Integer)steps);
    return 0;
}

/* refuse_gc(): a finalizer would run outside every limit (the collector runs
   it with hooks off, at any allocation, possibly inside host code). */
static int guard_refuse_gc(lua_State *L) {
    return mw_raise_sandbox(L,
        "setmetatable: a metatable with a __gc field is not allowed in scripts "
        "(finalizers would run outside the instruction budget); use a <close> variable instead");
}

/* The wrappers are Lua, so that each can end in a proper tail call: the library
   function then runs in the script's own frame, and its errors name the
   script's line exactly as they would without the guard. The cost is charged
   before the call, from the arguments: elements moved or shifted, repetitions,
   n log n comparisons. `#t` is evaluated once more than without the guard. */
static const char guards[] =
    "local charge, refuse_gc, lib_table, lib_string = ...\n"
    "local type, rawget, select, setmetatable_raw = type, rawget, select, setmetatable\n"
    "local math_type, log, pairs = math.type, math.log, pairs\n"
    "local function integer(n)\n"
    "  if math_type(n) == 'integer' then return n end\n"
    "  if math_type(n) == 'float' and n == n // 1 and n > -2^63 and n < 2^63 then return n end\n"
    "end\n"
    "local function length(t) if type(t) == 'table' or type(t) == 'userdata' then return #t end end\n"
    "function setmetatable(t, mt)\n"
    "  if type(mt) == 'table' and rawget(mt, '__gc') ~= nil then refuse_gc() end\n"
    "  return setmetatable_raw(t, mt)\n"
    "end\n"
    "local t = {}\n"
    "for k, v in pairs(lib_table) do t[k] = v end\n"
    "local concat, insert, remove, move, sort = t.concat, t.insert, t.remove, t.move, t.sort\n"
    "function t.concat(list, sep, i, j)\n"
    "  local first, last = integer(i or 1), integer(j) or (j == nil and length(list))\n"
    "  if first and last then charge(last - first + 1) end\n"
    "  return concat(list, sep, i, j)\n"
    "end\n"
    "function t.insert(list, ...)\n"
    "  local pos = select('#', ...) == 2 and integer((...))\n"
    "  local n = pos and length(list)\n"
    "  if n and type(n) == 'number' then charge(n - pos + 1) end\n"
    "  return insert(list, ...)\n"
    "end\n"
    "function t.remove(list, ...)\n"
    "  local n = length(list)\n"
    "  local pos = integer(select('#', ...) > 0 and (...) or n)\n"
    "  if pos and type(n) == 'number' then charge(n - pos + 1) end\n"
    "  return remove(list, ...)\n"
    "end\n"
    "function t.move(a1, f, e, ...)\n"
    "  f, e = integer(f), integer(e)\n"
    "  if f and e then charge(e - f + 1) end\n"
    "  return move(a1, f, e, ...)\n"
    "end\n"
    "function t.sort(list, ...)\n"
    "  local n = length(list)\n"
    "  if type(n) == 'number' and n > 1 then charge(n * (1 + log(n, 2))) end\n"
    "  return sort(list, ...)\n"
    "end\n"
    "table = t\n"
    "local s = {}\n"
    "for k, v in pairs(lib_string) do s[k] = v end\n"
    "local rep = s.rep\n"
    "function s.rep(text, n, ...)\n"
    "  local count = integer(n)\n"
    "  if count then charge(count) end\n"
    "  return rep(text, n, ...)\n"
    "end\n"
    "string = s\n"
    "return s\n";

void mw_install_guards(lua_State *L) {
    if (luaL_loadbufferx(L, guards, sizeof guards - 1, "=[moonwatch guards]", "t") != LUA_OK) lua_error(L);
    lua_pushcfunction(L, guard_charge);
    lua_pushcfunction(L, guard_refuse_gc);
    lua_getglobal(L, LUA_TABLIBNAME);
    lua_getglobal(L, LUA_STRLIBNAME);
    lua_call(L, 4, 1);
    /* Method calls on strings ("x"):rep(n) go through the guarded table too. */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushliteral(L, "__index");
    lua_pushvalue(L, -4);
    lua_rawset(L, -3);
    lua_pop(L, 3);
}
