import Transport

/// Runs an operation under a ``RetryPolicy``: retryable ``ServiceError``s are
/// retried after the policy's delay (slept on the injected clock), anything
/// else is thrown at once. Cancellation is never retried.
package struct Retrier: Sendable {
    package var policy: RetryPolicy
    package var clock: ServiceClock
    package var random: RandomSource
    package var counters: RunCounters?
    /// Called before each retry sleep with the error, the failed attempt number and the delay.
    package var onRetry: (@Sendable (ServiceError, Int, Double) -> Void)?

    package init(
        policy: RetryPolicy = .standard,
        clock: ServiceClock = .system,
        random: RandomSource = .system,
        counters: RunCounters? = nil,
        onRetry: (@Sendable (ServiceError, Int, Double) -> Void)? = nil
    ) {
        self.policy = policy
        self.clock = clock
        self.random = random
        self.counters = counters
        self.onRetry = onRetry
    }

    /// Runs `operation(attempt)` (attempt is 1-based) until it succeeds, fails
    /// with a non-retryable error, or the attempts are used up, or (with a
    /// `deadline` on ``clock``) the next attempt would start after it.
    package func run<T: Sendable>(
        service: String,
        deadline: Double? = nil,
        _ operation: @Sendable (Int) async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            if Task.isCancelled { throw ServiceError(.canceled, "the request was canceled", service: service) }
            do {
                return try await operation(attempt)
            } catch {
                let failure = ServiceError.wrap(error, service: service)
                if failure.kind == .throttled { counters?.countThrottled(service) }
                guard failure.kind != .canceled, policy.shouldRetry(failure, attempt: attempt) else {
                    guard failure.retryable, attempt > 1 else { throw failure }
                    var exhausted = failure
                    exhausted.message += " (gave up after \(attempt) attempts)"
                    throw exhausted
                }
                let delay = policy.delay(after: failure, attempt: attempt, random: random)
                if let deadline, clock.now() + delay >= deadline {
                    var late = failure
                    late.message += " (no time left to retry after \(attempt) attempt\(attempt == 1 ? "" : "s"))"
                    throw late
                }
                counters?.countRetry(service)
                onRetry?(failure, attempt, delay)
                try await clock.sleep(delay)
                attempt += 1
            }
        }
    }
}
