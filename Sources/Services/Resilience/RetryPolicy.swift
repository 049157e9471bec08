import JSON
import RunConfiguration
import Transport

/// When and how long to wait before retrying a failed request.
///
/// Retried: errors whose `retryable` is true (network errors and connection
/// resets, timeouts, 5xx, 429 / `APIG.0308`). Never retried: auth, forbidden,
/// not found, other 4xx, bad responses, budgets: those fail after exactly one
/// request. Delays use exponential backoff with full jitter
/// (`random(0, min(maxDelay, baseDelay * 2^(attempt-1)))`); a throttled answer
/// waits at least its `Retry-After` (capped at `retryAfterCap`) or
/// `throttleDelay` when it gave none.
package struct RetryPolicy: Sendable, Equatable {
    /// Total attempts including the first.
    package var maxAttempts: Int
    package var baseDelay: Double
    package var maxDelay: Double
    /// The most we honour of a server's `Retry-After`.
    package var retryAfterCap: Double
    /// The least we wait after a throttled answer without `Retry-After`.
    package var throttleDelay: Double

    package init(
        maxAttempts: Int = 5,
        baseDelay: Double = 0.5,
        maxDelay: Double = 20,
        retryAfterCap: Double = 60,
        throttleDelay: Double = 2
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.retryAfterCap = retryAfterCap
        self.throttleDelay = throttleDelay
    }

    /// The default policy.
    package static let standard = RetryPolicy()
    /// One attempt, no retries.
    package static let none = RetryPolicy(maxAttempts: 1)
    /// The try-on service: fast retries get the client's IP blocked, so slower
    /// retries, and a minute's pause after a throttled answer that names no
    /// `Retry-After`. As many attempts as elsewhere: every retry costs 0.1 coins,
    /// but the coin budget caps that, while giving up early would fail a whole
    /// wait over one flaky minute.
    package static let tryOn = RetryPolicy(
        maxAttempts: 5, baseDelay: 5, maxDelay: 60, retryAfterCap: 300, throttleDelay: 60)

    /// The default policy of a service.
    package static func defaults(for service: ServiceName) -> RetryPolicy {
        service == .tryon ? .tryOn : .standard
    }

    /// How long a throttled answer holds back the service's whole rate limiter.
    package func throttlePause(for error: ServiceError) -> Double {
        min(max(error.retryAfter ?? throttleDelay, 0), retryAfterCap)
    }

    /// Whether to try again after `error` on attempt number `attempt` (1-based).
    package func shouldRetry(_ error: ServiceError, attempt: Int) -> Bool {
        error.retryable && attempt < maxAttempts
    }

    /// Seconds to wait after attempt number `attempt` (1-based) failed with `error`.
    package func delay(after error: ServiceError, attempt: Int, random: RandomSource) -> Double {
        let ceiling = min(maxDelay, baseDelay * Double(sign: .plus, exponent: min(max(attempt - 1, 0), 62), significand: 1))
        let jittered = random.next() * ceiling
        // The server's word (or, throttled without one, the throttle delay) is a floor.
        guard error.retryAfter != nil || error.kind == .throttled else { return jittered }
        return max(jittered, throttlePause(for: error))
    }
}

/// Parses a `Retry-After` header: delta seconds, or an HTTP date relative to `wallNow`.
package enum RetryAfter {
    package static func seconds(_ header: String?, wallNow: Double) -> Double? {
        guard let header else { return nil }
        let text = String(header.trimmingSpaces)
        if let seconds = Double(text), seconds.isFinite { return max(0, seconds) }
        guard let date = parseHTTPDate(text) else { return nil }
        return max(0, date - wallNow)
    }

    /// IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func parseHTTPDate(_ text: String) -> Double? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let year = Int(parts[3]) else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let monthIndex = months.firstIndex(of: String(parts[2])) else { return nil }
        let time = parts[4].split(separator: ":")
        guard time.count == 3, let hour = Int(time[0]), let minute = Int(time[1]), let second = Int(time[2]) else {
            return nil
        }
        return Double(
            UTCTime.epochSeconds(
                .init(year: year, month: monthIndex + 1, day: day, hour: hour, minute: minute, second: second)))
    }
}
