import Foundation
import Transport

/// Time as the Services layer sees it, injectable so tests run on virtual time.
///
/// `now` is monotonic seconds (rate limits, retries, waiters); `wallNow` is
/// seconds since the Unix epoch (signing dates, IAM token expiry); `sleep`
/// suspends the calling task and throws `canceled` when the task is cancelled.
package struct ServiceClock: Sendable {
    package var now: @Sendable () -> Double
    package var wallNow: @Sendable () -> Double
    package var sleep: @Sendable (Double) async throws -> Void

    package init(
        now: @escaping @Sendable () -> Double,
        wallNow: @escaping @Sendable () -> Double,
        sleep: @escaping @Sendable (Double) async throws -> Void
    ) {
        self.now = now
        self.wallNow = wallNow
        self.sleep = sleep
    }

    /// The real clocks.
    package static let system: ServiceClock = {
        let origin = ContinuousClock.now
        return ServiceClock(
            now: {
                let elapsed = ContinuousClock.now - origin
                return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            },
            wallNow: { Date().timeIntervalSince1970 },
            sleep: { seconds in
                guard seconds > 0 else {
                    if Task.isCancelled { throw ServiceError(.canceled, "canceled while waiting") }
                    return
                }
                do {
                    try await Task.sleep(for: .nanoseconds(Int64(min(seconds, 1e9) * 1e9)))
                } catch {
                    throw ServiceError(.canceled, "canceled while waiting")
                }
            })
    }()
}

/// A source of uniform random numbers in `[0, 1)`, injectable for tests.
package struct RandomSource: Sendable {
    package var next: @Sendable () -> Double
    package init(_ next: @escaping @Sendable () -> Double) { self.next = next }
    /// Seeded once from the system generator, then a SplitMix64 sequence: jitter
    /// needs no cryptographic randomness, and the system generator makes a
    /// `getrandom` system call for every number (one per poll).
    package static let system: RandomSource = {
        let sequence = SplitMix64(seed: UInt64.random(in: .min ... .max))
        return RandomSource { sequence.nextUnitInterval() }
    }()
    /// Always returns `value` (e.g. `1` for the top of every jitter range).
    package static func constant(_ value: Double) -> RandomSource { RandomSource { value } }
}
