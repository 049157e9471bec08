import Crypto

/// Object-storage query-string signatures in the OBS (S3 V2) style that the seeds' URLs show:
/// `?AccessKeyId=..&Expires=..&Signature=..` with
/// `Signature = base64(HMAC-SHA1(secret, "{METHOD}\n\n\n{Expires}\n/{bucket}/{key}"))`.
/// The emulator signs the URLs it hands out and checks them when they come back.
struct ObjectURLSigner: Sendable {
    let accessKeyID: String
    private let prepared: HMAC<Insecure.SHA1>

    init(seed: UInt64) {
        accessKeyID = "MWOBS" + Hex.encode(StableHash.of("obs-access-key", seed: seed)).uppercased()
        let secret = Hex.encode(StableHash.of("obs-secret", seed: seed)) + Hex.encode(StableHash.of("obs-secret-2", seed: seed))
        prepared = HMAC<Insecure.SHA1>(key: SymmetricKey(data: Array(secret.utf8)))
    }

    /// `resource` is `/{bucket}/{key}` with the key's segments percent-encoded.
    func signature(method: String, expires: Int, resource: String) -> String {
        var mac = prepared
        mac.update(data: Array("\(method)\n\n\n\(expires)\n\(resource)".utf8))
        return Base64.encode(mac.finalize())
    }

    /// A signed GET URL for `resource` under `baseURL` (which ends with `/obs`).
    func url(baseURL: String, resource: String, expires: Int) -> String {
        let signature = PercentEncoding.encode(signature(method: "GET", expires: expires, resource: resource))
        return "\(baseURL)\(resource)?AccessKeyId=\(accessKeyID)&Expires=\(expires)&Signature=\(signature)"
    }

    /// `/{bucket}/{key}` with every segment percent-encoded the same way on both sides.
    static func resource(bucket: String, key: String) -> String {
        "/" + PercentEncoding.encode(bucket) + "/" + key.split(separator: "/", omittingEmptySubsequences: false)
            .map { PercentEncoding.encode($0) }.joined(separator: "/")
    }
}
