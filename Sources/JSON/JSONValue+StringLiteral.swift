/// The one JSON string escaper: request bodies, the emulator's hand-written answers, the
/// journal's rows built from CSV and the console's JSON log lines all quote text through it.
extension JSONValue {
    /// Appends `value` as a JSON string literal, quotes included.
    package static func writeString(_ value: String, to output: inout String) {
        // Most strings (ids, states, URLs) need no escape: the emulator's hot routes quote
        // several per answer, so they are appended whole instead of scalar by scalar.
        guard value.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else {
            output += "\""
            output += value
            output += "\""
            return
        }
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }

    /// `value` as a JSON string literal, quotes included.
    package static func quoted(_ value: String) -> String {
        var output = ""
        writeString(value, to: &output)
        return output
    }
}
