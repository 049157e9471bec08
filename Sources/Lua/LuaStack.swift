import CLua
import CLuaShim

/// One thread's stack of a ``LuaState``: converting values between Swift and Lua.
///
/// Host functions run on the calling coroutine's stack, not the main thread's,
/// so every conversion names the thread it works on. Every push checks for room
/// first (``requireStack(_:)``, as mlua's `check_stack`): the C API does not
/// check, and a push past the end writes past the stack.
public struct LuaStack {
    /// The thread (coroutine or main thread) whose stack this is.
    let L: OpaquePointer
    unowned(unsafe) let state: LuaState

    /// How deep nested tables may be when copied into Swift.
    public static let maximumDepth = 200

    init(L: OpaquePointer, state: LuaState) {
        self.L = L
        self.state = state
    }

    /// Makes room for `count` more values, or throws the `sandbox` error a
    /// script sees when what it asked for does not fit on a Lua stack.
    public func requireStack(_ count: Int32) throws(ScriptError) {
        guard count <= 0 || lua_checkstack(L, count) != 0 else {
            throw ScriptError(.sandbox, "too many results: \(count) more values do not fit on the Lua stack (at most \(LuaStack.capacity))")
        }
    }

    /// The most values one Lua stack holds (LUAI_MAXSTACK).
    static let capacity = 1_000_000

    /// Pushes a Swift value. Tables are built with raw sets, so no metamethod runs.
    public func push(_ value: LuaValue) throws(ScriptError) {
        state.assertConfined()
        try requireStack(1)
        try pushChecked(value)
    }

    /// Pushes each of `values` in order.
    public func push(_ values: [LuaValue]) throws(ScriptError) {
        state.assertConfined()
        try requireStack(Int32(clamping: values.count))
        for value in values { try pushChecked(value) }
    }

    /// Pushes `value` where one slot is known to be free.
    private func pushChecked(_ value: LuaValue) throws(ScriptError) {
        switch value {
        case .nil: lua_pushnil(L)
        case .boolean(let flag): lua_pushboolean(L, flag ? 1 : 0)
        case .integer(let number): lua_pushinteger(L, number)
        case .number(let number): lua_pushnumber(L, number)
        case .string(let bytes):
            bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(L, $0.baseAddress, $0.count) }
            }
        case .table(let table):
            // The table and, while it is filled, a key and a value.
            try requireStack(3)
            lua_createtable(L, Int32(clamping: table.array.count), Int32(clamping: table.fields.count))
            for (offset, element) in table.array.enumerated() {
                try pushChecked(element)
                lua_rawseti(L, -2, lua_Integer(offset + 1))
            }
            for (key, element) in table.fields {
                // NaN cannot be a key in Lua, and a raw set with one would raise.
                if case .number(let number) = key, number.isNaN { continue }
                try pushChecked(key.value)
                try pushChecked(element)
                lua_rawset(L, -3)
            }
        case .function(let ref), .userdata(let ref), .thread(let ref):
            lua_rawgeti(L, MW_REGISTRYINDEX, lua_Integer(ref.index))
        }
    }

    /// Pushes the value a reference holds.
    public func push(_ ref: LuaRef) throws(ScriptError) {
        state.assertConfined()
        try requireStack(1)
        lua_rawgeti(L, MW_REGISTRYINDEX, lua_Integer(ref.index))
    }

    /// Pushes `error` as an error table with the shared (locked) error metatable.
    public func push(_ error: ScriptError) throws(ScriptError) {
        state.assertConfined()
        try requireStack(4)
        mw_pusherror(L, error.kind.rawValue, error.message)
        for (name, value) in error.fields.sorted(by: { $0.key < $1.key }) {
            try pushChecked(.string(name))
            try pushChecked(value)
            lua_rawset(L, -3)
        }
    }

    /// Keeps the value at `index` alive in the registry.
    public func ref(at index: Int32) throws(ScriptError) -> LuaRef {
        state.assertConfined()
        releases.drain(L)
        try requireStack(1)
        lua_pushvalue(L, index)
        return LuaRef(index: luaL_ref(L, MW_REGISTRYINDEX), releases: releases)
    }

    var releases: ReleaseQueue { state.releases }

    public var top: Int32 {
        get { lua_gettop(L) }
        nonmutating set { lua_settop(L, newValue) }
    }

    public func pop(_ count: Int32 = 1) { lua_settop(L, -count - 1) }

    /// The type of the value at `index`.
    public func type(at index: Int32) -> LuaType { LuaType(lua_type(L, index)) }

    /// Whether the value at `index` is neither `nil` nor `false` (absent counts as false).
    public func isTruthy(at index: Int32) -> Bool { lua_toboolean(L, index) != 0 }

    /// Pops the value on top as a readable string (tostring semantics; a
    /// `__tostring` runs in protected mode, under the script's limits).
    public func popString() -> String {
        state.assertConfined()
        // mw_pushtostring needs two slots, and one is freed by the pop below.
        guard lua_checkstack(L, 2) != 0 else {
            pop()
            return "(no room on the Lua stack to describe the error)"
        }
        mw_pushtostring(L, -1)
        let text = string(at: -1) ?? ""
        pop(2)
        return text
    }

    /// The bytes of the string at `index`, or nil if it is not a string (numbers are not converted).
    public func bytes(at index: Int32) -> [UInt8]? {
        guard lua_type(L, index) == LUA_TSTRING else { return nil }
        var length = 0
        guard let pointer = lua_tolstring(L, index, &length) else { return nil }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }

    /// The text of the string at `index`, or nil if it is not a string.
    public func string(at index: Int32) -> String? {
        bytes(at: index).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The field `key` of the table at `index`, read raw and left on top; its type.
    public func pushRawField(_ key: String, of index: Int32) throws(ScriptError) -> LuaType {
        let table = lua_absindex(L, index)
        try push(.string(key))
        return LuaType(lua_rawget(L, table))
    }

    /// Sets field `key` of the table at `table` to a copy of the value at
    /// `value`, without running metamethods.
    public func setRawField(_ key: String, ofTableAt table: Int32, toCopyOf value: Int32) throws(ScriptError) {
        state.assertConfined()
        let table = lua_absindex(L, table), value = lua_absindex(L, value)
        try requireStack(2)
        try pushChecked(.string(key))
        lua_pushvalue(L, value)
        lua_rawset(L, table)
    }
}
