/*
 * The C side of moonwatch's Lua boundary.
 *
 * Everything that can raise a Lua error (longjmp) or yield lives here, so that
 * no longjmp ever crosses a Swift frame: Swift host functions return a code to
 * `mw_trampoline`, which raises or yields only after the Swift frame is gone.
 * Operations Swift needs that may raise (tracebacks, tostring with metamethods,
 * opening libraries) are wrapped in protected calls here.
 */
#ifndef MOONWATCH_SHIM_H
#define MOONWATCH_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <lua.h>

/* What a Swift host function returns besides a result count (>= 0). */
#define MW_RAISE (-1) /* the error value is on top of the stack: raise it */
#define MW_YIELD (-2) /* a host operation is pending: yield to the scheduler */

/* Called by the trampoline with the host function's opaque pointer. */
typedef int (*mw_dispatch_fn)(lua_State *L, void *function);
/* Receives each complete Lua warning message. */
typedef void (*mw_warn_fn)(void *host, const char *message);

/* Per-VM state: the allocator's accounting and limits and the instruction budget. */
typedef struct mw_vm {
    size_t used;          /* bytes currently allocated by this VM */
    size_t peak;          /* the most ever allocated */
    size_t limit;         /* cap on script allocations, 0 for none */
    int in_script;        /* 1 while script code runs: the cap applies then only */
    long long budget;     /* instructions allowed between yields, 0 for none */
    long long executed;   /* instructions since the scheduler last resumed a task */
    int aborting;         /* the budget ran out: the task is being stopped */
    int chain_yieldable;  /* every coroutine between the running one and the task can yield */
    char abort_where[256];/* "file:line" where the budget ran out */
    mw_dispatch_fn dispatch;
    mw_warn_fn warn;
    void *host;           /* the Swift object that owns this VM */
    char warn_buffer[1024];
    size_t warn_length;
    int warn_on;
    void **released;      /* host objects whose userdata the collector freed */
    size_t released_count;
    size_t released_capacity;
} mw_vm;

/* Creates a state whose allocator, panic handler and warning function use `vm`. */
lua_State *mw_newstate(mw_vm *vm);
/* The mw_vm of any thread of a state created by mw_newstate. */
mw_vm *mw_getvm(lua_State *L);
/* Frees what the mw_vm holds besides itself, after lua_close. */
void mw_freevm(mw_vm *vm);

/* Host objects held by userdata. A type's metatable is locked (`__metatable`)
   and its `__gc` only queues the object: mw_popreleased hands each back to the
   host at a safe point, so no host code runs inside the collector. */
/* Creates the metatable of type `tname` and leaves it on top, for its methods. */
void mw_newobjecttype(lua_State *L, const char *tname);
/* Pushes a new userdata of type `tname` holding `object` (owned by the userdata). */
void mw_pushobject(lua_State *L, const char *tname, void *object);
/* The object held by the userdata at `idx` if it is of type `tname`, else NULL. */
void *mw_toobject(lua_State *L, int idx, const char *tname);
/* An object whose userdata was collected, or NULL when there is none. */
void *mw_popreleased(mw_vm *vm);

/* Pushes a closure that calls `function` through the trampoline. The closure's
   upvalue points at `binding`, which the caller keeps alive as long as the VM. */
typedef struct mw_binding {
    mw_vm *vm;
    void *function;
} mw_binding;
void mw_pushhostfunction(lua_State *L, mw_binding *binding);

/* Installs the sandboxed standard library (docs/contract.md §2.6), `json`
   (lua-cjson), the locked error metatable, the host-aware coroutine.resume/wrap,
   the guarded library functions and the instruction-count hook. Protected;
   returns a Lua status, error on top. */
int mw_opensandbox(lua_State *L);

/* Resumes task coroutine `co` with `narg` values already on its stack, as the
   scheduler does: resets the instruction count, applies the memory cap while
   script code runs. Returns the lua_resume status; `*nres` as lua_resume. */
int mw_resume(lua_State *co, lua_State *from, int narg, int *nres);

/* Marks coroutine `co` as the host's: scripts' coroutine.resume/wrap refuse it. */
void mw_reservethread(lua_State *co);

/* Closes the pending to-be-closed variables of the script coroutines that task
   coroutine L is suspended in (a host wait inside coroutine.resume/wrap), the
   innermost first; L itself is left to the caller. Pushes onto `main` the
   message of each error a __close handler raised; returns their number. */
int mw_closewaiting(lua_State *L, lua_State *main);

/* lua_resetthread with the memory cap and a fresh budget applied to the
   __close handlers it runs (script code). Returns its status, error on top. */
int mw_resetthread(lua_State *co);

/* lua_pcall with the memory cap applied to the code it runs (host code that
   calls back into script code stays protected: a refused allocation is caught). */
int mw_pcall(lua_State *L, int nargs, int nresults);

/* True when `co` yielded because a host operation is pending: its yielded values
   are the host marker. False for a plain coroutine.yield. */
int mw_ishostyield(lua_State *co, int nres);

/* True when a host function running on L may suspend its task: L can yield and
   so can every script coroutine.resume between L and the task's own coroutine. */
int mw_canwait(lua_State *L);

/* Pushes onto L `msg` followed by a traceback of `co` (which may be L). Protected. */
void mw_pushtraceback(lua_State *L, lua_State *co, const char *msg, int level);

/* Pushes the readable string of the value at `idx` (tostring semantics, with
   __tostring and __name). Protected: on failure pushes a fallback description. */
void mw_pushtostring(lua_State *L, int idx);

/* Pushes "file:line" of the innermost Lua function on `co`'s stack, or "?" */
void mw_pushwhere(lua_State *co);

/* Charges `steps` units of work done inside one C library call (the count hook
   sees only Lua instructions) to the running task's instruction budget. When
   the budget runs out, raises its `sandbox` error at the calling script line,
   as the count hook does where the task cannot yield. A no-op without a budget. */
void mw_charge(lua_State *L, lua_Integer steps);

/* With the string library table on top of the stack, replaces its find, match,
   gmatch and gsub with versions that charge every matching step to the
   instruction budget (see mw_charge), so no pattern can run unbounded. */
int mw_openpatterns(lua_State *L);

/* Pushes the `sandbox` error of a task stopped by the instruction budget. */
void mw_pushbudgeterror(lua_State *L);

/* Pushes a new error table {kind=, message=} with the error metatable. */
void mw_pusherror(lua_State *L, const char *kind, const char *message);

/* LUA_REGISTRYINDEX is a macro expression Swift cannot import. */
static const int MW_REGISTRYINDEX = LUA_REGISTRYINDEX;

/* The registry key of the error metatable. */
#define MW_ERROR_METATABLE "moonwatch.error"

#endif
