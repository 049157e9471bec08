/* The state: the counting allocator, panic, warnings, released host objects,
   and running script code under its limits. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void mw_freevm(mw_vm *vm) {
    free(vm->released);
    vm->released = NULL;
    vm->released_count = vm->released_capacity = 0;
}

/* ---------------------------------------------------------------------------
 * Host objects owned by userdata
 */

/* The finalizer of every host object's userdata: it runs inside the collector,
   at any allocation, so it only queues the object; the host releases it at its
   next safe point (mw_popreleased). No script code and no Swift code runs here. */
static int object_gc(lua_State *L) {
    void **slot = lua_touserdata(L, 1);
    if (slot == NULL || *slot == NULL) return 0;
    mw_vm *vm = mw_getvm(L);
    if (vm->released_count == vm->released_capacity) {
        size_t capacity = vm->released_capacity ? vm->released_capacity * 2 : 64;
        void **grown = realloc(vm->released, capacity * sizeof *grown);
        if (grown == NULL) {
            fprintf(stderr, "moonwatch: out of memory releasing host objects\n");
            abort();
        }
        vm->released = grown;
        vm->released_capacity = capacity;
    }
    vm->released[vm->released_count++] = *slot;
    *slot = NULL;
    return 0;
}

void mw_newlockedmetatable(lua_State *L, const char *tname, const char *event, lua_CFunction handler) {
    luaL_newmetatable(L, tname);
    lua_pushstring(L, event);
    lua_pushcfunction(L, handler);
    lua_rawset(L, -3);
    lua_pushliteral(L, "__metatable");
    lua_pushstring(L, tname);
    lua_rawset(L, -3);
}

void mw_newobjecttype(lua_State *L, const char *tname) {
    mw_newlockedmetatable(L, tname, "__gc", object_gc);
}

void mw_pushobject(lua_State *L, const char *tname, void *object) {
    void **slot = lua_newuserdatauv(L, sizeof object, 0);
    *slot = object;
    luaL_setmetatable(L, tname);
}

void *mw_toobject(lua_State *L, int idx, const char *tname) {
    void **slot = luaL_testudata(L, idx, tname);
    return slot ? *slot : NULL;
}

void *mw_popreleased(mw_vm *vm) {
    return vm->released_count ? vm->released[--vm->released_count] : NULL;
}

/* ---------------------------------------------------------------------------
 * Running script code
 */

int mw_canwait(lua_State *L) {
    return lua_isyieldable(L) && mw_getvm(L)->chain_yieldable;
}

void mw_enter_script(mw_vm *vm, mw_script_scope *saved) {
    saved->in_script = vm->in_script;
    saved->executed = vm->executed;
    saved->aborting = vm->aborting;
    vm->in_script = 1;
    vm->executed = 0;
    vm->aborting = 0;
}

void mw_leave_script(mw_vm *vm, const mw_script_scope *saved) {
    vm->in_script = saved->in_script;
    vm->executed = saved->executed;
    vm->aborting = saved->aborting;
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

int mw_resetthread(lua_State *co) {
    mw_vm *vm = mw_getvm(co);
    mw_script_scope saved;
    mw_enter_script(vm, &saved);
    int status = lua_resetthread(co);
    mw_leave_script(vm, &saved);
    return status;
}
