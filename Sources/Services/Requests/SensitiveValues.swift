import JSON
import Transport

/// The secrets a script puts in its own request: values of credential headers
/// (`Authorization`, `Cookie`, any name with `token`, `key`, `secret`,
/// `password`, `signature` or `auth` in it), of query parameters and JSON body
/// fields named so. Added to the request's redactor, so no error or log line
/// about the request repeats them (the server may echo them in an error body).
enum SensitiveValues {
    private static let words = ["token", "key", "secret", "password", "passwd", "signature", "auth", "cookie", "credential", "session"]

    /// Whether a header, parameter or field called `name` holds a secret.
    static func isSensitive(_ name: String) -> Bool {
        let lower = name.lowercased()
        return words.contains { lower.contains($0) } || lower == "sig"
    }

    /// The secret values in `headers`, `query` and a JSON `body`.
    static func of(headers: HTTPFields, query: [ServiceURL.QueryItem], body: [UInt8]) -> [String] {
        var values: [String] = []
        for field in headers where isSensitive(field.name) {
            values.append(field.value)
            // `Bearer abc` / `Basic abc`: the credential alone may be echoed too.
            if let space = field.value.firstIndex(of: " ") { values.append(String(field.value[field.value.index(after: space)...])) }
        }
        for item in query where isSensitive(item.name) { values.append(item.value) }
        if let first = body.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
            first == UInt8(ascii: "{") || first == UInt8(ascii: "["), let json = try? JSONParser.parse(body)
        {
            collect(json, named: nil, into: &values)
        }
        // Short values (a flag, "1") would mask unrelated text all over the message.
        return values.filter { $0.utf8.count >= 6 }
    }

    private static func collect(_ value: JSONValue, named name: String?, into values: inout [String]) {
        switch value {
        case .object(let object):
            for key in object.keys { if let child = object[key] { collect(child, named: key, into: &values) } }
        case .array(let items):
            for item in items { collect(item, named: name, into: &values) }
        case .string(let text):
            if let name, isSensitive(name) { values.append(text) }
        default:
            break
        }
    }
}
