import CLua
import CLuaShim

/// Why a coroutine stopped with an error, as the host reports it.
public struct LuaFailure: Sendable {
    /// The error as one line (`tostring` of the error value).
    public var message: String
    /// The message followed by the coroutine's traceback where it stopped.
    public var traceback: String
    /// The error table's `kind`, when the error is one.
    public var kind: String?

    public init(message: String, traceback: String, kind: String?) {
        self.message = message
        self.traceback = traceback
        self.kind = kind
    }
}

extension LuaThread {
    /// Settles a coroutine that stopped with `resumption` (``Resumption/failed``,
    /// ``Resumption/budgetExceeded`` or ``Resumption/memoryExceeded``): describes
    /// the error, closes the coroutine's pending `<close>` variables, and leaves
    /// the error value alone on its stack for whoever waits for it.
    /// - Returns: the failure, and the messages of errors raised by `<close>` handlers.
    public func settle(_ resumption: Resumption) -> (failure: LuaFailure, closeProblems: [String]) {
        state.assertConfined()
        let main = state.stack
        // The error value, a copy of it, and a traceback: a few slots on a nearly empty stack.
        guard lua_checkstack(main.L, 6) != 0 else { fatalError("moonwatch: the VM's main stack is full") }
        switch resumption {
        case .budgetExceeded:
            mw_pushbudgeterror(main.L)
        case .memoryExceeded:
            var error = ScriptError(.sandbox, "memory limit of \(state.memoryLimitDescription) exceeded")
            if lua_checkstack(L, 1) != 0 {
                mw_pushwhere(L)
                error.fields["where"] = .string(stack.string(at: -1) ?? "?")
                lua_settop(L, -2)
            }
            try? main.push(error)
        default:
            if lua_gettop(L) > 0 && lua_checkstack(L, 1) != 0 {
                lua_pushvalue(L, -1)
                lua_xmove(L, main.L, 1)
            } else {
                lua_pushnil(main.L)
            }
        }
        var kind: String?
        if lua_type(main.L, -1) == LUA_TTABLE {
            lua_pushstring(main.L, "kind")
            lua_rawget(main.L, -2)
            kind = main.string(at: -1)
            main.pop()
        }
        mw_pushtostring(main.L, -1)
        let message = main.string(at: -1) ?? "?"
        mw_pushtraceback(main.L, L, message, 0)
        let traceback = main.string(at: -1) ?? message
        main.pop(2)

        let problems = close()
        lua_settop(L, 0)
        lua_xmove(main.L, L, 1)
        return (LuaFailure(message: message, traceback: traceback, kind: kind), problems)
    }
}
