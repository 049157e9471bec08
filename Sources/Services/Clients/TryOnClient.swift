import JSON
import RunConfiguration
import Transport

/// The virtual try-on service: `POST {api_url}/api/inf/get_result` with the
/// JSON body `{"openId", "apiKey", "infId"}`.
///
/// Every query costs 0.1 coins: the run-wide ``CoinBudget`` is charged right
/// before each request (retries included) and refuses once `max_coins` would
/// be passed; after a state -2 answer (out of coins) no further try-on query
/// is sent in the run. The run-wide rate limiter spaces queries out, because
/// the service blocks fast pollers by IP; when it blocks us anyway (HTTP 403
/// with its firewall's HTML page), the whole run stops querying for the
/// ``BlockBackoff/cooldown``, lowers its rate, and retries after it.
package struct TryOnClient: Sendable {
    /// The account keys (secrets, registered with the redactor).
    package struct Keys: Sendable {
        package var openID: String
        package var apiKey: String
        package init(openID: String, apiKey: String) {
            self.openID = openID
            self.apiKey = apiKey
        }
    }

    package var caller: ServiceCaller
    package var apiURL: ServiceURL
    /// Prefix of `body_url` and `showUrl` (plain string concatenation).
    package var ossURL: String
    package var budget: CoinBudget
    /// What a firewall block does to the run's try-on queries.
    package var blockBackoff: BlockBackoff
    private let keys: Keys

    package init(
        caller: ServiceCaller, apiURL: ServiceURL, ossURL: String, keys: Keys, budget: CoinBudget,
        blockBackoff: BlockBackoff = .tryOn
    ) {
        self.caller = caller
        self.apiURL = apiURL
        self.ossURL = ossURL
        self.keys = keys
        self.budget = budget
        self.blockBackoff = blockBackoff
        caller.redactor.register(keys.openID)
        caller.redactor.register(keys.apiKey)
    }

    /// One query of job `infID`, normalized: state 1 → queued (with
    /// `position`), 2 → succeeded (with `pose_url`, `show_url`), -1 → failed
    /// (`error` = `infInfoEn`); -2 throws `insufficient_coins`.
    package func result(infID: Int64) async throws(ServiceError) -> ServiceResult {
        let body: JSONValue = .object([
            "openId": .string(keys.openID), "apiKey": .string(keys.apiKey), "infId": .integer(infID),
        ])
        var request = ServiceRequest(
            method: "POST", url: apiURL.appending(segments: ["api", "inf", "get_result"]), body: body.serializedBytes)
        request.headers["Content-Type"] = "application/json"
        request.headers["User-Agent"] = caller.userAgent
        let sealed = request
        let caller = caller
        let budget = budget
        let ossURL = ossURL
        let backoff = blockBackoff
        return try await caller.withRetries { _ in
            try budget.check()
            let response = try await caller.sendOnce(sealed) { () async throws(ServiceError) in try await budget.charge() }
            if Self.isFirewallBlock(response) { throw Self.blocked(response, caller: caller, backoff: backoff) }
            let outcome = Result { () throws(ServiceError) in
                try Self.interpret(
                    response, infID: infID, ossURL: ossURL, redactor: caller.redactor,
                    wallNow: caller.clock.wallNow(), unknown: caller.noteUnknownState)
            }
            if case .failure(let error) = outcome, error.kind == .insufficientCoins {
                await budget.markExhausted("state -2 for infId \(infID)")
            }
            return try outcome.get()
        }
    }

    /// The firewall in front of the try-on API answers a blocked client with
    /// 403 and a short HTML page; the API itself answers in JSON, so a 403
    /// whose body is not JSON is the firewall.
    package static func isFirewallBlock(_ response: ServiceResponse) -> Bool {
        response.status == 403 && (try? JSONParser.parse(response.body)) == nil
    }

    /// Pauses the run's try-on limiter for the cool-down and lowers its rate
    /// (once per block), and returns the `throttled` error whose `Retry-After`
    /// makes the retry wait out the cool-down.
    static func blocked(_ response: ServiceResponse, caller: ServiceCaller, backoff: BlockBackoff) -> ServiceError {
        let lowered = caller.limiter?.block(for: backoff.cooldown, slowingBy: backoff.rateFactor)
        let cooldown = backoff.cooldown
        let seconds = cooldown == cooldown.rounded() && cooldown < 1e15 ? String(Int64(cooldown)) : String(cooldown)
        var message = "the try-on service's firewall blocked this client's IP (HTTP 403 with an HTML page): "
            + "polling too fast; no try-on query is sent for \(seconds) s"
        if let lowered {
            // Logged once per block; the echoes of queries already in flight only retry.
            message += ", then at most \(lowered)"
            caller.logger?.warning("\(message)", metadata: ["service": "tryon"])
        }
        return ServiceError(
            .throttled, message, service: ServiceName.tryon.rawValue, status: response.status,
            requestID: response.headers["X-Request-Id"], retryable: true, retryAfter: backoff.cooldown)
    }

    /// 1 → queued, 2 → succeeded, -1 → failed, else unknown (-2 is handled before).
    package static func status(forState state: Int64?) -> JobStatus {
        switch state {
        case 1: .queued
        case 2: .succeeded
        case -1: .failed
        default: .unknown
        }
    }

    static func interpret(
        _ response: ServiceResponse, infID: Int64, ossURL: String, redactor: Redactor,
        wallNow: Double, unknown: (String) -> Void
    ) throws(ServiceError) -> ServiceResult {
        let service = ServiceName.tryon.rawValue
        guard (200..<300).contains(response.status) else {
            throw ServiceError.fromHuaweiResponse(response, service: service, wallNow: wallNow).redacted(by: redactor)
        }
        let envelope = try response.jsonObject(service: service)
        let requestID = response.headers["X-Request-Id"] ?? envelope["request_id"]?.scalarText
        if let code = envelope["code"]?.int64Value, code != 200 && code != 0 {
            let status = Int(clamping: code)
            let message = envelope["msg"]?.scalarText ?? "the service answered code \(code)"
            throw ServiceError(
                ServiceError.kind(forStatus: status), redactor.redact(message), service: service, status: response.status,
                code: String(code), requestID: requestID)
        }
        guard let data = envelope["data"]?.objectValue else {
            throw ServiceError(
                .badResponse, "try-on answer for infId \(infID) has no 'data' object: "
                    + ServiceError.snippet(redactor.redact(response.bodyText)),
                service: service, status: response.status, requestID: requestID)
        }
        // The service echoes the account's openId in every answer: scripts must never see it.
        var fields = redactor.redact(data)
        for key in ["code", "msg"] where fields[key] == nil {
            if let value = envelope[key] { fields[key] = value }
        }
        let stateValue = data["state"]
        let state = stateValue?.int64Value
        if state == -2 {
            throw ServiceError(
                .insufficientCoins,
                "the try-on account is out of coins (state -2 for infId \(infID)); no further try-on queries are sent",
                service: service, status: response.status, requestID: requestID, retryable: false)
        }
        let status = status(forState: state)
        let rawState = stateValue?.scalarText ?? ""
        if status == .unknown { unknown(rawState.isEmpty ? "(missing state)" : rawState) }
        var extra = JSONObject()
        var error: String?
        if let position = data["position"] { extra["position"] = position }
        switch status {
        case .succeeded:
            if let body = data["body_url"]?.stringValue, !body.isEmpty { extra["pose_url"] = .string(ossURL + body) }
            if let show = data["showUrl"]?.stringValue, !show.isEmpty { extra["show_url"] = .string(ossURL + show) }
        case .failed:
            let english = data["infInfoEn"]?.stringValue ?? ""
            let native = data["infInfo"]?.stringValue ?? ""
            error = !english.isEmpty ? english : !native.isEmpty ? native : "the try-on job failed without a reason"
        default: break
        }
        return ServiceResult(
            service: .tryon, fields: fields, status: status, rawState: rawState, error: error, requestID: requestID,
            extra: extra, httpStatus: response.status)
    }
}
