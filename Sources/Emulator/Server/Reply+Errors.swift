import Hummingbird
import JSON

/// Error bodies in each service's own style. Codes that the seeds and docs/contract.md §4 name are used as
/// named (MetaStudio `MSS.*`, gateway `APIGW.0301`, `APIG.0308`, `APIG.0202`); where the
/// seeds give no code (ModelArts, face edge) the emulator uses the service prefix with its
/// own numbers, listed in ``ServiceError``.
extension Reply {
    /// An API-gateway error: `{"error_code", "error_msg", "request_id"}`.
    static func gateway(_ status: HTTPResponse.Status, code: String, message: String, requestID: String) -> Reply {
        .json(status, "{\"error_code\":\(JSONValue.quoted(code)),\"error_msg\":\(JSONValue.quoted(message)),\"request_id\":\(JSONValue.quoted(requestID))}")
    }

    /// A service error: `{"error_code", "error_msg"}`, as the MetaStudio seed shows it.
    static func service(_ service: HuaweiService, _ error: ServiceError, detail: String? = nil) -> Reply {
        let (code, message) = error.codeAndMessage(for: service)
        let text = detail.map { "\(message): \($0)" } ?? message
        return .json(error.status, "{\"error_code\":\(JSONValue.quoted(code)),\"error_msg\":\(JSONValue.quoted(text))}")
    }

    /// The try-on service's envelope without `data`: `{"code", "msg"}`.
    static func tryOnError(_ status: HTTPResponse.Status, _ message: String) -> Reply {
        .json(status, "{\"code\":\(status.code),\"msg\":\(JSONValue.quoted(message))}")
    }

    /// The short page a reverse proxy or firewall in front of the try-on service answers with.
    static func proxyPage(_ status: HTTPResponse.Status) -> Reply {
        let title = "\(status.code) \(status.reasonPhrase)"
        return .html(status, "<html>\r\n<head><title>\(title)</title></head>\r\n<body>\r\n<center><h1>\(title)</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
    }

    /// An object-storage XML error, with the request id in the body and `x-obs-request-id`.
    static func objectStorageError(
        _ status: HTTPResponse.Status,
        code: String,
        message: String,
        requestID: String,
        extra: [(String, String)] = []
    ) -> Reply {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(code)</Code><Message>\(message)</Message>"
        for (name, value) in extra { xml += "<\(name)>\(xmlEscaped(value))</\(name)>" }
        xml += "<RequestId>\(requestID)</RequestId><HostId>\(requestID.prefix(16))</HostId></Error>"
        var reply = Reply.xml(status, xml)
        reply.headers[.obsRequestID] = requestID
        return reply
    }

    /// IAM's Keystone-style error: `{"error": {"code", "message", "title"}}`.
    static func iamError(_ status: HTTPResponse.Status, _ message: String) -> Reply {
        .json(status, "{\"error\":{\"code\":\(status.code),\"message\":\(JSONValue.quoted(message)),\"title\":\(JSONValue.quoted(status.reasonPhrase))}}")
    }

    private static func xmlEscaped(_ text: String) -> String {
        text.replacingAll("&", with: "&amp;").replacingAll("<", with: "&lt;").replacingAll(">", with: "&gt;")
    }
}

/// Service-level errors and their codes per service.
enum ServiceError {
    case badRequest, forbidden, notFound, internalError, unavailable

    var status: HTTPResponse.Status {
        switch self {
        case .badRequest: .badRequest
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .internalError: .internalServerError
        case .unavailable: .serviceUnavailable
        }
    }

    func codeAndMessage(for service: HuaweiService) -> (String, String) {
        switch (service, self) {
        // MetaStudio: from the seed; it lists no 404 or 503, so those reuse the nearest codes.
        // (Its 401 MSS.00000001 never appears: authentication fails at the gateway, APIGW.0301.)
        case (.metaStudio, .badRequest), (.metaStudio, .notFound): ("MSS.00000003", "Invalid parameter")
        case (.metaStudio, .forbidden): ("MSS.00000005", "Forbidden")
        case (.metaStudio, .internalError), (.metaStudio, .unavailable): ("MSS.00000004", "Internal Error")
        // ModelArts: ModelArts.0104 is its documented parameter error; the rest are the emulator's.
        case (.modelArts, .badRequest): ("ModelArts.0104", "Parameter error.")
        case (.modelArts, .forbidden): ("ModelArts.0103", "Forbidden.")
        case (.modelArts, .notFound): ("ModelArts.4352", "Processor task version does not exist.")
        case (.modelArts, .internalError): ("ModelArts.0010", "Internal error.")
        case (.modelArts, .unavailable): ("ModelArts.0011", "Service unavailable.")
        // Face edge (video analysis): the emulator's own numbers under the IVA prefix.
        case (.faceEdge, .badRequest): ("IVA.0001", "Invalid parameter")
        case (.faceEdge, .forbidden): ("IVA.0003", "Forbidden")
        case (.faceEdge, .notFound): ("IVA.0004", "Task not found")
        case (.faceEdge, .internalError): ("IVA.0005", "Internal server error")
        case (.faceEdge, .unavailable): ("IVA.0006", "Service unavailable")
        }
    }
}

/// swift-http-types' header name type; Hummingbird re-exports `HTTPFields` but not `HTTPField`.
typealias HeaderName = HTTPFields.Element.Name

extension HeaderName {
    static let requestID = HeaderName("X-Request-Id")!
    static let obsRequestID = HeaderName("x-obs-request-id")!
    static let subjectToken = HeaderName("X-Subject-Token")!
    static let authToken = HeaderName("X-Auth-Token")!
    static let sdkDate = HeaderName("X-Sdk-Date")!
    static let projectID = HeaderName("X-Project-Id")!
    static let appUserID = HeaderName("X-App-UserId")!
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard contains(target) else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
