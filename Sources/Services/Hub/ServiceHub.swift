import CoreMetrics
import Logging
import RunConfiguration
import Transport

/// Everything the `api` bindings need for one run: the four clients built
/// from a configuration, a transport and an environment, sharing the run-wide
/// rate limiters, the coin budget, the IAM token cache, the redactor and the
/// counters.
///
/// A client whose configuration or credentials are missing is not built; asking
/// for it throws the `config` error naming the key or environment variable, and
/// ``problems(for:)`` lists those errors up front, before any request.
///
/// `public` only because Bindings' public `install` names it; its members are `package`.
public final class ServiceHub: Sendable {
    package let configuration: MoonwatchConfiguration
    package let counters: RunCounters
    package let redactor: Redactor
    package let budget: CoinBudget
    package let unknownStates: UnknownStateReporter
    package let clock: ServiceClock
    package let random: RandomSource
    /// Rate limiters by service (try-on from `tryon.rate`).
    package let limiters: [ServiceName: RateLimiter]

    private let tryonClient: Result<TryOnClient, ServiceError>
    private let metastudioClient: Result<MetaStudioClient, ServiceError>
    private let modelartsClient: Result<ModelArtsClient, ServiceError>
    private let faceedgeClient: Result<FaceEdgeClient, ServiceError>
    /// `[services.NAME]` gateways by NAME.
    private let configuredGateways: [String: Result<HuaweiGateway, ServiceError>]
    /// `http.request`'s client: the run's transport, no credentials.
    package let web: WebClient
    private let environment: [String: String]

    /// - Parameters:
    ///   - configuration: the loaded configuration.
    ///   - environment: where credentials are read (the process environment in the CLI).
    ///   - transport: the HTTP transport (an ``HTTP1Transport`` in the CLI).
    ///   - retryPolicies: retry policies by service; unlisted services use
    ///     ``RetryPolicy/defaults(for:)`` (try-on retries slower).
    ///   - rateLimits: extra per-service limits (try-on's comes from the configuration).
    ///   - tryonBlockBackoff: what a try-on firewall block does (the cool-down
    ///     must cover the service's block, 300 s by default; tests shorten both).
    ///   - logger: where retries, token renewals and unknown states are logged (redacted).
    ///   - redactor: where the run's secrets are registered; share it with every log handler.
    ///   - onUnknownState: called once per (service, state) the host does not know.
    ///   - metrics: the run's metrics factory (`--metrics`), which ``counters`` also record into.
    package init(
        configuration: MoonwatchConfiguration,
        environment: [String: String],
        transport: any HTTPTransport,
        clock: ServiceClock = .system,
        random: RandomSource = .system,
        retryPolicies: [ServiceName: RetryPolicy] = [:],
        rateLimits: [ServiceName: RateLimit] = [:],
        tryonBlockBackoff: BlockBackoff = .tryOn,
        logger: Logger? = nil,
        redactor: Redactor = Redactor(),
        onUnknownState: (@Sendable (ServiceName, String) -> Void)? = nil,
        metrics: (any MetricsFactory)? = nil
    ) {
        self.configuration = configuration
        self.environment = environment
        self.clock = clock
        self.random = random
        let counters = RunCounters(metrics: metrics)
        self.counters = counters
        self.redactor = redactor
        self.budget = CoinBudget(maxCoins: configuration.tryon.maxCoins, counters: counters)
        self.unknownStates = UnknownStateReporter { service, state in
            logger?.warning(
                "unknown state from \(service.rawValue): \(redactor.redact(state)); treated as 'unknown' (not terminal)")
            onUnknownState?(service, state)
        }

        var limits = rateLimits
        if limits[.tryon] == nil { limits[.tryon] = configuration.tryon.rate }
        for (name, table) in configuration.services {
            if let rate = table.rate, limits[ServiceName(rawValue: name)] == nil { limits[ServiceName(rawValue: name)] = rate }
        }
        self.limiters = limits.mapValues { RateLimiter($0, clock: clock) }

        let credentials = configuration.resolveCredentials(environment: environment)
        for secret in credentials.secrets { redactor.register(secret) }

        let unknownStates = self.unknownStates
        let limiters = self.limiters
        func caller(_ service: ServiceName) -> ServiceCaller {
            let retrier = Retrier(
                policy: retryPolicies[service] ?? .defaults(for: service), clock: clock, random: random, counters: counters,
                onRetry: { error, attempt, delay in
                    let milliseconds = Int((delay * 1000).rounded())
                    let reason = redactor.redact(error.description)
                    logger?.notice("retrying \(service.rawValue) after attempt \(attempt) in \(milliseconds) ms: \(reason)")
                })
            return ServiceCaller(
                service: service, transport: transport, retrier: retrier, limiter: limiters[service],
                counters: counters, redactor: redactor, clock: clock, unknownStates: unknownStates, logger: logger)
        }

        let budget = self.budget
        tryonClient = Result { () throws(ServiceError) in
            let apiURL = try configuration.endpoint(for: .tryon).get()
            guard let ossURL = configuration.tryon.ossURL else {
                throw ServiceError(.config, "tryon.oss_url is not set", service: "tryon")
            }
            let keys = try credentials.tryon.get()
            return TryOnClient(
                caller: caller(.tryon), apiURL: apiURL, ossURL: ossURL, keys: keys, budget: budget,
                blockBackoff: tryonBlockBackoff)
        }

        let auth: Result<HuaweiAuth, ServiceError> = Result { () throws(ServiceError) in
            guard let projectID = configuration.huaweicloud.projectID else {
                throw ServiceError(
                    .config, "huaweicloud.project_id is not set (in moonwatch.toml or MOONWATCH_HUAWEICLOUD_PROJECT_ID)",
                    service: "huaweicloud")
            }
            switch try credentials.huawei.get() {
            case .akSK(let accessKey, let secretKey):
                return .akSK(AKSKSigner(accessKey: accessKey, secretKey: secretKey))
            case .token(let token):
                return .token(token)
            case .iam(let user, let domain, let password, let endpoint):
                let provider = IAMTokenProvider(
                    credentials: .init(
                        endpoint: endpoint, user: user, domain: domain, password: password, projectID: projectID,
                        projectName: configuration.huaweicloud.region),
                    caller: caller(.iam))
                return .iam(provider)
            }
        }
        func gateway(_ service: ServiceName) throws(ServiceError) -> HuaweiGateway {
            let endpoint = try configuration.endpoint(for: service).get()
            return HuaweiGateway(
                caller: caller(service), endpoint: endpoint, projectID: configuration.huaweicloud.projectID ?? "",
                auth: try auth.get())
        }
        metastudioClient = Result { () throws(ServiceError) in
            MetaStudioClient(gateway: try gateway(.metastudio), defaultAppUserID: configuration.metastudio.appUserID)
        }
        modelartsClient = Result { () throws(ServiceError) in ModelArtsClient(gateway: try gateway(.modelarts)) }
        faceedgeClient = Result { () throws(ServiceError) in FaceEdgeClient(gateway: try gateway(.faceedge)) }
        configuredGateways = Dictionary(uniqueKeysWithValues: configuration.services.keys.map { name in
            (name, Result { () throws(ServiceError) in try gateway(ServiceName(rawValue: name)) })
        })
        web = WebClient(
            caller: caller(.http), allow: configuration.http.allow, allowOrigin: configuration.origins["http.allow"],
            serviceHosts: configuration.serviceHosts)
    }

    package func tryon() throws(ServiceError) -> TryOnClient { try tryonClient.get() }
    package func metastudio() throws(ServiceError) -> MetaStudioClient { try metastudioClient.get() }
    package func modelarts() throws(ServiceError) -> ModelArtsClient { try modelartsClient.get() }
    package func faceedge() throws(ServiceError) -> FaceEdgeClient { try faceedgeClient.get() }

    /// `api.huaweicloud.request`'s client for `service`: a built-in Huawei Cloud
    /// service (sharing its client's limiter and counters) or a `[services.NAME]` one.
    /// - Throws: `config` for a name that is neither, or whose configuration is incomplete.
    package func huaweiCloud(_ service: ServiceName) throws(ServiceError) -> HuaweiCloudClient {
        switch service {
        case .metastudio: return HuaweiCloudClient(gateway: try metastudio().gateway)
        case .modelarts: return HuaweiCloudClient(gateway: try modelarts().gateway)
        case .faceedge: return HuaweiCloudClient(gateway: try faceedge().gateway)
        default:
            if let gateway = configuredGateways[service.rawValue] { return HuaweiCloudClient(gateway: try gateway.get()) }
            if ServiceName.allCases.contains(service) || service == .http {
                throw ServiceError(
                    .config, "'\(service)' is not a Huawei Cloud service api.huaweicloud.request can call (built in: metastudio, modelarts, faceedge)",
                    service: service.rawValue)
            }
            throw configuration.notConfigured(service)
        }
    }

    /// Runs one call a script makes to `service` and counts the error it
    /// finally throws, the one the script sees: once, after the retries and
    /// the token renewal, whatever layer below raised it (a `config` error for
    /// a client that could not be built, a page that does not parse).
    package func call<T>(_ service: ServiceName, _ body: () async throws(ServiceError) -> T) async throws(ServiceError) -> T {
        do throws(ServiceError) {
            return try await body()
        } catch {
            counters.countError(service.rawValue, kind: error.kind)
            throw error
        }
    }

    /// ``call(_:_:)`` for what fails before sending anything.
    package func call<T>(_ service: ServiceName, _ body: () throws(ServiceError) -> T) throws(ServiceError) -> T {
        do throws(ServiceError) {
            return try body()
        } catch {
            counters.countError(service.rawValue, kind: error.kind)
            throw error
        }
    }

    /// The configuration and credential errors that stop `services`, for
    /// reporting before any request.
    package func problems(for services: [ServiceName]) -> [ServiceError] {
        configuration.problems(for: services, environment: environment)
    }

    /// The counters for the summary table.
    package var snapshot: RunCounters.Snapshot { counters.snapshot }
}
