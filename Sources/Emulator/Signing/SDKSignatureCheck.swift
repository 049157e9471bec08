/// Everything the verifier needs from a request, already taken off the wire.
struct SignedRequestView {
    var method: String
    var rawPath: String
    var query: QueryString
    /// The request's headers as (lower-case name, value), `host` included.
    var headers: [(name: String, value: String)]
    var bodySHA256Hex: String

    /// The value of a header by lower-case name; several values are joined with ", ".
    func header(_ name: String) -> String? {
        var found: String?
        for field in headers where field.name == name {
            found = found.map { "\($0), \(field.value)" } ?? field.value
        }
        return found
    }
}

/// Why a signed request was refused; each case maps onto one APIGW.0301 message.
enum SDKSignatureFailure: Error, Equatable {
    case malformedAuthorization
    case missingDate
    case malformedDate(String)
    case requiredHeaderNotSigned(String)
    case signedHeaderMissing(String)
    case expired(date: String, serverTime: String)
    case unknownAccessKey(String)
    case mismatch(canonicalRequest: String, stringToSign: String)
}

/// Verifies SDK-HMAC-SHA256 signatures (docs/contract.md §4) against the emulator's key table.
struct SDKSignatureCheck {
    /// The gateway's tolerance for clock skew.
    static let window: Double = 15 * 60
    /// Headers that must be covered by the signature when the request carries them.
    static let requiredSigned = ["host", "x-sdk-date"]

    let lookupKey: (String) -> SigningKey?

    /// Returns the access key on success.
    func verify(_ request: SignedRequestView, authorization header: String, now: Double) -> Result<String, SDKSignatureFailure> {
        guard let auth = SDKAuthorization(header: header) else { return .failure(.malformedAuthorization) }
        guard let date = request.header("x-sdk-date") else { return .failure(.missingDate) }
        for name in Self.requiredSigned where !auth.signedHeaders.contains(name) {
            return .failure(.requiredHeaderNotSigned(name))
        }
        // The project header picks the project the key acts on, so it may not ride unsigned.
        if request.header("x-project-id") != nil, !auth.signedHeaders.contains("x-project-id") {
            return .failure(.requiredHeaderNotSigned("x-project-id"))
        }
        guard let signedAt = RFC3339.parseSDKDate(date) else { return .failure(.malformedDate(date)) }
        if abs(now - signedAt) > Self.window {
            return .failure(.expired(date: date, serverTime: RFC3339.sdkDate(now)))
        }
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(auth.signedHeaders.count)
        for name in auth.signedHeaders {
            guard let value = request.header(name) else { return .failure(.signedHeaderMissing(name)) }
            headers.append((name, value))
        }
        guard let key = lookupKey(auth.accessKey) else { return .failure(.unknownAccessKey(auth.accessKey)) }
        let canonical = SDKCanonicalRequest.make(
            method: request.method,
            rawPath: request.rawPath,
            query: request.query,
            headers: headers,
            signedHeaderList: auth.signedHeaderList,
            bodySHA256Hex: request.bodySHA256Hex
        )
        let stringToSign = "\(SDKAuthorization.algorithm)\n\(date)\n\(SHA256Hex.of(canonical))"
        guard constantTimeEquals(key.signatureHex(of: stringToSign), auth.signature) else {
            return .failure(.mismatch(canonicalRequest: canonical, stringToSign: stringToSign))
        }
        return .success(auth.accessKey)
    }

    private func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
