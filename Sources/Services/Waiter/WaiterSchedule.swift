import Foundation
import RunConfiguration
import Transport

/// When a waiter polls next, following the Smithy waiter rules: exponential
/// backoff between `minDelay` and `maxDelay` with jitter, always bounded by
/// `timeout`, the last attempt landing at the deadline.
///
/// Pure logic: the Lua waiters ask ``nextDelay(attempt:remaining:random:)``
/// after each poll and sleep for the answer (or stop with a `timeout` error
/// when it is nil).
package struct WaiterSchedule: Sendable, Equatable {
    /// Seconds before the first poll.
    package var initialDelay: Double
    package var minDelay: Double
    package var maxDelay: Double
    /// Total seconds the waiter may take, from its start.
    package var timeout: Double

    package init(initialDelay: Double = 0, minDelay: Double, maxDelay: Double, timeout: Double) {
        self.initialDelay = max(0, initialDelay)
        self.minDelay = max(0, minDelay)
        self.maxDelay = max(self.minDelay, maxDelay)
        self.timeout = max(0, timeout)
    }

    /// Try-on: first poll after 30 s, then every 60 s (the service blocks fast
    /// pollers; a query costs 0.1 coins; jobs take 90 s warm, 10 min cold).
    package static let tryOn = WaiterSchedule(initialDelay: 30, minDelay: 60, maxDelay: 60, timeout: 1800)
    /// MetaStudio photo modeling: 2 s to 60 s, up to an hour.
    package static let metaStudio = WaiterSchedule(initialDelay: 0, minDelay: 2, maxDelay: 60, timeout: 3600)
    /// Face edge tasks: 2 s to 60 s, up to 15 minutes.
    package static let faceEdge = WaiterSchedule(initialDelay: 0, minDelay: 2, maxDelay: 60, timeout: 900)

    /// The default schedule of a service's waiter.
    package static func defaults(for service: ServiceName) -> WaiterSchedule {
        switch service {
        case .tryon: .tryOn
        case .faceedge: .faceEdge
        default: .metaStudio
        }
    }

    /// Validates user options: delays must be positive and ordered, timeout bounded.
    package func validated(function: String) throws(ServiceError) -> WaiterSchedule {
        func bad(_ message: String) -> ServiceError { ServiceError(.invalidArgument, "\(function): \(message)") }
        guard minDelay > 0 else { throw bad("option 'min_delay' must be > 0") }
        guard maxDelay >= minDelay else { throw bad("option 'max_delay' must be >= min_delay") }
        guard timeout > 0, timeout.isFinite else { throw bad("option 'timeout' must be a finite number > 0") }
        return self
    }

    /// The delay before the next poll, after `attempt` polls (1-based), with
    /// `remaining` seconds left before the deadline; nil when no time is left.
    ///
    /// delay = random in [minDelay, min(maxDelay, minDelay·2^(attempt-1))];
    /// when waiting that long would leave less than `minDelay` before the
    /// deadline, the delay is stretched to `remaining` so the last poll lands
    /// exactly at the deadline.
    package func nextDelay(attempt: Int, remaining: Double, random: RandomSource = .system) -> Double? {
        guard remaining > 0 else { return nil }
        let ceiling: Double
        let attemptCeiling = minDelay > 0 ? Foundation.log2(maxDelay / minDelay) + 1 : 1
        if Double(attempt) > attemptCeiling {
            ceiling = maxDelay
        } else {
            ceiling = min(maxDelay, minDelay * Double(1 << min(max(attempt - 1, 0), 60)))
        }
        var delay = minDelay + random.next() * (ceiling - minDelay)
        if remaining - delay < minDelay { delay = remaining }
        return delay
    }
}
