/// A header value with parameters, as Content-Type and Content-Disposition carry them
/// (`multipart/form-data; boundary="x"`, `form-data; name="file"; filename="me.jpg"`): the value
/// lower-cased, parameter names lower-cased, quoted parameter values unquoted.
struct HeaderValue: Equatable {
    let value: String
    let parameters: [String: String]

    init(_ text: String) {
        var fields = Self.split(text)
        value = String(fields.removeFirst()).trimmingHeaderWhitespace().lowercased()
        var parameters: [String: String] = [:]
        for field in fields {
            guard let eq = field.firstIndex(of: "=") else { continue }
            let name = String(field[..<eq]).trimmingHeaderWhitespace().lowercased()
            let raw = String(field[field.index(after: eq)...]).trimmingHeaderWhitespace()
            // The first of a repeated parameter counts.
            if parameters[name] == nil { parameters[name] = Self.unquoted(raw) }
        }
        self.parameters = parameters
    }

    /// `text` cut at the semicolons that are not inside a quoted string.
    private static func split(_ text: String) -> [Substring] {
        var fields: [Substring] = []
        var start = text.startIndex
        var quoted = false
        var escaped = false
        for index in text.indices {
            let character = text[index]
            if escaped {
                escaped = false
            } else if quoted, character == "\\" {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == ";", !quoted {
                fields.append(text[start..<index])
                start = text.index(after: index)
            }
        }
        fields.append(text[start...])
        return fields
    }

    private static func unquoted(_ text: String) -> String {
        guard text.count >= 2, text.first == "\"", text.last == "\"" else { return text }
        var out = ""
        var escaped = false
        for character in text.dropFirst().dropLast() {
            if !escaped, character == "\\" {
                escaped = true
                continue
            }
            escaped = false
            out.append(character)
        }
        return out
    }
}

