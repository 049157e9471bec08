import CLua
import CLuaShim

/// One thread's stack of a ``LuaState``: converting values between Swift and Lua.
///
/// Host functions run on the calling coroutine's stack, not the main thread's,
/// so every conversion names the thread it works on.
public struct LuaStack {
    /// The thread (coroutine or main thread) whose stack this is.
    public let L: OpaquePointer
    let releases: ReleaseQueue

    /// How deep nested tables may be when copied into Swift.
    public static let maximumDepth = 200

    public init(L: OpaquePointer, state: LuaState) {
        self.L = L
        self.releases = state.releases
    }

    /// Pushes a Swift value. Tables are built with raw sets, so no metamethod runs.
    public func push(_ value: LuaValue) {
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
            // Two slots per level: the table and a key or value being set.
            lua_checkstack(L, 3)
            lua_createtable(L, Int32(clamping: table.array.count), Int32(clamping: table.fields.count))
            for (offset, element) in table.array.enumerated() {
                push(element)
                lua_rawseti(L, -2, lua_Integer(offset + 1))
            }
            for (key, element) in table.fields {
                // NaN cannot be a key in Lua, and a raw set with one would raise.
                if case .number(let number) = key, number.isNaN { continue }
                push(key.value)
                push(element)
                lua_rawset(L, -3)
            }
        case .function(let ref), .userdata(let ref), .thread(let ref):
            push(ref)
        }
    }

    /// Pushes the value a reference holds.
    public func push(_ ref: LuaRef) {
        lua_rawgeti(L, MW_REGISTRYINDEX, lua_Integer(ref.index))
    }

    /// Keeps the value at `index` alive in the registry.
    public func ref(at index: Int32) -> LuaRef {
        releases.drain(L)
        lua_pushvalue(L, index)
        return LuaRef(index: luaL_ref(L, MW_REGISTRYINDEX), releases: releases)
    }

    public var top: Int32 {
        get { lua_gettop(L) }
        nonmutating set { lua_settop(L, newValue) }
    }

    public func pop(_ count: Int32 = 1) { lua_settop(L, -count - 1) }

    /// Pops the value on top as a readable string (tostring semantics, metamethods
    /// run in protected mode).
    public func popString() -> String {
        mw_pushtostring(L, -1)
        let text = string(at: -1) ?? ""
        pop(2)
        return text
    }

    /// Pushes `error` as an error table with the shared error metatable.
    public func push(_ error: ScriptError) {
        mw_pusherror(L, error.kind.rawValue, error.message)
        for (name, value) in error.fields.sorted(by: { $0.key < $1.key }) {
            push(.string(name))
            push(value)
            lua_rawset(L, -3)
        }
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

    /// Copies the value at `index` into Swift. Tables are copied deeply;
    /// functions, userdata and coroutines become registry references.
    /// - Throws: for a table that contains itself, nests deeper than
    ///   ``maximumDepth``, or has keys that are tables, functions or userdata.
    public func value(at index: Int32) throws(ScriptError) -> LuaValue {
        var open: Set<UnsafeRawPointer> = []
        return try value(at: lua_absindex(L, index), depth: 0, open: &open)
    }

    private func value(at index: Int32, depth: Int, open: inout Set<UnsafeRawPointer>) throws(ScriptError) -> LuaValue {
        switch lua_type(L, index) {
        case LUA_TNIL, LUA_TNONE: return .nil
        case LUA_TBOOLEAN: return .boolean(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            var isInteger: Int32 = 0
            let integer = lua_tointegerx(L, index, &isInteger)
            return isInteger != 0 && lua_isinteger(L, index) != 0 ? .integer(integer) : .number(lua_tonumberx(L, index, nil))
        case LUA_TSTRING: return .string(bytes(at: index) ?? [])
        case LUA_TTABLE: return .table(try table(at: index, depth: depth, open: &open))
        case LUA_TFUNCTION: return .function(ref(at: index))
        case LUA_TTHREAD: return .thread(ref(at: index))
        default: return .userdata(ref(at: index))
        }
    }

    private func table(at index: Int32, depth: Int, open: inout Set<UnsafeRawPointer>) throws(ScriptError) -> LuaTable {
        guard depth < Self.maximumDepth else {
            throw ScriptError(.invalidArgument, "table nests deeper than \(LuaStack.maximumDepth) levels")
        }
        let identity = lua_topointer(L, index)!
        guard open.insert(identity).inserted else {
            throw ScriptError(.invalidArgument, "table contains itself")
        }
        defer { open.remove(identity) }
        let base = lua_gettop(L)
        defer { lua_settop(L, base) }
        lua_checkstack(L, 4)

        var table = LuaTable()
        let length = lua_rawlen(L, index)
        if length > 0 {
            table.array.reserveCapacity(Int(length))
            for position in 1...lua_Integer(length) {
                if lua_rawgeti(L, index, position) == LUA_TNIL {
                    table.array.removeAll()  // a hole: everything goes to fields
                    break
                }
                table.array.append(try value(at: lua_gettop(L), depth: depth + 1, open: &open))
                lua_settop(L, base)
            }
            lua_settop(L, base)
        }
        let sequenceLength = lua_Integer(table.array.count)
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            let key: LuaKey
            switch lua_type(L, -2) {
            case LUA_TNUMBER where lua_isinteger(L, -2) != 0:
                let integer = lua_tointegerx(L, -2, nil)
                if integer >= 1 && integer <= sequenceLength {
                    lua_settop(L, -2)
                    continue
                }
                key = .integer(integer)
            case LUA_TNUMBER: key = .number(lua_tonumberx(L, -2, nil))
            case LUA_TSTRING: key = .string(bytes(at: -2) ?? [])
            case LUA_TBOOLEAN: key = .boolean(lua_toboolean(L, -2) != 0)
            default:
                throw ScriptError(.invalidArgument, "table has a \(LuaType(lua_type(L, -2)).name) key, which cannot be copied")
            }
            table.fields[key] = try value(at: lua_gettop(L), depth: depth + 1, open: &open)
            lua_settop(L, -2)
        }
        return table
    }

    /// Calls the function below `arguments` on top of this stack, in protected
    /// mode; a host function may call back into Lua this way. A Lua error
    /// becomes a ``LuaCallFailure`` carrying the error value.
    public func call(_ arguments: [LuaValue] = [], results: Int32 = LUA_MULTRET) throws(LuaCallFailure) -> [LuaValue] {
        lua_checkstack(L, Int32(arguments.count))
        for argument in arguments { push(argument) }
        return try call(argumentsOnStack: Int32(arguments.count), results: results)
    }

    /// Calls the function below the top `argumentCount` values, in protected mode.
    public func call(argumentsOnStack argumentCount: Int32, results: Int32 = LUA_MULTRET) throws(LuaCallFailure) -> [LuaValue] {
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
