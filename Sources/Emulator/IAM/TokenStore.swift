import Synchronization

/// Issued IAM tokens and their expiry.
final class TokenStore: Sendable {
    struct Token: Sendable {
        let user: String
        let projectID: String
        let expiresAt: Double
    }

    private let tokens = Mutex<[String: Token]>([:])

    func issue(_ value: String, _ token: Token) {
        tokens.withLock { $0[value] = token }
    }

    func lookup(_ value: String) -> Token? {
        tokens.withLock { $0[value] }
    }

    func reset() {
        tokens.withLock { $0.removeAll() }
    }
}
