import Foundation

/// Time as the Services layer sees it, injectable so tests run on virtual time.
///
/// `now` is monotonic seconds (rate limits, retries, waiters); `wallNow` is
/// seconds since the Unix epoch (signing dates, IAM token expiry); `sleep`
/// suspends the calling task and throws `canceled` when the task is cancelled.
public struct ServiceClock: Sendable {
    public var now: @Sendable () -> Double
    public var wallNow: @Sendable () -> Double
    public var sleep: @Sendable (Double) async throws -> Void

    public init(
        now: @escaping @Sendable () -> Double,
        wallNow: @escaping @Sendable () -> Double,
        sleep: @escaping @Sendable (Double) async throws -> Void
    ) {
        self.now = now
        self.wallNow = wallNow
        self.sleep = sleep
    }

    /// The real clocks.
    public static let system: ServiceClock = {
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
public struct RandomSource: Sendable {
    public var next: @Sendable () -> Double
    public init(_ next: @escaping @Sendable () -> Double) { self.next = next }
    /// Seeded once from the system generator, then a SplitMix64 sequence: jitter
    /// needs no cryptographic randomness, and the system generator makes a
    /// `getrandom` system call for every number (one per poll).
    public static let system: RandomSource = {
        let sequence = SplitMix64(seed: UInt64.random(in: .min ... .max))
        return RandomSource { sequence.nextUnitInterval() }
    }()
    /// Always returns `value` (e.g. `1` for the top of every jitter range).
    public static func constant(_ value: Double) -> RandomSource { RandomSource { value } }
}
