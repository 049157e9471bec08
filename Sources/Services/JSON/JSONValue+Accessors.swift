extension JSONValue {
    /// The field `key` when this is an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    public var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let bool) = self { return bool }
        return nil
    }

    /// An integer, or a number with no fraction that fits, or a string of digits
    /// (some services quote their numbers).
    public var int64Value: Int64? {
        switch self {
        case .integer(let value): return value
        case .number(let value):
            guard value.rounded() == value, abs(value) < 9.2e18 else { return nil }
            return Int64(value)
        case .string(let text): return Int64(text.trimmingSpaces)
        default: return nil
        }
    }

    /// Any number (or a numeric string) as a `Double`.
    public var doubleValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .number(let value): return value
        case .string(let text): return Double(text.trimmingSpaces)
        default: return nil
        }
    }

    public var isNull: Bool { self == .null }
}

extension String {
    var trimmingSpaces: Substring {
        // Most values have nothing to trim: answer without walking Characters.
        if let first = utf8.first, let last = utf8.last, !Self.isSpaceByte(first), !Self.isSpaceByte(last) {
            return self[...]
        }
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" || first == "\n" || first == "\r" {
            slice = slice.dropFirst()
        }
        while let last = slice.last, last == " " || last == "\t" || last == "\n" || last == "\r" {
            slice = slice.dropLast()
        }
        return slice
    }

    private static func isSpaceByte(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
