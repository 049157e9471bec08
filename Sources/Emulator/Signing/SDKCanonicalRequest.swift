/// The canonical request of docs/contract.md §4, computed on the server side from what arrived on the wire.
/// This is the emulator's own implementation; it shares nothing with the client's signer.
enum SDKCanonicalRequest {
    /// CanonicalURI: every segment of the raw path decoded, then re-encoded with the unreserved
    /// set, and a trailing `/` added when missing (only here, not on the request line).
    static func uri(rawPath: String) -> String {
        // The common case: nothing to encode, so the path is already canonical.
        if rawPath.utf8.allSatisfy({ $0 == UInt8(ascii: "/") || PercentEncoding.isUnreserved($0) }) {
            return rawPath.utf8.last == UInt8(ascii: "/") ? rawPath : rawPath + "/"
        }
        var out: [UInt8] = []
        out.reserveCapacity(rawPath.utf8.count + 8)
        let path = Array(rawPath.utf8)
        var segmentStart = 0
        for i in 0...path.count {
            if i == path.count || path[i] == UInt8(ascii: "/") {
                if i > segmentStart {
                    PercentEncoding.encode(PercentEncoding.decode(path[segmentStart..<i]), into: &out)
                }
                if i < path.count { out.append(UInt8(ascii: "/")) }
                segmentStart = i + 1
            }
        }
        if out.last != UInt8(ascii: "/") { out.append(UInt8(ascii: "/")) }
        return String(decoding: out, as: UTF8.self)
    }

    /// CanonicalQuery: pairs sorted by key then value, both encoded, `&`-joined.
    static func query(_ query: QueryString) -> String {
        guard !query.pairs.isEmpty else { return "" }
        let encoded = query.pairs.map { (PercentEncoding.encode($0.key), PercentEncoding.encode($0.value)) }
            .sorted { $0.0 == $1.0 ? $0.1.utf8.lexicographicallyPrecedes($1.1.utf8) : $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        var out = ""
        out.reserveCapacity(encoded.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count + 2 })
        for (index, pair) in encoded.enumerated() {
            if index > 0 { out += "&" }
            out += pair.0
            out += "="
            out += pair.1
        }
        return out
    }

    /// The full canonical request. `headers` are the signed headers' (lower-case name, value)
    /// in the order of `signedHeaderList`.
    static func make(
        method: String,
        rawPath: String,
        query: QueryString,
        headers: [(name: String, value: String)],
        signedHeaderList: String,
        bodySHA256Hex: String
    ) -> String {
        var out = method
        out.reserveCapacity(512)
        out += "\n"
        out += uri(rawPath: rawPath)
        out += "\n"
        out += self.query(query)
        out += "\n"
        for header in headers {
            out += header.name
            out += ":"
            out += header.value.trimmingHeaderWhitespace()
            out += "\n"
        }
        out += "\n"
        out += signedHeaderList
        out += "\n"
        out += bodySHA256Hex
        return out
    }
}
