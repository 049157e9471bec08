import JSON
import Transport

extension ServiceError {
    /// The kind an HTTP error status maps to, for every service.
    package static func kind(forStatus status: Int) -> Kind {
        switch status {
        case 401: .auth
        case 403: .forbidden
        case 404, 410: .notFound
        case 408: .timeout
        case 429: .throttled
        case 500...599: .server
        case 400...499: .invalidArgument
        default: .badResponse
        }
    }

    /// Builds the error for a non-2xx Huawei Cloud answer.
    ///
    /// The body `{"error_code", "error_msg"}` (some gateways add `request_id`)
    /// gives the code and message; the request id comes from `X-Request-Id` or
    /// the body. `APIG.0308` / `APIGW.0308` is throttling whatever the status;
    /// 401 → `auth`, 403 → `forbidden`, 404 → `not_found`, 429 → `throttled`,
    /// 5xx → `server`, other 4xx → `invalid_argument`. A body that is not JSON
    /// is quoted (shortened) in the message.
    package static func fromHuaweiResponse(
        _ response: ServiceResponse, service: String, wallNow: Double = 0
    ) -> ServiceError {
        let parsed = try? JSONParser.parse(response.body)
        // Huawei services: {"error_code", "error_msg"}; IAM: {"error": {"code", "message"}}.
        let nested = parsed?["error"]
        let code = parsed?["error_code"]?.scalarText ?? parsed?["code"]?.scalarText ?? nested?["code"]?.scalarText
        let message =
            parsed?["error_msg"]?.scalarText ?? parsed?["message"]?.scalarText ?? parsed?["msg"]?.scalarText
            ?? nested?["message"]?.scalarText
        let requestID = response.headers["X-Request-Id"] ?? parsed?["request_id"]?.scalarText
        var kind = kind(forStatus: response.status)
        if let code, code.hasSuffix(".0308"), code.hasPrefix("APIG") { kind = .throttled }
        let retryAfter = RetryAfter.seconds(response.headers["Retry-After"], wallNow: wallNow)
        let text: String
        if let message, !message.isEmpty {
            text = message
        } else if response.body.isEmpty {
            text = "HTTP \(response.status) with an empty body"
        } else {
            text = "HTTP \(response.status): " + Self.snippet(response.bodyText)
        }
        return ServiceError(
            kind, text, service: service, status: response.status, code: code, requestID: requestID,
            retryAfter: retryAfter)
    }

    /// The error for a body that is not valid JSON: names the service, the
    /// HTTP status and the byte offset.
    package static func malformedJSON(
        _ failure: JSONParser.Failure, service: String, status: Int, requestID: String?
    ) -> ServiceError {
        ServiceError(
            .badResponse,
            "malformed JSON from \(service) (HTTP \(status)): \(failure.reason) at byte offset \(failure.offset)",
            service: service, status: status, requestID: requestID)
    }

    /// At most 200 characters of `text`, on one line.
    static func snippet(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > 200 ? String(flat.prefix(200)) + "..." : flat
    }
}

extension ServiceResponse {
    /// Parses the body as JSON, or throws `bad_response` naming service, status and offset.
    package func json(service: String) throws(ServiceError) -> JSONValue {
        do {
            return try JSONParser.parse(body)
        } catch {
            throw ServiceError.malformedJSON(error, service: service, status: status, requestID: headers["X-Request-Id"])
        }
    }

    /// Parses the body as a JSON object, or throws `bad_response`.
    package func jsonObject(service: String) throws(ServiceError) -> JSONObject {
        let value = try json(service: service)
        guard let object = value.objectValue else {
            throw ServiceError(
                .badResponse, "expected a JSON object from \(service) (HTTP \(status))", service: service,
                status: status, requestID: headers["X-Request-Id"])
        }
        return object
    }
}
