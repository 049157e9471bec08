import Lua
import Services

extension NamedArguments {
    /// A `headers` or `query` table as `(name, value)` pairs sorted by name (a
    /// Lua table has no order; sorting makes requests and signatures repeatable).
    /// Values may be strings, numbers or booleans; a query value may also be an
    /// array of them (the parameter repeated).
    func optionalPairs(_ index: Int32, allowsLists: Bool = false) throws(ScriptError) -> [(name: String, value: String)] {
        switch call.type(index) {
        case .nil, .none: return []
        case .table: break
        default: throw problem(index, "must be a table of name = value, got \(call.type(index).name)")
        }
        guard case .table(let table) = try call.value(index) else { return [] }
        if !table.array.isEmpty { throw problem(index, "must be a table of name = value, not a list") }
        var pairs: [(name: String, value: String)] = []
        for (key, value) in table.fields {
            guard case .string(let bytes) = key else { throw problem(index, "must be a table with string names (name = value)") }
            let name = String(decoding: bytes, as: UTF8.self)
            if allowsLists, case .table(let list) = value, list.fields.isEmpty {
                for item in list.array { pairs.append((name, try text(of: item, name: name, index: index))) }
            } else {
                pairs.append((name, try text(of: value, name: name, index: index)))
            }
        }
        return pairs.sorted { $0.name < $1.name }
    }

    private func text(of value: LuaValue, name: String, index: Int32) throws(ScriptError) -> String {
        switch value {
        case .string(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .integer(let number): return String(number)
        case .number(let number):
            if let exact = Int64(exactly: number) { return String(exact) }
            return String(number)
        case .boolean(let flag): return flag ? "true" : "false"
        default: throw problem(index, "value of '\(name)' must be a string, number or boolean")
        }
    }
}

extension NamedArguments {
    func optionalBoolean(_ index: Int32) throws(ScriptError) -> Bool? {
        switch call.type(index) {
        case .nil, .none: return nil
        case .boolean: return call.boolean(index)
        default: throw problem(index, "must be a boolean, got \(call.type(index).name)")
        }
    }

    /// Seconds a request may take: a finite number > 0, at most an hour.
    func optionalTimeout(_ index: Int32) throws(ScriptError) -> Double? {
        guard let seconds = try optionalNumber(index) else { return nil }
        guard seconds > 0, seconds <= 3600 else { throw problem(index, "must be a number of seconds > 0 and <= 3600, got \(seconds)") }
        return seconds
    }

    /// A body given as a string (tables were encoded to JSON by the Lua wrapper).
    func optionalBytes(_ index: Int32) throws(ScriptError) -> [UInt8] {
        switch call.type(index) {
        case .nil, .none: return []
        case .string: return call.stack.bytes(at: index) ?? []
        default: throw problem(index, "must be a table or a string, got \(call.type(index).name)")
        }
    }
}
