/// The decoded `key=value` pairs of a raw query string, in request order.
struct QueryString: Sendable {
    let pairs: [(key: String, value: String)]

    init(_ raw: String?) {
        guard let raw, !raw.isEmpty else {
            pairs = []
            return
        }
        pairs = raw.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true).map { item in
            let bytes = Array(item)
            if let eq = bytes.firstIndex(of: UInt8(ascii: "=")) {
                return (
                    String(decoding: PercentEncoding.decode(bytes[..<eq]), as: UTF8.self),
                    String(decoding: PercentEncoding.decode(bytes[(eq + 1)...]), as: UTF8.self)
                )
            }
            return (String(decoding: PercentEncoding.decode(bytes), as: UTF8.self), "")
        }
    }

    /// The first value for `key`.
    subscript(_ key: String) -> String? {
        pairs.first { $0.key == key }?.value
    }
}
