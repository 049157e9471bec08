extension ServiceError: CustomStringConvertible {
    /// One readable line: `auth error from metastudio (HTTP 401, APIGW.0301, request abc): message`.
    public var description: String {
        var head = "\(kind.rawValue) error"
        if let service { head += " from \(service)" }
        var details: [String] = []
        if let status { details.append("HTTP \(status)") }
        if let code { details.append(code) }
        if let requestID { details.append("request \(requestID)") }
        if !details.isEmpty { head += " (" + details.joined(separator: ", ") + ")" }
        let oneLine = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        return head + ": " + oneLine
    }
}

extension ServiceError {
    /// A copy whose message (and code and request id) went through `redactor`.
    public func redacted(by redactor: Redactor) -> ServiceError {
        var copy = self
        copy.message = redactor.redact(message)
        copy.code = code.map(redactor.redact)
        copy.requestID = requestID.map(redactor.redact)
        return copy
    }

    /// Wraps any error into a `ServiceError`; a `CancellationError` becomes `canceled`.
    public static func wrap(_ error: any Error, service: String?) -> ServiceError {
        if let error = error as? ServiceError { return error }
        if error is CancellationError {
            return ServiceError(.canceled, "the operation was canceled", service: service)
        }
        return ServiceError(.network, String(describing: error), service: service)
    }
}
