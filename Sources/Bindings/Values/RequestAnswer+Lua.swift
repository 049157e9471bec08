import JSON
import Lua
import Services

extension RequestAnswer {
    /// The answer as scripts see it: `status`, `headers` (lower-case names, a
    /// repeated header's values joined with ", "), `body` (the decoded JSON when
    /// the answer says it is JSON and parses, else the bytes as a string; nil for
    /// JSON null), `request_id` and, with `url`, the final URL after redirects.
    func luaValue(includingURL: Bool) -> LuaValue {
        var headerFields: [LuaKey: LuaValue] = [:]
        for field in headers {
            let name = LuaKey.string(field.name.lowercased())
            if case .string(let earlier) = headerFields[name] {
                headerFields[name] = .string(earlier + Array(", ".utf8) + Array(field.value.utf8))
            } else {
                headerFields[name] = .string(field.value)
            }
        }
        var table = LuaTable()
        table["status"] = .integer(Int64(status))
        table["headers"] = .table(LuaTable(fields: headerFields))
        if isJSON, let json = try? JSONParser.parse(body) {
            table["body"] = json.luaValue
        } else {
            table["body"] = .string(body)
        }
        if let requestID { table["request_id"] = .string(requestID) }
        if includingURL { table["url"] = .string(url.description) }
        return .table(table)
    }
}
