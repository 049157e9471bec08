import CLua
import CLuaShim

/// A kind of Swift object that scripts hold as userdata: a task handle, a
/// paginator. The userdata owns a strong reference to the object; its
/// metatable is locked (`getmetatable` gives the type's name, `setmetatable`
/// refuses), and its finalizer only queues the object, which is released at
/// the VM's next safe point (``LuaState/releaseDeadReferences()``): no Swift
/// code runs inside the collector.
public final class LuaObjectType<Object: AnyObject> {
    /// A method: receives the object it was called on, then the call.
    public typealias Method = (Object, LuaCall) throws(ScriptError) -> HostResult

    /// The metatable's name in the registry, e.g. `moonwatch.task`.
    public let name: String
    /// What argument errors call it, e.g. "task handle".
    public let noun: String

    /// Creates the type's metatable in `state`.
    /// - Parameters:
    ///   - methods: what `object:method(...)` calls, named `method` in errors.
    ///   - describe: what `tostring(object)` shows.
    public init(
        in state: LuaState, name: String, noun: String, methods: [(String, Method)] = [],
        describe: @escaping (Object) -> String
    ) throws(ScriptError) {
        self.name = name
        self.noun = noun
        let stack = state.stack
        try stack.requireStack(4)
        mw_newobjecttype(state.L, name)
        if !methods.isEmpty {
            try stack.push(.string("__index"))
            let bodies = methods.map { (methodName, method) -> (String, HostFunction.Body) in
                (methodName, { [name, noun] call throws(ScriptError) in
                    guard let object = mw_toobject(call.L, 1, name) else {
                        throw call.argumentError(1, "\(noun) expected, got \(call.type(1).name)")
                    }
                    return try method(Unmanaged<Object>.fromOpaque(object).takeUnretainedValue(), call)
                })
            }
            try stack.push(LuaModule(name, functions: bodies), namedAs: nil)
            lua_rawset(state.L, -3)
        }
        try stack.push(.string("__tostring"))
        try stack.pushFunction("tostring") { [name, noun] call throws(ScriptError) in
            guard let object = mw_toobject(call.L, 1, name) else { throw call.argumentError(1, "\(noun) expected") }
            try call.push(.string(describe(Unmanaged<Object>.fromOpaque(object).takeUnretainedValue())))
            return .results(1)
        }
        lua_rawset(state.L, -3)
        stack.pop()
    }

    /// Pushes a new userdata holding `object`.
    public func push(_ object: Object, on stack: LuaStack) throws(ScriptError) {
        stack.state.assertConfined()
        try stack.requireStack(2)
        mw_pushobject(stack.L, name, Unmanaged.passRetained(object).toOpaque())
    }

    /// The object held by argument `index` of `call`, or nil when it is not one of this type.
    public func object(_ call: LuaCall, _ index: Int32) -> Object? {
        guard let object = mw_toobject(call.L, index, name) else { return nil }
        return Unmanaged<Object>.fromOpaque(object).takeUnretainedValue()
    }
}
