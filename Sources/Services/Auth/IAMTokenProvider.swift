import JSON
import RunConfiguration
import Synchronization
import Transport

/// Fetches and caches an IAM user token (`POST {iam}/v3/auth/tokens`, password
/// method, project scope; the token arrives in `X-Subject-Token`, its expiry in
/// `token.expires_at`).
///
/// - The token is reused until it is close to expiry: it is renewed once less
///   than `min(renewBefore, lifetime / 4)` remains (one hour for a 24 h token).
/// - Concurrent callers share one fetch.
/// - ``invalidate(_:)`` drops a token a service called expired, so the next
///   ``token()`` fetches a fresh one (once, however many callers saw the 401).
package actor IAMTokenProvider {
    /// The IAM user and the project the token is scoped to.
    package struct Credentials: Sendable {
        package var endpoint: ServiceURL
        package var user: String
        package var domain: String
        package var password: String
        /// Scope by project id when set, else by project name (the region).
        package var projectID: String?
        package var projectName: String?

        package init(
            endpoint: ServiceURL, user: String, domain: String, password: String,
            projectID: String?, projectName: String? = nil
        ) {
            self.endpoint = endpoint
            self.user = user
            self.domain = domain
            self.password = password
            self.projectID = projectID
            self.projectName = projectName
        }
    }

    struct CachedToken: Sendable {
        var value: String
        var expiresAt: Double
        var renewAt: Double
    }

    private let credentials: Credentials
    private let caller: ServiceCaller
    private let renewBefore: Double
    private var cached: CachedToken?
    private var inFlight: SharedFetch?
    /// How many tokens were fetched (tests and counters).
    package private(set) var fetchCount = 0

    package init(credentials: Credentials, caller: ServiceCaller, renewBefore: Double = 3600) {
        self.credentials = credentials
        self.caller = caller
        self.renewBefore = renewBefore
    }

    /// A valid token, fetched when there is none or it is close to expiry.
    package func token() async throws(ServiceError) -> String {
        let now = caller.clock.wallNow()
        if let cached, now < cached.renewAt { return cached.value }
        let fetch: SharedFetch
        if let inFlight {
            fetch = inFlight
        } else {
            fetchCount += 1
            let credentials = credentials
            let caller = caller
            let renewBefore = renewBefore
            fetch = SharedFetch(Task { try await Self.fetch(credentials: credentials, caller: caller, renewBefore: renewBefore) })
            inFlight = fetch
        }
        do {
            let token = try await fetch.value()
            if inFlight === fetch { inFlight = nil }
            if cached == nil || cached!.expiresAt <= token.expiresAt { cached = token }
            return token.value
        } catch {
            if inFlight === fetch { inFlight = nil }
            throw ServiceError.wrap(error, service: ServiceName.iam.rawValue)
        }
    }

    /// One token fetch that concurrent callers share; it is canceled when every
    /// caller waiting for it has been (an interrupted run does not sit through
    /// the fetch and its retries).
    final class SharedFetch: Sendable {
        private let task: Task<CachedToken, any Error>
        private let waiting = Mutex(0)

        init(_ task: Task<CachedToken, any Error>) { self.task = task }

        func value() async throws -> CachedToken {
            waiting.withLock { $0 += 1 }
            return try await withTaskCancellationHandler {
                try await task.value
            } onCancel: {
                if waiting.withLock({ $0 -= 1; return $0 }) == 0 { task.cancel() }
            }
        }
    }

    /// Forgets `token` if it is the cached one (a service said it expired).
    package func invalidate(_ token: String) {
        if cached?.value == token { cached = nil }
    }

    static func fetch(credentials: Credentials, caller: ServiceCaller, renewBefore: Double) async throws -> CachedToken {
        let url = credentials.endpoint.appending(segments: ["v3", "auth", "tokens"])
        let scope: JSONObject =
            if let id = credentials.projectID, !id.isEmpty {
                ["project": .object(["id": .string(id)])]
            } else {
                ["project": .object(["name": .string(credentials.projectName ?? "")])]
            }
        let body: JSONValue = .object([
            "auth": .object([
                "identity": .object([
                    "methods": .array([.string("password")]),
                    "password": .object([
                        "user": .object([
                            "name": .string(credentials.user),
                            "password": .string(credentials.password),
                            "domain": .object(["name": .string(credentials.domain)]),
                        ])
                    ]),
                ]),
                "scope": .object(scope),
            ])
        ])
        let request = ServiceRequest(
            method: "POST", url: url,
            headers: ["Content-Type": "application/json;charset=utf8", "User-Agent": caller.userAgent],
            body: body.serializedBytes)
        return try await caller.withRetries { _ in
            let started = caller.clock.wallNow()
            let response = try await caller.sendOnce(request)
            let service = ServiceName.iam.rawValue
            guard (200..<300).contains(response.status) else {
                var error = ServiceError.fromHuaweiResponse(response, service: service, wallNow: started)
                if error.kind == .auth || error.kind == .invalidArgument {
                    error.kind = .auth
                    error.message = "IAM refused the token request for user \"\(credentials.user)\" in domain "
                        + "\"\(credentials.domain)\": \(error.message)"
                }
                throw error.redacted(by: caller.redactor)
            }
            guard let token = response.headers["X-Subject-Token"], !token.isEmpty else {
                throw ServiceError(
                    .badResponse, "IAM answered without an X-Subject-Token header", service: service,
                    status: response.status, requestID: response.headers["X-Request-Id"])
            }
            caller.redactor.register(token)
            let object = try response.jsonObject(service: service)
            let expiresText = object["token"]?["expires_at"]?.stringValue
            let expiresAt = expiresText.flatMap(UTCTime.parseISO8601) ?? started + 3600
            let lifetime = max(0, expiresAt - started)
            let renewAt = expiresAt - min(renewBefore, lifetime / 4)
            return CachedToken(value: token, expiresAt: expiresAt, renewAt: renewAt)
        }
    }
}
