/* Guards on the library functions that could run unbounded inside one C call,
   where the count hook never fires, or hand script code to the collector
   (docs/lua-boundary.md rule 7).

   Each guard charges the work its call is about to do (elements moved or
   shifted, repetitions, n log n comparisons) to the budget with mw_charge, then
   runs the library's own function in the same frame, by its C pointer: to the
   script, and in every error message, it is the library function it called.
   Where the cost depends on `#t`, the length is taken once more than the
   library alone would (a `__len` metamethod runs twice). */
#include "internal.h"

#include <lualib.h>
#include <math.h>

/* The library function a guard stands for, kept as its upvalue. */
static int run_original(lua_State *L) {
    lua_CFunction original = lua_tocfunction(L, lua_upvalueindex(1));
    return original(L);
}

/* Argument `arg` as an integer, or `fallback` when absent; 0 in *ok when it is neither. */
static lua_Integer integer_arg(lua_State *L, int arg, lua_Integer fallback, int *ok) {
    if (lua_isnoneornil(L, arg)) return fallback;
    int isnum = 0;
    lua_Integer value = lua_tointegerx(L, arg, &isnum);
    if (!isnum) *ok = 0;
    return value;
}

/* `#t` of a table argument, or 0 in *ok for anything else (the library reports it). */
static lua_Integer length_arg(lua_State *L, int arg, int *ok) {
    if (lua_type(L, arg) != LUA_TTABLE) {
        *ok = 0;
        return 0;
    }
    return luaL_len(L, arg);
}

/* Charges last - first + 1 steps when the range is non-empty, without overflow. */
static void charge_range(lua_State *L, lua_Integer first, lua_Integer last) {
    if (last < first) return;
    lua_Unsigned span = (lua_Unsigned)last - (lua_Unsigned)first;
    mw_charge(L, span >= (lua_Unsigned)LUA_MAXINTEGER ? LUA_MAXINTEGER : (lua_Integer)span + 1);
}

static int guard_concat(lua_State *L) {
    int ok = 1;
    lua_Integer first = integer_arg(L, 3, 1, &ok);
    lua_Integer last = lua_isnoneornil(L, 4) ? length_arg(L, 1, &ok) : integer_arg(L, 4, 0, &ok);
    if (ok) charge_range(L, first, last);
    return run_original(L);
}

static int guard_insert(lua_State *L) {
    if (lua_gettop(L) == 3) {
        int ok = 1;
        lua_Integer pos = integer_arg(L, 2, 0, &ok);
        lua_Integer size = length_arg(L, 1, &ok);
        if (ok) charge_range(L, pos, size);
    }
    return run_original(L);
}

static int guard_remove(lua_State *L) {
    int ok = 1;
    lua_Integer size = length_arg(L, 1, &ok);
    lua_Integer pos = integer_arg(L, 2, size, &ok);
    if (ok) charge_range(L, pos, size);
    return run_original(L);
}

static int guard_move(lua_State *L) {
    int ok = 1;
    lua_Integer first = integer_arg(L, 2, 0, &ok);
    lua_Integer last = integer_arg(L, 3, 0, &ok);
    if (ok && !lua_isnoneornil(L, 2) && !lua_isnoneornil(L, 3)) charge_range(L, first, last);
    return run_original(L);
}

static int guard_sort(lua_State *L) {
    int ok = 1;
    lua_Integer n = length_arg(L, 1, &ok);
    if (ok && n > 1) {
        double steps = (double)n * (1 + log2((double)n));
        mw_charge(L, steps >= 9.2e18 ? LUA_MAXINTEGER : (lua_Integer)steps);
    }
    return run_original(L);
}

static int guard_rep(lua_State *L) {
    int ok = 1;
    lua_Integer n = integer_arg(L, 2, 0, &ok);
    if (ok) charge_range(L, 1, n);
    return run_original(L);
}

/* A finalizer would run outside every limit: the collector runs it with hooks
   off, at any allocation, possibly while host code runs. */
static int guard_setmetatable(lua_State *L) {
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        int gc = lua_rawget(L, 2);
        lua_pop(L, 1);
        if (gc != LUA_TNIL)
            return mw_raise_sandbox(L,
                "setmetatable: a metatable with a __gc field is not allowed in scripts "
                "(finalizers would run outside the instruction budget); use a <close> variable instead");
    }
    return run_original(L);
}

/* Replaces field `name` of the table on top by `guard`, keeping the original as its upvalue. */
static void guard_field(lua_State *L, const char *name, lua_CFunction guard) {
    lua_getfield(L, -1, name);
    lua_pushcclosure(L, guard, 1);
    lua_setfield(L, -2, name);
}

void mw_install_guards(lua_State *L) {
    lua_pushglobaltable(L);
    guard_field(L, "setmetatable", guard_setmetatable);
    lua_pop(L, 1);

    lua_getglobal(L, LUA_TABLIBNAME);
    guard_field(L, "concat", guard_concat);
    guard_field(L, "insert", guard_insert);
    guard_field(L, "remove", guard_remove);
    guard_field(L, "move", guard_move);
    guard_field(L, "sort", guard_sort);
    lua_pop(L, 1);

    /* The string table is also the strings' __index: ("x"):rep(n) is guarded too. */
    lua_getglobal(L, LUA_STRLIBNAME);
    guard_field(L, "rep", guard_rep);
    lua_pop(L, 1);
}
