import RunConfiguration
import Synchronization
import Transport

/// `http.request`: plain HTTP(S) for webhooks, notifications and other
/// services, on the run's transport (pooling, TLS with the system roots,
/// timeouts, cancellation with the task).
///
/// What it guarantees, whatever the script passes:
/// - no credential of the run is ever attached (the request carries only what
///   the script gave), and none shows in an error or log line, nor do the
///   request's own secrets (``SensitiveValues``) or its URL's query;
/// - a host outside `[http] allow` is refused (`forbidden`) before any
///   connection, on the first request and on every redirect; the configured
///   services' hosts are always allowed;
/// - header values with CR or LF are refused (``ScriptRequestChecks``);
/// - at most ``maxRedirects`` redirects, the body capped at the request's
///   `max_bytes`, `http` and `https` only.
///
/// Any status is an answer, unless the script asked to `raise`. Idempotent
/// methods (or any, with `retry = true`) are retried on network errors,
/// timeouts, 429 and 5xx like the bound calls; after the last attempt a
/// retryable status is still an answer.
package struct WebClient: Sendable {
    package var caller: ServiceCaller
    /// `[http] allow`; nil: any host.
    package var allow: [HostPattern]?
    /// Where `[http] allow` was set, for messages.
    package var allowOrigin: String?
    /// The configured services' hosts, allowed whatever `allow` says.
    package var serviceHosts: Set<String>

    package static let maxRedirects = 5
    package static let defaultMaxBytes = 16 << 20
    static let function = "http.request"

    package init(caller: ServiceCaller, allow: [HostPattern]?, allowOrigin: String? = nil, serviceHosts: Set<String> = []) {
        self.caller = caller
        self.allow = allow
        self.allowOrigin = allowOrigin
        self.serviceHosts = serviceHosts
    }

    /// One request as the script describes it.
    package struct Request: Sendable {
        package var url: String
        package var method: String
        /// Added to the URL's own query.
        package var query: [(name: String, value: String)]
        package var headers: [(name: String, value: String)]
        package var body: [UInt8]
        /// Seconds for the whole exchange, each redirect included.
        package var timeout: Double
        /// Nil: retried only when the method is idempotent.
        package var retry: Bool?
        package var maxBytes: Int
        /// Throw the error table for a 4xx or 5xx instead of returning it.
        package var raise: Bool

        package init(
            url: String, method: String = "GET", query: [(name: String, value: String)] = [],
            headers: [(name: String, value: String)] = [], body: [UInt8] = [], timeout: Double = 30,
            retry: Bool? = nil, maxBytes: Int = WebClient.defaultMaxBytes, raise: Bool = false
        ) {
            self.url = url
            self.method = method
            self.query = query
            self.headers = headers
            self.body = body
            self.timeout = timeout
            self.retry = retry
            self.maxBytes = maxBytes
            self.raise = raise
        }
    }

    /// Sends `request`, following redirects, and returns the final answer.
    package func send(_ request: Request) async throws(ServiceError) -> RequestAnswer {
        var method = try ScriptRequestChecks.method(request.method, function: Self.function)
        var url: ServiceURL
        do {
            url = try ServiceURL(parsing: request.url)
        } catch {
            throw ServiceError(.invalidArgument, "\(Self.function): \(error.message)", service: ServiceName.http.rawValue)
        }
        url.query += request.query.map { ServiceURL.QueryItem($0.name, $0.value) }
        var headers = try ScriptRequestChecks.headers(request.headers, reserved: [], function: Self.function)
        if !request.body.isEmpty, headers["Content-Type"] == nil { headers["Content-Type"] = "application/octet-stream" }
        if headers["User-Agent"] == nil { headers["User-Agent"] = caller.userAgent }
        var caller = caller
        caller.redactor = caller.redactor.adding(SensitiveValues.of(headers: headers, query: url.query, body: request.body))
        let retrying = request.retry ?? ScriptRequestChecks.retriesByDefault(method)
        let deadline = caller.clock.now() + request.timeout
        var body = request.body
        var redirects = 0
        while true {
            try checkAllowed(url)
            let outgoing = ServiceRequest(method: method, url: url, headers: headers, body: body, maxBodyBytes: request.maxBytes)
            let response = try await exchange(outgoing, caller: caller, retrying: retrying, deadline: deadline)
            guard let location = Self.redirectLocation(response) else {
                if request.raise, response.status >= 400 {
                    throw Self.statusError(response, method: method, url: url, redactor: caller.redactor, wallNow: caller.clock.wallNow())
                }
                return RequestAnswer(response, url: url)
            }
            guard redirects < Self.maxRedirects else {
                throw ServiceError(
                    .badResponse,
                    "\(Self.function) \(request.method.uppercased()) \(caller.redactor.redact(url.shownWithoutQuery)): more than \(Self.maxRedirects) redirects",
                    service: ServiceName.http.rawValue, status: response.status, retryable: false)
            }
            redirects += 1
            let next = try url.following(location)
            if next.origin != url.origin {
                // Credentials the script meant for one origin do not travel to another.
                for name in ["Authorization", "Proxy-Authorization", "Cookie"] { headers[name] = nil }
            }
            // 303, and 301/302 after a POST, continue as a GET without the body (as browsers and curl do).
            if response.status == 303 || (method == "POST" && (response.status == 301 || response.status == 302)) {
                if method != "HEAD" { method = "GET" }
                body = []
                headers["Content-Type"] = nil
            }
            url = next
        }
    }

    /// One hop, retried per the policy within `deadline`: a retryable status is an
    /// error inside the retry loop (so it backs off and counts), and the answer
    /// again after the last attempt.
    private func exchange(
        _ request: ServiceRequest, caller: ServiceCaller, retrying: Bool, deadline: Double
    ) async throws(ServiceError) -> ServiceResponse {
        let last = Mutex<ServiceResponse?>(nil)
        do {
            return try await caller.withRetries(retrying: retrying, deadline: deadline) { _ in
                var request = request
                request.timeout = deadline - caller.clock.now()
                guard request.timeout! > 0 else { throw Self.timedOut(request, caller: caller) }
                let response = try await caller.sendOnce(request)
                guard response.status == 429 || (500...599).contains(response.status) && response.status != 501 else {
                    return response
                }
                last.withLock { $0 = response }
                throw Self.statusError(
                    response, method: request.method, url: request.url, redactor: caller.redactor, wallNow: caller.clock.wallNow())
            }
        } catch {
            if let response = last.withLock({ $0 }), error.status == response.status { return response }
            throw error
        }
    }

    /// The `timeout` error once the script's time for the request is up.
    private static func timedOut(_ request: ServiceRequest, caller: ServiceCaller) -> ServiceError {
        ServiceError(
            .timeout, "\(function) \(request.method) \(caller.redactor.redact(request.url.shownWithoutQuery)): no answer in time",
            service: ServiceName.http.rawValue, retryable: false)
    }

    /// `forbidden` unless `url`'s host is a configured service's or matches `[http] allow`.
    private func checkAllowed(_ url: ServiceURL) throws(ServiceError) {
        guard let allow, !serviceHosts.contains(url.host), !allow.contains(where: { $0.matches(url.host) }) else { return }
        let listed = allow.isEmpty ? "it allows no host" : "it allows " + allow.map(\.description).joined(separator: ", ")
        throw ServiceError(
            .forbidden,
            "\(Self.function): host \(url.host) is not allowed by [http] allow\(allowOrigin.map { " (\($0))" } ?? "") — \(listed), "
                + "and the configured services' hosts",
            service: ServiceName.http.rawValue, retryable: false)
    }

    /// The `Location` of a redirect answer, else nil.
    static func redirectLocation(_ response: ServiceResponse) -> String? {
        guard [301, 302, 303, 307, 308].contains(response.status) else { return nil }
        return response.headers["Location"]
    }

    /// The error table for an error status: the usual kind for it, the status,
    /// the request id, and a shortened body in the message.
    static func statusError(
        _ response: ServiceResponse, method: String, url: ServiceURL, redactor: Redactor, wallNow: Double
    ) -> ServiceError {
        var message = "\(function) \(method) \(url.shownWithoutQuery): HTTP \(response.status)"
        if !response.body.isEmpty { message += ": " + ServiceError.snippet(response.bodyText) }
        return ServiceError(
            ServiceError.kind(forStatus: response.status), redactor.redact(message), service: ServiceName.http.rawValue,
            status: response.status, requestID: RequestAnswer(response, url: url).requestID,
            retryAfter: RetryAfter.seconds(response.headers["Retry-After"], wallNow: wallNow))
    }
}
