import Synchronization
import Transport

/// The try-on coin budget, shared by the whole run.
///
/// Every query costs `costPerQuery` coins (0.1). ``charge()`` is called right
/// before a query is sent: it refuses (kind `budget`) when the query would
/// take the spending past `maxCoins`, and refuses every query (kind
/// `insufficient_coins`) once the service has answered state -2. Amounts are
/// kept in thousandths of a coin so no rounding can let one query too many through.
package final class CoinBudget: Sendable {
    package let maxMilliCoins: Int?
    package let costMilliCoins: Int
    private let counters: RunCounters?

    private struct State {
        var spent = 0
        var exhausted: String?
    }
    private let state = Mutex(State())

    /// - Parameters:
    ///   - maxCoins: the most the run may spend; `nil` for no limit.
    ///   - costPerQuery: coins per query (0.1 for the try-on service).
    package init(maxCoins: Double?, costPerQuery: Double = 0.1, counters: RunCounters? = nil) {
        self.maxMilliCoins = maxCoins.map { Int(($0 * 1000).rounded(.down)) }
        self.costMilliCoins = Int((costPerQuery * 1000).rounded())
        self.counters = counters
    }

    /// Coins charged so far.
    package var spent: Double { Double(state.withLock { $0.spent }) / 1000 }

    /// Whether the service said the account is out of coins.
    package var isExhausted: Bool { state.withLock { $0.exhausted != nil } }

    /// Throws what ``charge()`` would, without charging: called before
    /// waiting for the rate limiter, so a refused query does not wait first.
    package func check() throws(ServiceError) {
        let refused: ServiceError? = state.withLock { current in self.refusal(for: current) }
        if let refused { throw refused }
    }

    private func refusal(for state: State) -> ServiceError? {
        if let reason = state.exhausted {
            return ServiceError(
                .insufficientCoins,
                "the try-on account is out of coins (\(reason)); no further try-on queries are sent in this run",
                service: "tryon", retryable: false)
        }
        if let max = maxMilliCoins, state.spent + costMilliCoins > max {
            return ServiceError(
                .budget,
                "try-on coin budget reached: \(Self.coins(state.spent)) of max_coins \(Self.coins(max)) spent, "
                    + "a query costs \(Self.coins(costMilliCoins))",
                service: "tryon", retryable: false)
        }
        return nil
    }

    /// Charges one query, or throws without charging.
    package func charge() throws(ServiceError) {
        let cost = costMilliCoins
        let refused: ServiceError? = state.withLock { state in
            if let refused = self.refusal(for: state) { return refused }
            state.spent += cost
            return nil
        }
        if let refused { throw refused }
        counters?.addMilliCoins(cost)
    }

    /// Records a state -2 answer: every later ``charge()`` is refused.
    package func markExhausted(_ reason: String) {
        state.withLock { if $0.exhausted == nil { $0.exhausted = reason } }
    }

    static func coins(_ milli: Int) -> String {
        let whole = milli / 1000
        let fraction = milli % 1000
        if fraction == 0 { return "\(whole)" }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }
}
