/// Every error a service call raises, from the transport up through the clients.
///
/// The fields map one to one onto the error table scripts receive:
/// `kind`, `message`, and where known `service`, `status` (HTTP), `code` (the
/// service's own, e.g. `MSS.00000003`, `APIGW.0301`), `request_id` and
/// `retryable`. Messages never contain secrets: every error built from a
/// server answer or a configuration value passes through a ``Redactor``.
package struct ServiceError: Error, Sendable, Equatable {
    /// The error classes; `rawValue` is the word scripts see.
    package enum Kind: String, Sendable, CaseIterable {
        case invalidArgument = "invalid_argument"
        case config
        case auth
        case forbidden
        case notFound = "not_found"
        case throttled
        case server
        case network
        case timeout
        case badResponse = "bad_response"
        case insufficientCoins = "insufficient_coins"
        case budget
        case checksum
        case download
        case sandbox
        case canceled

        /// Whether an error of this kind is worth retrying by default.
        package var isRetryableByDefault: Bool {
            switch self {
            case .throttled, .server, .network, .timeout: true
            default: false
            }
        }
    }

    package var kind: Kind
    package var message: String
    /// `tryon`, `metastudio`, `modelarts`, `faceedge` or `iam`.
    package var service: String?
    /// The HTTP status of the answer this error was built from.
    package var status: Int?
    /// The service's own error code (`APIGW.0301`, `MSS.00000003`, ...).
    package var code: String?
    package var requestID: String?
    package var retryable: Bool
    /// Seconds the server asked us to wait (`Retry-After`), before any cap.
    package var retryAfter: Double?

    package init(
        _ kind: Kind,
        _ message: String,
        service: String? = nil,
        status: Int? = nil,
        code: String? = nil,
        requestID: String? = nil,
        retryable: Bool? = nil,
        retryAfter: Double? = nil
    ) {
        self.kind = kind
        self.message = message
        self.service = service
        self.status = status
        self.code = code
        self.requestID = requestID
        self.retryable = retryable ?? kind.isRetryableByDefault
        self.retryAfter = retryAfter
    }
}
