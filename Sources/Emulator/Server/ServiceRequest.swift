import Hummingbird

/// One request as a route handler sees it: the HTTP request, its id, the faults drawn for
/// it and the emulator's clock reading.
struct ServiceRequest: Sendable {
    let request: Request
    let context: EmulatorRequestContext
    let requestID: String
    let faults: FaultPlan
    let now: Double

    func parameter(_ name: String) -> String {
        PercentEncoding.decode(context.parameters.get(name) ?? "")
    }

    func header(_ name: HeaderName) -> String? {
        request.headers[name]
    }

    var query: QueryString { QueryString(request.uri.query) }

    /// The path's catch-all part (`**`), still percent-encoded.
    var catchAll: String {
        context.parameters.getCatchAll().joined(separator: "/")
    }
}
