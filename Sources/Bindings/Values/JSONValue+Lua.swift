import JSON
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
    var luaValue: LuaValue { .table(luaTable(extraCapacity: 0)) }

    /// The fields as a table with room for `extraCapacity` more (every query
    /// result goes through here: one allocation of the right size).
    func luaTable(extraCapacity: Int) -> LuaTable {
        var fields = [LuaKey: LuaValue](minimumCapacity: count + extraCapacity)
        for key in keys {
            guard let value = self[key], value != .null else { continue }
            fields[.string(Array(key.utf8))] = value.luaValue
        }
        return LuaTable(fields: fields)
    }
}

extension ServiceResult {
    /// ``table`` as scripts see it, built straight from the service's fields and
    /// the ``overrides`` (without the intermediate JSON object).
    var luaValue: LuaValue {
        let overrides = self.overrides
        var table = fields.luaTable(extraCapacity: overrides.count)
        for (key, value) in overrides { table[key] = value?.luaValue ?? .nil }
        return .table(table)
    }
}
