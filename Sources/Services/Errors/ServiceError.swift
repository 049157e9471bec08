/// Every error the Services layer raises.
///
/// The fields map one to one onto the Lua error table of docs/contract.md §2.5:
/// `kind`, `message`, and where known `service`, `status` (HTTP), `code` (the
/// service's own, e.g. `MSS.00000003`, `APIGW.0301`), `request_id` and
/// `retryable`. Messages never contain secrets: every error built from a
/// server answer or a configuration value passes through a ``Redactor``.
public struct ServiceError: Error, Sendable, Equatable {
    /// The error classes of docs/contract.md §2.5; `rawValue` is the word scripts see.
    public enum Kind: String, Sendable, CaseIterable {
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
        public var isRetryableByDefault: Bool {
            switch self {
            case .throttled, .server, .network, .timeout: true
            default: false
            }
        }
    }

    public var kind: Kind
    public var message: String
    /// `tryon`, `metastudio`, `modelarts`, `faceedge` or `iam`.
    public var service: String?
    /// The HTTP status of the answer this error was built from.
    public var status: Int?
    /// The service's own error code (`APIGW.0301`, `MSS.00000003`, ...).
    public var code: String?
    public var requestID: String?
    public var retryable: Bool
    /// Seconds the server asked us to wait (`Retry-After`), before any cap.
    public var retryAfter: Double?

    public init(
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
