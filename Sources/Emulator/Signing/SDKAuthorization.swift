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

    /// Nil when the header is not of this algorithm or misses a part.
    init?(header: String) {
        guard header.hasPrefix(Self.algorithm + " ") else { return nil }
        var access: String?
        var signed: String?
        var signature: String?
        for part in header.utf8.dropFirst(Self.algorithm.utf8.count + 1).split(separator: UInt8(ascii: ",")) {
            let item = Substring(part).drop { $0 == " " }
            if item.hasPrefix("Access=") {
                access = String(item.dropFirst(7))
            } else if item.hasPrefix("SignedHeaders=") {
                signed = String(item.dropFirst(14))
            } else if item.hasPrefix("Signature=") {
                signature = String(item.dropFirst(10)).trimmingTrailingSpaces()
            }
        }
        guard let access, !access.isEmpty, let signed, !signed.isEmpty, let signature, !signature.isEmpty else {
            return nil
        }
        self.accessKey = access
        self.signedHeaderList = signed
        self.signedHeaders = signed.split(separator: ";").map { $0.lowercased() }
        self.signature = signature
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }

    /// Leading and trailing spaces and tabs removed, as the canonical header form wants.
    func trimmingHeaderWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
