import Logging
import RunConfiguration
import Transport

/// What every client shares for one service in a run: the transport, the
/// retry policy, the service's rate limiter, the counters and the redactor.
/// Sends one request: waits for the rate limiter, runs `beforeSend` (the coin
/// budget), counts it, sends it (timing it), and tags and redacts any transport error.
package struct ServiceCaller: Sendable {
    package var service: ServiceName
    package var transport: any HTTPTransport
    package var retrier: Retrier
    package var limiter: RateLimiter?
    package var counters: RunCounters
    package var redactor: Redactor
    package var clock: ServiceClock
    package var unknownStates: UnknownStateReporter
    package var logger: Logger?
    package var userAgent: String

    package init(
        service: ServiceName,
        transport: any HTTPTransport,
        retrier: Retrier = Retrier(),
        limiter: RateLimiter? = nil,
        counters: RunCounters = RunCounters(),
        redactor: Redactor = Redactor(),
        clock: ServiceClock = .system,
        unknownStates: UnknownStateReporter = UnknownStateReporter(),
        logger: Logger? = nil,
        userAgent: String = "moonwatch/" + MoonwatchVersion.current
    ) {
        self.service = service
        self.transport = transport
        self.retrier = retrier
        self.limiter = limiter
        self.counters = counters
        self.redactor = redactor
        self.clock = clock
        self.unknownStates = unknownStates
        self.logger = logger
        self.userAgent = userAgent
    }

    /// Sends `request` once (no retry).
    package func sendOnce(
        _ request: ServiceRequest, beforeSend: (@Sendable () async throws(ServiceError) -> Void)? = nil
    ) async throws(ServiceError) -> ServiceResponse {
        do {
            try await limiter?.acquire()
            try await beforeSend?()
            counters.countRequest(service.rawValue)
            logger?.trace(
                "request",
                metadata: ["service": .string(service.rawValue), "method": .string(request.method),
                    "url": .string(redactor.redact(request.url.shownWithoutQuery))])
            let sent = clock.now()
            defer { counters.recordRequestDuration(service.rawValue, seconds: clock.now() - sent) }
            return try await transport.send(request)
        } catch {
            throw tagged(error)
        }
    }

    /// Runs `operation` under the retry policy (once when not `retrying`: a request
    /// that is not idempotent; no retry that would start after `deadline`),
    /// redacting whatever escapes. A throttled answer also
    /// pauses the service's rate limiter, so every request of the run backs off,
    /// not only the one that was refused.
    package func withRetries<T: Sendable>(
        retrying: Bool = true, deadline: Double? = nil, _ operation: @Sendable (Int) async throws -> T
    ) async throws(ServiceError) -> T {
        let limiter = limiter
        var retrier = retrier
        if !retrying { retrier.policy.maxAttempts = 1 }
        let policy = retrier.policy
        do {
            return try await retrier.run(service: service.rawValue, deadline: deadline) { attempt in
                do {
                    return try await operation(attempt)
                } catch let error as ServiceError where error.kind == .throttled {
                    limiter?.pause(for: policy.throttlePause(for: error))
                    throw error
                }
            }
        } catch {
            throw tagged(error)
        }
    }

    /// `error` as a ServiceError of this service, with secrets redacted.
    private func tagged(_ error: any Error) -> ServiceError {
        var failure = ServiceError.wrap(error, service: service.rawValue)
        if failure.service == nil { failure.service = service.rawValue }
        return failure.redacted(by: redactor)
    }

    /// Records (once) and logs a state this host does not know.
    func noteUnknownState(_ state: String) {
        unknownStates.note(service, state)
    }
}
