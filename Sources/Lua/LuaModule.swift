import CLua
import CLuaShim

/// A table of host functions and values, described in one place and built in
/// one step: a module such as `task`, a method table, or the private table a
/// host Lua chunk receives.
///
/// ```swift
/// try state.install(LuaModule("task", [
///     .function("spawn") { call throws(ScriptError) in ... },
///     .value("version", "1.0"),
/// ]))
/// ```
public struct LuaModule {
    /// One field of the table.
    public struct Field {
        let name: String
        let content: Content

        enum Content {
            case function(HostFunction.Body)
            case value(LuaValue)
        }

        /// A Swift function, known in argument errors as `module.name`.
        public static func function(_ name: String, _ body: @escaping HostFunction.Body) -> Field {
            Field(name: name, content: .function(body))
        }

        /// A plain value.
        public static func value(_ name: String, _ value: LuaValue) -> Field {
            Field(name: name, content: .value(value))
        }
    }

    /// The global name (for ``LuaState/install(_:)``) and the prefix of its functions' names.
    public let name: String
    let fields: [Field]

    public init(_ name: String, _ fields: [Field]) {
        self.name = name
        self.fields = fields
    }

    /// A module of functions only, from `(name, body)` pairs.
    public init(_ name: String, functions: [(String, HostFunction.Body)]) {
        self.init(name, functions.map { Field.function($0.0, $0.1) })
    }
}

extension LuaStack {
    /// Pushes the module's table; its functions are named `prefix.name` in
    /// argument errors (just `name` when `prefix` is nil).
    public func push(_ module: LuaModule, namedAs prefix: String?) throws(ScriptError) {
        state.assertConfined()
        try requireStack(3)
        lua_createtable(L, 0, Int32(clamping: module.fields.count))
        for field in module.fields {
            try push(.string(field.name))
            switch field.content {
            case .function(let body):
                try pushFunction(prefix.map { "\($0).\(field.name)" } ?? field.name, body)
            case .value(let value):
                try push(value)
            }
            lua_rawset(L, -3)
        }
    }

    /// Pushes a Swift function as a Lua function named `name` (used in argument errors).
    public func pushFunction(_ name: String, _ body: @escaping HostFunction.Body) throws(ScriptError) {
        try requireStack(1)
        mw_pushhostfunction(L, state.bind(name, body))
    }
}
