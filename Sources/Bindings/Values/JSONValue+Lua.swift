import Lua
import Services

extension JSONValue {
    /// The value as scripts see it: objects and arrays become tables, JSON null
    /// becomes nil (an absent field), integers stay integers.
    var luaValue: LuaValue {
        switch self {
        case .null: return .nil
        case .bool(let value): return .boolean(value)
        case .integer(let value): return .integer(value)
        case .number(let value): return .number(value)
        case .string(let value): return .string(value)
        case .array(let values): return .table(LuaTable(array: values.map(\.luaValue)))
        case .object(let object): return object.luaValue
        }
    }
}

extension JSONObject {
    var luaValue: LuaValue {
        var table = LuaTable()
        for (key, value) in self where value != .null { table[key] = value.luaValue }
        return .table(table)
    }
}
