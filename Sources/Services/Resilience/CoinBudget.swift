import Synchronization
import Transport

/// The try-on coin budget, shared by the whole run.
///
/// Every query costs `costPerQuery` coins (0.1). ``charge()`` is called right
/// before a query is sent: it refuses (kind `budget`) when the query would
/// take the spending past `maxCoins`, and refuses every query (kind
/// `insufficient_coins`) once the service has answered state -2. Amounts are
/// kept in thousandths of a coin so no rounding can let one query too many through.
///
/// A batch shared by several machines puts the budget in its journal
/// (``share(through:)``): each charge is then an atomic update there, so the
/// machines together never pass `max_coins`, and one machine's state -2 stops
/// them all. This object then only caches what the ledger last said.
package final class CoinBudget: Sendable {
    package let maxMilliCoins: Int?
    package let costMilliCoins: Int
    private let counters: RunCounters?
    private let ledger = Mutex<(any SharedCoinLedger)?>(nil)

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

    /// Keeps the budget in `ledger` from now on (before the first query).
    package func share(through ledger: any SharedCoinLedger) {
        self.ledger.withLock { $0 = ledger }
    }

    /// Charges one query, or throws without charging.
    package func charge() async throws(ServiceError) {
        let cost = costMilliCoins
        if let ledger = ledger.withLock({ $0 }) {
            try check()
            let answer = try await ledger.charge(milliCoins: cost, maxMilliCoins: maxMilliCoins)
            state.withLock { state in
                state.spent = answer.spentMilliCoins
                if let reason = answer.exhausted, state.exhausted == nil { state.exhausted = reason }
            }
            guard answer.charged else {
                // What every machine together spent is what refused this one.
                try check()
                throw ServiceError(.budget, "try-on coin budget reached", service: "tryon", retryable: false)
            }
        } else {
            let refused: ServiceError? = state.withLock { state in
                if let refused = self.refusal(for: state) { return refused }
                state.spent += cost
                return nil
            }
            if let refused { throw refused }
        }
        counters?.addMilliCoins(cost)
    }

    /// Records a state -2 answer: every later ``charge()`` is refused, on every
    /// machine when the budget is shared.
    package func markExhausted(_ reason: String) async {
        state.withLock { if $0.exhausted == nil { $0.exhausted = reason } }
        await ledger.withLock({ $0 })?.markExhausted(reason)
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
