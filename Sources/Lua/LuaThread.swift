import CLua
import CLuaShim

/// A coroutine of a ``LuaState``, as the scheduler drives it: created around a
/// function, resumed with values, closed when canceled. Kept alive by its
/// registry reference; confined to the VM's thread like everything else.
public struct LuaThread {
    let L: OpaquePointer
    /// Keeps the coroutine alive.
    public let ref: LuaRef
    unowned(unsafe) let state: LuaState

    /// How a resumption ended.
    public enum Resumption: Equatable {
        /// The function returned; its results are on the thread's stack.
        case finished
        /// A host function suspended it until its operation completes.
        case waitingForHost
        /// A plain `coroutine.yield()` at the thread's top level.
        case yielded
        /// Stopped by the instruction budget.
        case budgetExceeded
        /// Refused an allocation over the memory cap.
        case memoryExceeded
        /// Raised an error; the error value is on top of the thread's stack.
        case failed
    }

    /// A new coroutine that will call the function at `functionIndex` of
    /// `stack` with the `argumentCount` values above it (which stay on `stack`).
    /// - Throws: `sandbox` when the values do not fit on a Lua stack.
    public init(from stack: LuaStack, functionIndex: Int32, argumentCount: Int32) throws(ScriptError) {
        stack.state.assertConfined()
        state = stack.state
        // Room for the thread and the copies on the creating stack.
        try stack.requireStack(argumentCount + 2)
        let first = lua_absindex(stack.L, functionIndex)
        L = lua_newthread(stack.L)!
        mw_reservethread(L)
        ref = try stack.ref(at: -1)
        stack.pop()
        try self.stack.requireStack(argumentCount + 1)
        for index in first...(first + argumentCount) { lua_pushvalue(stack.L, index) }
        lua_xmove(stack.L, L, argumentCount + 1)
    }

    /// The coroutine's own stack: where it is resumed with values, and where a
    /// finished one keeps its results or its error.
    public var stack: LuaStack { LuaStack(L: L, state: state) }

    /// Resumes the coroutine with the `argumentCount` values on top of its stack.
    /// What a host function or a plain yield passed up is removed.
    public func resume(argumentCount: Int32) -> Resumption {
        state.assertConfined()
        var resultCount: Int32 = 0
        let status = mw_resume(L, nil, argumentCount, &resultCount)
        switch status {
        case LUA_OK:
            return .finished
        case LUA_YIELD where state.isAborting:
            return .budgetExceeded
        case LUA_YIELD:
            let host = mw_ishostyield(L, resultCount) != 0
            lua_settop(L, -resultCount - 1)
            return host ? .waitingForHost : .yielded
        case LUA_ERRMEM:
            return .memoryExceeded
        default:
            return .failed
        }
    }

    /// Pushes onto `destination` copies of every value on this coroutine's
    /// stack (a finished task's results); returns how many.
    /// - Throws: `sandbox` "too many results" when they do not fit there.
    public func copyValues(to destination: LuaStack) throws(ScriptError) -> Int32 {
        state.assertConfined()
        let count = lua_gettop(L)
        try destination.requireStack(count)
        try stack.requireStack(1)
        for index in stride(from: Int32(1), through: count, by: 1) {
            lua_pushvalue(L, index)
            lua_xmove(L, destination.L, 1)
        }
        return count
    }

    /// Runs the pending `<close>` handlers of this coroutine and of the script
    /// coroutines it waits in (innermost first), under the script's limits.
    /// Never resets a coroutine that is resuming another one: that would unwind
    /// a live C call. Returns the message of each error a handler raised.
    public func close() -> [String] {
        state.assertConfined()
        let status = lua_status(L)
        var record = lua_Debug()
        guard status != LUA_OK || lua_getstack(L, 0, &record) == 0 else { return [] }
        var problems: [String] = []
        if status == LUA_YIELD {
            let main = state.stack
            for _ in 0..<mw_closewaiting(L, main.L) { problems.append(main.popString()) }
        }
        // For a coroutine that raised, the result is that error again (or one a
        // __close handler raised); only a suspended one reports close errors here.
        if mw_resetthread(L) != LUA_OK && (status == LUA_OK || status == LUA_YIELD) {
            problems.append(stack.popString())
        }
        return problems
    }

    /// Empties the coroutine's stack, leaving `value` alone on it (a canceled
    /// task's error, for its waiters).
    public func replaceValues(with error: ScriptError) {
        lua_settop(L, 0)
        // An empty stack has LUA_MINSTACK slots: an error table always fits.
        try? stack.push(error)
    }
}
