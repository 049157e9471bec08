import Transport

/// How requests to Huawei Cloud services are authenticated.
package enum HuaweiAuth: Sendable {
    /// AK/SK signing (preferred).
    case akSK(AKSKSigner)
    /// A ready IAM token from the environment; it cannot be renewed.
    case token(String)
    /// Tokens fetched (and renewed) from IAM.
    case iam(IAMTokenProvider)

    /// Adds the authentication headers to `request`; returns the token used, if any.
    func authorize(
        _ request: inout ServiceRequest, projectID: String, wallNow: Double
    ) async throws(ServiceError) -> String? {
        switch self {
        case .akSK(let signer):
            signer.sign(&request, epochSeconds: wallNow, projectID: projectID)
            return nil
        case .token(let token):
            request.headers["X-Auth-Token"] = token
            return token
        case .iam(let provider):
            let token = try await provider.token()
            request.headers["X-Auth-Token"] = token
            return token
        }
    }

}

extension ServiceError {
    /// Whether a 401 says the token expired (`APIG.0307` or a message saying so).
    package var isExpiredToken: Bool {
        guard status == 401 || kind == .auth else { return false }
        if let code, code.hasSuffix(".0307") { return true }
        let lower = message.lowercased()
        return lower.contains("expired") || lower.contains("token must be updated")
    }
}
