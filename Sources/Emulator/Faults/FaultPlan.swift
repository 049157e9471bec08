/// The faults drawn for one request: the pipeline applies them around the route's handler.
struct FaultPlan: Sendable {
    var latencyMs = 0
    /// 500, 502 or 503 instead of the real answer.
    var errorStatus: Int?
    /// 429 instead of the real answer, with this `Retry-After`.
    var throttleRetryAfter: Int?
    var reset = false
    var truncate = false
    var malformedJSON = false
    var ignoreRange = false
    var expiredURL = false
    /// Every kind that fired, for the counters.
    var fired: [FaultKind] = []

    static let none = FaultPlan()

    /// Whether the handler is skipped in favour of an error answer.
    var replacesResponse: Bool { errorStatus != nil || throttleRetryAfter != nil }

    mutating func add(_ rule: FaultRule) {
        fired.append(rule.kind)
        switch rule.kind {
        case .error:
            if !replacesResponse { errorStatus = rule.status }
        case .throttle:
            if !replacesResponse { throttleRetryAfter = rule.retryAfter ?? 2 }
        case .latency: latencyMs += rule.latencyMs ?? 0
        case .reset: reset = true
        case .truncate: truncate = true
        case .malformedJSON: malformedJSON = true
        case .ignoreRange: ignoreRange = true
        case .expiredURL: expiredURL = true
        }
    }
}
