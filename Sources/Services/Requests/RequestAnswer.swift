import Transport

/// What `api.huaweicloud.request` and `http.request` hand back to the script:
/// the answer as it came, after redirects, with its request id.
package struct RequestAnswer: Sendable, Equatable {
    package var status: Int
    package var headers: HTTPFields
    package var body: [UInt8]
    /// `X-Request-Id` (or `X-Request-ID`, `Request-Id`), when the server sent one.
    package var requestID: String?
    /// Where the answer came from: the request's URL, or the last redirect's.
    package var url: ServiceURL

    package init(_ response: ServiceResponse, url: ServiceURL) {
        status = response.status
        headers = response.headers
        body = response.body
        requestID = response.headers["X-Request-Id"] ?? response.headers["Request-Id"]
        self.url = url
    }

    /// Whether the body is JSON by its `Content-Type` (`application/json`, `…+json`).
    package var isJSON: Bool {
        guard let type = headers["Content-Type"]?.lowercased() else { return false }
        let essence = String(type.split(separator: ";", maxSplits: 1).first ?? "").trimmingSpaces
        return essence == "application/json" || essence.hasSuffix("+json")
    }
}
