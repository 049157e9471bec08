extension JSONValue {
    /// Compact JSON text, keys in their stored order. Non-finite numbers become `null`.
    package var serialized: String {
        var output = ""
        write(to: &output)
        return output
    }

    /// The serialized text's UTF-8 bytes (request bodies).
    package var serializedBytes: [UInt8] { Array(serialized.utf8) }

    private func write(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .integer(let value): output += String(value)
        case .number(let value):
            if !value.isFinite {
                output += "null"
            } else if value.rounded() == value, abs(value) < 1e15 {
                output += String(Int64(value)) + ".0"
            } else {
                output += "\(value)"
            }
        case .string(let value): Self.writeString(value, to: &output)
        case .array(let values):
            output += "["
            for (position, value) in values.enumerated() {
                if position > 0 { output += "," }
                value.write(to: &output)
            }
            output += "]"
        case .object(let object):
            output += "{"
            for (position, pair) in object.pairs.enumerated() {
                if position > 0 { output += "," }
                Self.writeString(pair.key, to: &output)
                output += ":"
                pair.value.write(to: &output)
            }
            output += "}"
        }
    }
}

extension JSONObject {
    /// Compact JSON text of this object.
    package var serialized: String { JSONValue.object(self).serialized }
}
