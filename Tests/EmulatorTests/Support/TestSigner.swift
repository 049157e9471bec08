import Crypto
import Foundation

/// A test-side SDK-HMAC-SHA256 signer, written apart from the emulator's verifier (Foundation's
/// percent-encoding, its own sorting) so the two only agree if both follow docs/contract.md §4.
struct TestSigner {
    let accessKey: String
    let secretKey: String

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved)!
    }

    /// The canonical request for a path (not yet encoded), query pairs (not yet encoded) and headers.
    static func canonicalRequest(method: String, path: String, query: [(String, String)], headers: [String: String], body: Data) -> (String, String) {
        var uri = path.split(separator: "/", omittingEmptySubsequences: false).map { encode(String($0)) }.joined(separator: "/")
        if !uri.hasSuffix("/") { uri += "/" }
        let encoded: [(key: String, value: String)] = query.map { (encode($0.0), encode($0.1)) }
        let sorted = encoded.sorted { a, b in a.key != b.key ? a.key < b.key : a.value < b.value }
        let canonicalQuery = sorted.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
        let lowered = Dictionary(uniqueKeysWithValues: headers.map { ($0.key.lowercased(), $0.value.trimmingCharacters(in: .whitespaces)) })
        let names = lowered.keys.sorted()
        let block = names.map { "\($0):\(lowered[$0]!)\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let bodyHash = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
        return ([method, uri, canonicalQuery, block, signedHeaders, bodyHash].joined(separator: "\n"), signedHeaders)
    }

    /// The headers to send: `headers` plus X-Sdk-Date and Authorization.
    func sign(method: String, path: String, query: [(String, String)], headers: [String: String], body: Data = Data(), date: String) -> [String: String] {
        var all = headers
        all["X-Sdk-Date"] = date
        let (canonical, signedHeaders) = Self.canonicalRequest(method: method, path: path, query: query, headers: all, body: body)
        let digest = SHA256.hash(data: Data(canonical.utf8)).map { String(format: "%02x", $0) }.joined()
        let stringToSign = "SDK-HMAC-SHA256\n\(date)\n\(digest)"
        let mac = HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: SymmetricKey(data: Data(secretKey.utf8)))
        let signature = mac.map { String(format: "%02x", $0) }.joined()
        all["Authorization"] = "SDK-HMAC-SHA256 Access=\(accessKey), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return all
    }

    /// `yyyyMMdd'T'HHmmss'Z'` for a Unix time.
    static func date(_ epoch: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: Date(timeIntervalSince1970: epoch))
    }
}
