import NIOCore
import NIOHTTP1

/// One request/answer on a connection, as the connection's handler sees it:
/// what to send, where to put the answer, and the limits that apply.
struct HTTP1Exchange: Sendable {
    /// Tells this exchange from the connection's earlier and later ones, so a
    /// late cancellation cannot reach the next request.
    var id: UInt64
    var head: HTTPRequestHead
    var body: ByteBuffer?
    var deadline: NIODeadline
    var readTimeout: TimeAmount
    var maxBodyBytes: Int
    var completion: @Sendable (Result<HTTP1Answer, HTTP1ExchangeError>) -> Void
}

/// A complete answer and whether its connection may carry another request.
struct HTTP1Answer: Sendable {
    var response: ServiceResponse
    var keepAlive: Bool
}

/// Why an exchange ended without an answer, before mapping to ``ServiceError``.
enum HTTP1ExchangeError: Error, Sendable {
    /// The connection closed or failed before the answer was complete.
    case connectionLost(String)
    /// TLS could not be set up (an untrusted certificate, no common protocol): not worth retrying.
    case tlsHandshake(String)
    case deadlineExceeded
    case readTimeout
    case bodyTooLarge
    /// The transport was shut down.
    case shutDown
    case canceled
}
