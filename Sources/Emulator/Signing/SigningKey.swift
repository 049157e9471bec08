import Crypto
import Foundation

/// An HMAC-SHA256 keyed once per secret: the inner and outer pads are hashed at load time,
/// and each request copies the prepared state instead of re-deriving it.
struct SigningKey: Sendable {
    private let prepared: HMAC<SHA256>

    init(secret: String) {
        prepared = HMAC<SHA256>(key: SymmetricKey(data: Array(secret.utf8)))
    }

    /// Hex of HMAC-SHA256(secret, message).
    func signatureHex(of message: String) -> String {
        var mac = prepared
        var message = message
        message.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        return Hex.encode(mac.finalize())
    }
}

enum SHA256Hex {
    /// SHA-256 of the empty body, the common case for the GET routes.
    static let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    static func of(_ text: String) -> String {
        var text = text
        return text.withUTF8 { Hex.encode(SHA256.hash(data: UnsafeRawBufferPointer($0))) }
    }

    static func of(bytes: some DataProtocol) -> String {
        bytes.isEmpty ? empty : Hex.encode(SHA256.hash(data: bytes))
    }
}
