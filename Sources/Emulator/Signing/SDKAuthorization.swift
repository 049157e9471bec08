/// The parsed `Authorization` header of an SDK-HMAC-SHA256 request:
/// `SDK-HMAC-SHA256 Access={AK}, SignedHeaders={a;b;c}, Signature={hex}`.
struct SDKAuthorization: Sendable {
    static let algorithm = "SDK-HMAC-SHA256"

    let accessKey: String
    /// The raw `SignedHeaders` value, exactly as it enters the canonical request.
    let signedHeaderList: String
    /// Lower-cased names in the order the client listed them.
    let signedHeaders: [String]
    let signature: String

    /// Nil when the header is not of this algorithm or misses a part. Parsed over the UTF-8
    /// bytes in one pass: this runs on every signed request.
    init?(header: String) {
        var access: String?
        var signed: String?
        var signature: String?
        let parsed: Bool = header.utf8.withContiguousStorageIfAvailable { bytes in
            let prefix = Self.algorithm.utf8
            guard bytes.count > prefix.count, bytes.starts(with: prefix), bytes[prefix.count] == 0x20 else { return false }
            var i = prefix.count + 1
            while i < bytes.count {
                while i < bytes.count, bytes[i] == 0x20 { i += 1 }
                var end = i
                while end < bytes.count, bytes[end] != UInt8(ascii: ",") { end += 1 }
                var valueEnd = end
                while valueEnd > i, bytes[valueEnd - 1] == 0x20 { valueEnd -= 1 }
                let item = UnsafeBufferPointer(rebasing: bytes[i..<valueEnd])
                if let value = Self.value(of: "Access=", in: item) {
                    access = value
                } else if let value = Self.value(of: "SignedHeaders=", in: item) {
                    signed = value
                } else if let value = Self.value(of: "Signature=", in: item) {
                    signature = value
                }
                i = end + 1
            }
            return true
        } ?? false
        guard parsed, let access, !access.isEmpty, let signed, !signed.isEmpty, let signature, !signature.isEmpty else {
            return nil
        }
        self.accessKey = access
        self.signedHeaderList = signed
        // The SDKs send the list lower-cased already; only fold case when they did not.
        let names = signed.split(separator: ";").map(String.init)
        self.signedHeaders = signed.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5a }) ? names.map { $0.lowercased() } : names
        self.signature = signature
    }

    private static func value(of key: StaticString, in item: UnsafeBufferPointer<UInt8>) -> String? {
        let keyBytes = UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        guard item.count >= keyBytes.count, item.starts(with: keyBytes) else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: item[keyBytes.count...]), as: UTF8.self)
    }
}

extension String {
    /// Leading and trailing spaces and tabs removed, as the canonical header form wants.
    func trimmingHeaderWhitespace() -> String {
        guard let first = utf8.first, let last = utf8.last,
            first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09
        else { return self }
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
