import Crypto
import FoundationEssentials
import JSON
import Transport

/// Huawei Cloud AK/SK request signing (`SDK-HMAC-SHA256`), as the official SDKs
/// do it (docs/contract.md §4). This is the client's own implementation; the emulator has
/// another, and both are checked against the published test vectors.
package struct AKSKSigner: Sendable {
    package static let algorithm = "SDK-HMAC-SHA256"

    /// The access key id (sent in clear in `Authorization`).
    package let accessKey: String
    /// An HMAC already keyed with the secret key; each signature starts from a
    /// copy (value semantics), so the key is not hashed again for every request.
    private let keyed: HMAC<SHA256>

    package init(accessKey: String, secretKey: String) {
        self.accessKey = accessKey
        self.keyed = HMAC<SHA256>(key: SymmetricKey(data: Array(secretKey.utf8)))
    }

    /// Prepares and signs `request` in place: sets `X-Sdk-Date` from
    /// `epochSeconds`, `Host`, `X-Project-Id` (when given) and `Authorization`.
    /// Every header present at that moment is signed.
    package func sign(_ request: inout ServiceRequest, epochSeconds: Double, projectID: String?) {
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
    package func signature(for request: ServiceRequest) -> (signedHeaders: String, signature: String) {
        let canonical = Self.canonicalBytes(request)
        var toSign: [UInt8] = []
        toSign.reserveCapacity(96)
        toSign.append(contentsOf: Self.algorithm.utf8)
        toSign.append(Self.newline)
        toSign.append(contentsOf: (request.headers["X-Sdk-Date"] ?? "").utf8)
        toSign.append(Self.newline)
        Self.appendHex(Self.sha256(canonical.bytes), to: &toSign)
        var mac = keyed
        toSign.withUnsafeBytes { mac.update(data: $0) }
        return (canonical.signedHeaders, Self.hex(mac.finalize()))
    }

    /// `SDK-HMAC-SHA256\n{date}\n{hex(sha256(canonical))}`.
    package static func stringToSign(canonicalRequest: String, sdkDate: String) -> String {
        "\(algorithm)\n\(sdkDate)\n\(hex(SHA256.hash(data: Array(canonicalRequest.utf8))))"
    }

    /// The canonical request text and the signed header list (docs/contract.md §4, steps 2-6).
    package static func canonicalRequest(_ request: ServiceRequest) -> (text: String, signedHeaders: String) {
        let canonical = canonicalBytes(request)
        return (String(decoding: canonical.bytes, as: UTF8.self), canonical.signedHeaders)
    }

    /// The canonical request as bytes, built in one buffer: every request is
    /// signed, so this is on the hot path of every Huawei Cloud call.
    static func canonicalBytes(_ request: ServiceRequest) -> (bytes: [UInt8], signedHeaders: String) {
        // Lower-cased names with trimmed values; a name sent twice keeps its last value.
        var headers: [(name: [UInt8], value: Substring)] = []
        headers.reserveCapacity(request.headers.count)
        for field in request.headers {
            let name = field.name.utf8.map(asciiLowercased)
            if name == authorizationName { continue }
            let value = field.value.trimmingSpaces
            if let index = headers.firstIndex(where: { $0.name == name }) {
                headers[index].value = value
            } else {
                headers.append((name, value))
            }
        }
        headers.sort { $0.name.lexicographicallyPrecedes($1.name) }

        var signedHeaders: [UInt8] = []
        for (index, header) in headers.enumerated() {
            if index > 0 { signedHeaders.append(UInt8(ascii: ";")) }
            signedHeaders.append(contentsOf: header.name)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        for byte in request.method.utf8 { bytes.append(byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte) }
        bytes.append(newline)
        appendCanonicalURI(request.url.path, to: &bytes)
        bytes.append(newline)
        bytes.append(contentsOf: canonicalQuery(request.url.query).utf8)
        bytes.append(newline)
        for header in headers {
            bytes.append(contentsOf: header.name)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: header.value.utf8)
            bytes.append(newline)
        }
        bytes.append(newline)
        bytes.append(contentsOf: signedHeaders)
        bytes.append(newline)
        if request.body.isEmpty {
            bytes.append(contentsOf: emptyBodyHash)
        } else {
            appendHex(sha256(request.body), to: &bytes)
        }
        return (bytes, String(decoding: signedHeaders, as: UTF8.self))
    }

    /// Each path segment decoded then re-encoded; a trailing `/` added if missing.
    package static func canonicalURI(_ encodedPath: String) -> String {
        var bytes: [UInt8] = []
        appendCanonicalURI(encodedPath, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func appendCanonicalURI(_ encodedPath: String, to bytes: inout [UInt8]) {
        let path = encodedPath.utf8
        if path.first != UInt8(ascii: "/") { bytes.append(UInt8(ascii: "/")) }
        // Our own URLs are made of unreserved characters and slashes: already canonical.
        if path.allSatisfy({ $0 == UInt8(ascii: "/") || PercentEncoding.isUnreserved($0) }) {
            bytes.append(contentsOf: path)
        } else {
            let segments = encodedPath.split(separator: "/", omittingEmptySubsequences: false)
            let encoded = segments.map { PercentEncoding.encode(PercentEncoding.decode($0)) }.joined(separator: "/")
            bytes.append(contentsOf: encoded.utf8)
        }
        if bytes.last != UInt8(ascii: "/") { bytes.append(UInt8(ascii: "/")) }
    }

    /// Pairs sorted by name then value (by UTF-8 bytes), each percent-encoded, `&`-joined.
    package static func canonicalQuery(_ items: [ServiceURL.QueryItem]) -> String {
        guard !items.isEmpty else { return "" }
        // Bytes, not String comparison: `!=` on Strings treats canonically equivalent
        // spellings (é as one scalar or two) as equal, which the signature does not.
        return items.sorted { lhs, rhs in
            if !lhs.name.utf8.elementsEqual(rhs.name.utf8) { return lhs.name.utf8.lexicographicallyPrecedes(rhs.name.utf8) }
            return lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8)
        }
        .map { PercentEncoding.encode($0.name) + "=" + PercentEncoding.encode($0.value) }
        .joined(separator: "&")
    }

    private static let newline = UInt8(ascii: "\n")
    private static let authorizationName = Array("authorization".utf8)
    private static let emptyBodyHash = Array(hex(SHA256.hash(data: [UInt8]())).utf8)
    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }

    /// SHA-256 through the raw-buffer entry point (the `DataProtocol` one walks regions generically).
    private static func sha256(_ bytes: [UInt8]) -> SHA256.Digest {
        var hash = SHA256()
        bytes.withUnsafeBytes { hash.update(bufferPointer: $0) }
        return hash.finalize()
    }

    private static func appendHex(_ digest: some ContiguousBytes, to bytes: inout [UInt8]) {
        digest.withUnsafeBytes { raw in
            for byte in raw {
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0x0F)])
            }
        }
    }

    static func hex(_ digest: some ContiguousBytes) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(64)
        appendHex(digest, to: &output)
        return String(decoding: output, as: UTF8.self)
    }
}
