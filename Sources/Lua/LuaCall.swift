import CLua
import CLuaShim

/// The arguments of one call of a ``HostFunction``, and where it pushes results.
///
/// Reading never runs metamethods (docs/lua-boundary.md rule 2): values are read with
/// raw accessors, so no script code runs inside host code.
public struct LuaCall {
    /// The coroutine (or main thread) that made the call.
    public let L: OpaquePointer
    unowned(unsafe) let function: HostFunction

    /// The function's name as scripts know it, e.g. `task.sleep`.
    public var name: String { function.name }
    /// The VM the call runs in.
    public var state: LuaState { LuaState.owning(L) }
    /// The calling thread's stack, where arguments are and results go.
    public var stack: LuaStack { LuaStack(L: L, state: state) }
    /// How many arguments were passed.
    public var argumentCount: Int32 { lua_gettop(L) }

    /// Whether the calling coroutine may be suspended (see `mw_canwait`).
    public var canSuspend: Bool { mw_canwait(L) != 0 }

    /// `file:line` of the script code that made this call (skipping moonwatch's own Lua).
    public var scriptLocation: String {
        mw_pushwhere(L)
        defer { lua_settop(L, -2) }
        return stack.string(at: -1) ?? "?"
    }

    public func type(_ index: Int32) -> LuaType { LuaType(lua_type(L, index)) }

    /// The error for a wrong argument, in Lua's own words:
    /// `bad argument #2 to 'task.map' (function expected, got nil)`.
    public func argumentError(_ index: Int32, _ problem: String) -> ScriptError {
        ScriptError(.invalidArgument, "bad argument #\(index) to '\(name)' (\(problem))")
    }

    func typeError(_ index: Int32, expected: String) -> ScriptError {
        argumentError(index, "\(expected) expected, got \(type(index).name)")
    }

    public func number(_ index: Int32) throws(ScriptError) -> Double {
        guard type(index) == .number else { throw typeError(index, expected: "number") }
        return lua_tonumberx(L, index, nil)
    }

    public func optionalNumber(_ index: Int32) throws(ScriptError) -> Double? {
        type(index) == .nil ? nil : try number(index)
    }

    /// An integer, accepting floats with an integral value as Lua does.
    public func integer(_ index: Int32) throws(ScriptError) -> Int64 {
        guard type(index) == .number else { throw typeError(index, expected: "integer") }
        var isInteger: Int32 = 0
        let value = lua_tointegerx(L, index, &isInteger)
        guard isInteger != 0 else { throw argumentError(index, "number has no integer representation") }
        return value
    }

    public func string(_ index: Int32) throws(ScriptError) -> String {
        guard type(index) == .string else { throw typeError(index, expected: "string") }
        return stack.string(at: index) ?? ""
    }

    public func checkType(_ index: Int32, _ expected: LuaType) throws(ScriptError) {
        guard type(index) == expected else { throw typeError(index, expected: expected.name) }
    }

    /// The argument copied into Swift.
    public func value(_ index: Int32) throws(ScriptError) -> LuaValue {
        try stack.value(at: index)
    }

    /// The field `key` of the table argument at `index`, read raw; `nil` when absent.
    public func field(_ key: String, of index: Int32) -> LuaType {
        let table = lua_absindex(L, index)
        stack.push(.string(key))
        return LuaType(lua_rawget(L, table))
    }

    /// A number field of an options table, with an error naming the option.
    public func optionalNumberField(_ key: String, of index: Int32) throws(ScriptError) -> Double? {
        defer { lua_settop(L, -2) }
        switch field(key, of: index) {
        case .nil: return nil
        case .number: return lua_tonumberx(L, -1, nil)
        case let other: throw argumentError(index, "option '\(key)' must be a number, got \(other.name)")
        }
    }

    public func push(_ value: LuaValue) { stack.push(value) }
}

/// The type of a Lua value.
public enum LuaType: Equatable, Sendable {
    case none, `nil`, boolean, lightUserdata, number, string, table, function, userdata, thread

    init(_ raw: Int32) {
        switch raw {
        case LUA_TNIL: self = .nil
        case LUA_TBOOLEAN: self = .boolean
        case LUA_TLIGHTUSERDATA: self = .lightUserdata
        case LUA_TNUMBER: self = .number
        case LUA_TSTRING: self = .string
        case LUA_TTABLE: self = .table
        case LUA_TFUNCTION: self = .function
        case LUA_TUSERDATA: self = .userdata
        case LUA_TTHREAD: self = .thread
        default: self = .none
        }
    }

    /// The name Lua's `type` gives; "no value" for a missing argument.
    public var name: String {
        switch self {
        case .none: return "no value"
        case .nil: return "nil"
        case .boolean: return "boolean"
        case .lightUserdata, .userdata: return "userdata"
        case .number: return "number"
        case .string: return "string"
        case .table: return "table"
        case .function: return "function"
        case .thread: return "thread"
        }
    }
}
