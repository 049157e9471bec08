import CLua
import CLuaShim

extension LuaStack {
    /// Calls the function below `arguments` on top of this stack, in protected
    /// mode; a host function may call back into Lua this way. A Lua error
    /// becomes a ``LuaCallFailure`` carrying the error value.
    public func call(_ arguments: [LuaValue] = [], results: Int32 = LUA_MULTRET) throws(LuaCallFailure) -> [LuaValue] {
        let base = top - 1
        do throws(ScriptError) {
            try push(arguments)
        } catch {
            top = base
            throw LuaCallFailure(message: error.message, value: .nil)
        }
        return try call(argumentsOnStack: Int32(arguments.count), results: results)
    }

    /// Calls the function below the top `argumentCount` values, in protected mode.
    public func call(argumentsOnStack argumentCount: Int32, results: Int32 = LUA_MULTRET) throws(LuaCallFailure) -> [LuaValue] {
        state.assertConfined()
        let base = top - argumentCount - 1
        let status = mw_pcall(L, argumentCount, results)
        if status != LUA_OK {
            let value = (try? self.value(at: -1)) ?? .nil
            let message = popString()
            top = base
            throw LuaCallFailure(message: message, value: value)
        }
        var values: [LuaValue] = []
        if top > base {
            for index in (base + 1)...top { values.append((try? self.value(at: index)) ?? .nil) }
        }
        top = base
        return values
    }
}
