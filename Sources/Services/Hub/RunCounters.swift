import Synchronization

/// Run-wide counters for the summary table: requests (polls) sent, retries and
/// throttled answers per service, and try-on coins spent.
public final class RunCounters: Sendable {
    /// A consistent copy of the counters.
    public struct Snapshot: Sendable, Equatable {
        /// Requests sent, per service name (each retry is a request).
        public var requests: [String: Int] = [:]
        /// Retries scheduled, per service name.
        public var retries: [String: Int] = [:]
        /// Throttled answers (429 / `APIG.0308`), per service name.
        public var throttled: [String: Int] = [:]
        /// Try-on coins charged (0.1 per query sent), in thousandths.
        public var milliCoinsSpent: Int = 0

        public var coinsSpent: Double { Double(milliCoinsSpent) / 1000 }
        public var totalRequests: Int { requests.values.reduce(0, +) }
        public var totalRetries: Int { retries.values.reduce(0, +) }
    }

    private let state = Mutex(Snapshot())

    public init() {}

    public var snapshot: Snapshot { state.withLock { $0 } }

    public func countRequest(_ service: String) { state.withLock { $0.requests[service, default: 0] += 1 } }
    public func countRetry(_ service: String) { state.withLock { $0.retries[service, default: 0] += 1 } }
    public func countThrottled(_ service: String) { state.withLock { $0.throttled[service, default: 0] += 1 } }
    func addMilliCoins(_ amount: Int) { state.withLock { $0.milliCoinsSpent += amount } }
}
