/// Hand-written JSON for the service routes. The hot routes build their bodies with string
/// interpolation instead of `JSONEncoder`, which would allocate and reflect on every request,
/// and because the seeds fix the field order.
enum JSONText {
    /// A JSON string literal, quoted and escaped.
    static func string(_ value: String) -> String {
        var needsEscaping = false
        for unit in value.utf8 where unit < 0x20 || unit == 0x22 || unit == 0x5c {
            needsEscaping = true
            break
        }
        if !needsEscaping { return "\"\(value)\"" }
        var out = "\""
        out.reserveCapacity(value.utf8.count + 8)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A JSON number for a Double, keeping a fractional part like the try-on service's
    /// Python-style `5.0` and `0.0`.
    static func number(_ value: Double) -> String {
        value.description
    }
}
