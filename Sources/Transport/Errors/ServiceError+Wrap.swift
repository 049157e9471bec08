extension ServiceError {
    /// Wraps any error into a `ServiceError`; a `CancellationError` becomes `canceled`.
    package static func wrap(_ error: any Error, service: String?) -> ServiceError {
        if let error = error as? ServiceError { return error }
        if error is CancellationError {
            return ServiceError(.canceled, "the operation was canceled", service: service)
        }
        return ServiceError(.network, String(describing: error), service: service)
    }
}
