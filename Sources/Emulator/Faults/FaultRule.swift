/// A fault to inject on a route, by probability or by schedule.
///
/// ```json
/// {"route": "metastudio.job", "kind": "error", "status": 503, "requests": [3]}
/// {"route": "*", "kind": "latency", "latency_ms": 200, "probability": 0.5}
/// {"route": "obs.object", "kind": "reset", "limit": 1}
/// ```
/// With neither `probability` nor `requests` the rule fires on every request (up to `limit`).
package struct FaultRule: Codable, Sendable, Equatable {
    /// An ``EmulatorRoute`` name, or `*` for every faultable route.
    package var route: String
    package var kind: FaultKind
    /// For `error`: 500, 502 or 503.
    package var status: Int?
    /// For `throttle`: the `Retry-After` seconds (default 2).
    package var retryAfter: Int?
    /// For `latency`: the added delay.
    package var latencyMs: Int?
    /// Chance (0...1) that a matching request is hit; drawn from the seed, so reproducible.
    package var probability: Double?
    /// The 1-based numbers of the requests to hit, counted on this rule's route(s) from the
    /// moment the rule was installed ("the 3rd request to X": `[3]`).
    package var requests: [Int]?
    /// Stop after hitting this many requests.
    package var limit: Int?

    package init(
        route: String,
        kind: FaultKind,
        status: Int? = nil,
        retryAfter: Int? = nil,
        latencyMs: Int? = nil,
        probability: Double? = nil,
        requests: [Int]? = nil,
        limit: Int? = nil
    ) {
        self.route = route
        self.kind = kind
        self.status = status
        self.retryAfter = retryAfter
        self.latencyMs = latencyMs
        self.probability = probability
        self.requests = requests
        self.limit = limit
    }

    enum CodingKeys: String, CodingKey {
        case route, kind, status, retryAfter = "retry_after", latencyMs = "latency_ms", probability, requests, limit
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(
            route: try c.decode(.route, or: "*"),
            kind: try c.decode(FaultKind.self, forKey: .kind),
            status: try c.decodeIfPresent(Int.self, forKey: .status),
            retryAfter: try c.decodeIfPresent(Int.self, forKey: .retryAfter),
            latencyMs: try c.decodeIfPresent(Int.self, forKey: .latencyMs),
            probability: try c.decodeIfPresent(Double.self, forKey: .probability),
            requests: try c.decodeIfPresent([Int].self, forKey: .requests),
            limit: try c.decodeIfPresent(Int.self, forKey: .limit)
        )
    }
}

/// What a fault does.
package enum FaultKind: String, Codable, Sendable, CaseIterable {
    /// Answer 500, 502 or 503 with the service's error body.
    case error
    /// Answer 429 with `Retry-After` (Huawei routes: an `APIG.0308` body).
    case throttle
    /// Wait `latency_ms` before answering.
    case latency
    /// Send the head and part of the body, then reset the connection (RST).
    case reset
    /// Send a full `Content-Length` but only part of the body, then close the connection.
    case truncate
    /// Answer 200 with a body that is not valid JSON (face edge: the seed's unescaped `target_roi`).
    case malformedJSON = "malformed_json"
    /// Serve the whole file with 200 although the request asked for a `Range`.
    case ignoreRange = "ignore_range"
    /// On API routes, hand out signed URLs that have already expired; on `obs.object`,
    /// answer the request as if its URL had expired.
    case expiredURL = "expired_url"
}

extension FaultRule {
    /// The routes this rule applies to, after checking that its kind makes sense there.
    func validatedRoutes() throws -> [EmulatorRoute] {
        let routes: [EmulatorRoute]
        if route == "*" {
            routes = EmulatorRoute.faultable.filter { applies(to: $0) }
        } else {
            guard let named = EmulatorRoute(rawValue: route), EmulatorRoute.faultable.contains(named) else {
                let names = EmulatorRoute.faultable.map(\.rawValue).joined(separator: ", ")
                throw ScenarioError("fault route \"\(route)\" is not one of *, \(names)")
            }
            guard applies(to: named) else {
                throw ScenarioError("fault kind \(kind.rawValue) does not apply to route \(route)")
            }
            routes = [named]
        }
        switch kind {
        case .error:
            guard let status, [500, 502, 503].contains(status) else {
                throw ScenarioError("fault kind error needs \"status\": 500, 502 or 503")
            }
        case .latency:
            guard let latencyMs, latencyMs > 0 else { throw ScenarioError("fault kind latency needs a positive \"latency_ms\"") }
        case .throttle:
            if let retryAfter, retryAfter < 0 { throw ScenarioError("\"retry_after\" must not be negative") }
        default:
            break
        }
        if let probability, !(0...1).contains(probability) {
            throw ScenarioError("fault \"probability\" must be within 0...1")
        }
        if let requests, requests.contains(where: { $0 < 1 }) {
            throw ScenarioError("fault \"requests\" are 1-based request numbers")
        }
        return routes
    }

    private func applies(to route: EmulatorRoute) -> Bool {
        switch kind {
        case .malformedJSON: route.servesJSON
        case .ignoreRange: route.servesObjects
        case .expiredURL: route.usesSignedURLs
        default: true
        }
    }
}
