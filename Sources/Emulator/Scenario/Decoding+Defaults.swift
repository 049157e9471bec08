extension KeyedDecodingContainer {
    /// The value at `key`, or `fallback` when the key is absent.
    func decode<T: Decodable>(_ key: Key, or fallback: @autoclosure () -> T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback()
    }
}

extension Decoder {
    /// A keyed container that refuses keys `Keys` does not know. Scenario files are written by
    /// hand: a misspelt key would otherwise be ignored in silence and its default used.
    func strictContainer<Keys: CodingKey>(keyedBy keys: Keys.Type) throws -> KeyedDecodingContainer<Keys> {
        let all = try container(keyedBy: AnyKey.self)
        if let unknown = all.allKeys.first(where: { Keys(stringValue: $0.stringValue) == nil }) {
            throw DecodingError.dataCorruptedError(
                forKey: unknown,
                in: all,
                debugDescription: "unknown key \"\(unknown.stringValue)\""
            )
        }
        return try container(keyedBy: keys)
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
