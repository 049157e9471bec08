import CLua
import CLuaShim

extension LuaStack {
    /// Copies the value at `index` into Swift. Tables are copied deeply;
    /// functions, userdata and coroutines become registry references.
    /// - Throws: for a table that contains itself, nests deeper than
    ///   ``maximumDepth``, or has keys that are tables, functions or userdata.
    public func value(at index: Int32) throws(ScriptError) -> LuaValue {
        state.assertConfined()
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
        case LUA_TFUNCTION: return .function(try ref(at: index))
        case LUA_TTHREAD: return .thread(try ref(at: index))
        default: return .userdata(try ref(at: index))
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
        try requireStack(4)

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
}
