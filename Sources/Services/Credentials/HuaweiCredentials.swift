import Transport

/// Huawei Cloud credentials read from the environment. Its description never
/// shows the secret values.
package enum HuaweiCredentials: Sendable, Equatable, CustomStringConvertible {
    case akSK(accessKey: String, secretKey: String)
    case token(String)
    case iam(user: String, domain: String, password: String, endpoint: ServiceURL)

    package var description: String {
        switch self {
        case .akSK: "HuaweiCredentials.akSK(***)"
        case .token: "HuaweiCredentials.token(***)"
        case .iam(let user, let domain, _, let endpoint): "HuaweiCredentials.iam(user: \(user), domain: \(domain), endpoint: \(endpoint), password: ***)"
        }
    }

    /// The secret values, for the redactor.
    package var secrets: [String] {
        switch self {
        case .akSK(let accessKey, let secretKey): [accessKey, secretKey]
        case .token(let token): [token]
        case .iam(_, _, let password, _): [password]
        }
    }
}
