import CLua
import CLuaShim
import Lua

/// The `task` module (docs/contract.md §2.3): spawning, waiting, sleeping, timeouts.
/// `task.all` and `task.map` are written in Lua on top of these (see `Prelude`).
enum TaskModule {
    static let handleMetatable = "moonwatch.task"

    static func install(_ scheduler: Scheduler) {
        let state = scheduler.state
        let L = state.L
        state.register("task", [
            /// task.spawn(fn, ...) -> handle: runs fn(...) as a new task.
            ("spawn", { [unowned scheduler] call throws(ScriptError) in
                try call.checkType(1, .function)
                let task = try scheduler.spawn(from: call.stack, functionIndex: 1, argumentCount: call.argumentCount - 1)
                pushHandle(call.L, task.id)
                return .results(1)
            }),
            /// task.sleep(seconds): suspends the calling task; 0 lets the other tasks run first.
            ("sleep", { [unowned scheduler] call throws(ScriptError) in
                let seconds = try call.number(1)
                guard seconds >= 0, seconds.isFinite else { throw call.argumentError(1, "a finite number of seconds >= 0 expected, got \(seconds)") }
                try scheduler.sleep(call, seconds: seconds)
                return .suspend
            }),
            /// task.timeout(seconds, fn, ...) -> fn's results, or raises a `timeout` error
            /// after cancelling fn (its `<close>` variables run).
            ("timeout", { [unowned scheduler] call throws(ScriptError) in
                let seconds = try call.number(1)
                guard seconds >= 0, !seconds.isNaN else { throw call.argumentError(1, "a number of seconds >= 0 expected, got \(seconds)") }
                try call.checkType(2, .function)
                guard call.canSuspend else { throw ScriptError(.sandbox, "'task.timeout' cannot wait here: the caller cannot yield") }
                let child = try scheduler.spawn(from: call.stack, functionIndex: 2, argumentCount: call.argumentCount - 2)
                let deadline = MonotonicClock.deadline(after: seconds)
                try scheduler.wait(call, for: child, deadline: deadline)
                return .suspend
            }),
        ])

        // The handle's metatable: methods, collection, printing.
        luaL_newmetatable(L, handleMetatable)
        state.setField("__index") {
            lua_createtable(L, 0, 2)
            /// handle:wait() -> the task's results, or raises its error.
            state.setField("wait") {
                state.pushFunction("wait") { [unowned scheduler] call throws(ScriptError) in
                    let target = try task(scheduler, call, 1)
                    if target === scheduler.current { throw ScriptError(.invalidArgument, "a task cannot wait for itself") }
                    if target.phase == .finished {
                        let count = scheduler.copyOutcome(of: target, to: call.L)
                        return target.outcome == .succeeded ? .results(count) : .raise
                    }
                    try scheduler.wait(call, for: target)
                    return .suspend
                }
            }
            /// handle:cancel(): stops the task; its waiters get a `canceled` error.
            state.setField("cancel") {
                state.pushFunction("cancel") { [unowned scheduler] call throws(ScriptError) in
                    let target = try task(scheduler, call, 1)
                    if target === scheduler.current { throw ScriptError(.invalidArgument, "a task cannot cancel itself") }
                    scheduler.cancel(target, reason: "canceled by the script")
                    return .none
                }
            }
        }
        state.setField("__gc") {
            // Weak: lua_close runs finalizers after the scheduler may be gone.
            state.pushFunction("task handle finalizer") { [weak scheduler] call throws(ScriptError) in
                if let id = handleID(call.L, 1) { scheduler?.handleReleased(id) }
                return .none
            }
        }
        state.setField("__tostring") {
            state.pushFunction("tostring") { call throws(ScriptError) in
                call.push(.string("task: \(handleID(call.L, 1) ?? 0)"))
                return .results(1)
            }
        }
        state.stack.pop()
    }

    private static func pushHandle(_ L: OpaquePointer, _ id: Int) {
        let storage = lua_newuserdatauv(L, MemoryLayout<Int>.size, 0)!
        storage.storeBytes(of: id, as: Int.self)
        luaL_setmetatable(L, handleMetatable)
    }

    /// The task id inside a handle, or nil if the value is not a task handle.
    private static func handleID(_ L: OpaquePointer, _ index: Int32) -> Int? {
        guard lua_type(L, index) == LUA_TUSERDATA, lua_getmetatable(L, index) != 0 else { return nil }
        lua_getfield(L, MW_REGISTRYINDEX, handleMetatable)
        let isHandle = lua_rawequal(L, -1, -2) != 0
        lua_settop(L, -3)
        return isHandle ? lua_touserdata(L, index)!.load(as: Int.self) : nil
    }

    private static func task(_ scheduler: Scheduler, _ call: LuaCall, _ index: Int32) throws(ScriptError) -> ScriptTask {
        guard let id = handleID(call.L, index) else {
            throw call.argumentError(index, "task handle expected, got \(call.type(index).name)")
        }
        guard let task = scheduler.task(withID: id) else {
            throw ScriptError(.invalidArgument, "task \(id) is no longer known")
        }
        return task
    }
}
