import Transport

extension ServiceError {
    /// A copy whose message (and code and request id) went through `redactor`.
    package func redacted(by redactor: Redactor) -> ServiceError {
        var copy = self
        copy.message = redactor.redact(message)
        copy.code = code.map(redactor.redact)
        copy.requestID = requestID.map(redactor.redact)
        return copy
    }
}
