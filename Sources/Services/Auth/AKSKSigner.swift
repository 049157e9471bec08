import Crypto

/// Huawei Cloud AK/SK request signing (`SDK-HMAC-SHA256`), as the official SDKs
/// do it (SPEC §4). This is the client's own implementation; the emulator has
/// another, and both are checked against the published test vectors.
public struct AKSKSigner: Sendable {
    public static let algorithm = "SDK-HMAC-SHA256"

    /// The access key id (sent in clear in `Authorization`).
    public let accessKey: String
    private let secretKey: SymmetricKey

    public init(accessKey: String, secretKey: String) {
        self.accessKey = accessKey
        self.secretKey = SymmetricKey(data: Array(secretKey.utf8))
    }

    /// Prepares and signs `request` in place: sets `X-Sdk-Date` from
    /// `epochSeconds`, `Host`, `X-Project-Id` (when given) and `Authorization`.
    /// Every header present at that moment is signed.
    public func sign(_ request: inout ServiceRequest, epochSeconds: Double, projectID: String?) {
        request.headers["Authorization"] = nil
        request.headers["X-Sdk-Date"] = UTCTime.sdkDate(epochSeconds: epochSeconds)
        request.headers["Host"] = request.url.hostHeader
        if let projectID, !projectID.isEmpty { request.headers["X-Project-Id"] = projectID }
        let result = signature(for: request)
        request.headers["Authorization"] =
            "\(Self.algorithm) Access=\(accessKey), SignedHeaders=\(result.signedHeaders), Signature=\(result.signature)"
    }

    /// The signed header list and the hex signature of `request` as it is
    /// (its headers must already hold `X-Sdk-Date` and `Host`).
    public func signature(for request: ServiceRequest) -> (signedHeaders: String, signature: String) {
        let canonical = Self.canonicalRequest(request)
        let stringToSign = Self.stringToSign(canonicalRequest: canonical.text, sdkDate: request.headers["X-Sdk-Date"] ?? "")
        let mac = HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: secretKey)
        return (canonical.signedHeaders, Self.hex(mac))
    }

    /// `SDK-HMAC-SHA256\n{date}\n{hex(sha256(canonical))}`.
    public static func stringToSign(canonicalRequest: String, sdkDate: String) -> String {
        "\(algorithm)\n\(sdkDate)\n\(hex(SHA256.hash(data: Array(canonicalRequest.utf8))))"
    }

    /// The canonical request text and the signed header list (SPEC §4 steps 2-6).
    public static func canonicalRequest(_ request: ServiceRequest) -> (text: String, signedHeaders: String) {
        var byName: [String: String] = [:]
        for field in request.headers {
            let name = field.name.lowercased()
            if name == "authorization" { continue }
            byName[name] = trim(field.value)
        }
        let names = byName.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let signedHeaders = names.joined(separator: ";")
        let headerBlock = names.map { "\($0):\(byName[$0]!)\n" }.joined()
        let text = [
            request.method.uppercased(),
            canonicalURI(request.url.path),
            canonicalQuery(request.url.query),
            headerBlock,
            signedHeaders,
            hex(SHA256.hash(data: request.body)),
        ].joined(separator: "\n")
        return (text, signedHeaders)
    }

    /// Each path segment decoded then re-encoded; a trailing `/` added if missing.
    public static func canonicalURI(_ encodedPath: String) -> String {
        let segments = encodedPath.split(separator: "/", omittingEmptySubsequences: false)
        var uri = segments.map { PercentEncoding.encode(PercentEncoding.decode($0)) }.joined(separator: "/")
        if !uri.hasPrefix("/") { uri = "/" + uri }
        if !uri.hasSuffix("/") { uri += "/" }
        return uri
    }

    /// Pairs sorted by name then value (by UTF-8 bytes), each percent-encoded, `&`-joined.
    public static func canonicalQuery(_ items: [ServiceURL.QueryItem]) -> String {
        items.sorted { lhs, rhs in
            if lhs.name != rhs.name { return Array(lhs.name.utf8).lexicographicallyPrecedes(Array(rhs.name.utf8)) }
            return Array(lhs.value.utf8).lexicographicallyPrecedes(Array(rhs.value.utf8))
        }
        .map { PercentEncoding.encode($0.name) + "=" + PercentEncoding.encode($0.value) }
        .joined(separator: "&")
    }

    private static func trim(_ value: String) -> String { String(value.trimmingSpaces) }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var output: [UInt8] = []
        for byte in digest {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: output, as: UTF8.self)
    }
}
