import Journal
import PostgresNIO

/// What charging the shared coin budget found.
package enum CoinCharge: Sendable, Equatable {
    /// Charged; the batch has spent this much, every machine together.
    case charged(spentMilliCoins: Int)
    /// Not charged: the charge would pass the budget, or the account is out of coins (`exhausted`).
    case refused(spentMilliCoins: Int, exhausted: String?)
}

/// The try-on coin budget as one row of the batch: every machine charges it
/// atomically before each query, so together they never pass `max_coins`, and
/// an out-of-coins answer seen by one stops them all (docs/journal.md §7).
extension PostgresJournal {
    /// Adds `milliCoins` to the batch's spending unless that would pass `maxMilliCoins` (nil: no limit).
    /// Async: it is called from a service call, inside Swift concurrency.
    package func chargeCoins(_ milliCoins: Int, maxMilliCoins: Int?) async throws(JournalError) -> CoinCharge {
        let batch = try batch()
        let cost = Int64(milliCoins)
        let limit = Int64(maxMilliCoins ?? -1)
        return try await bridge.perform("charge the try-on coin budget") { client in
            var outcome = CoinCharge.refused(spentMilliCoins: 0, exhausted: nil)
            for try await (charged, spent, exhausted) in try await client.query("""
                WITH charged AS (
                    UPDATE moonwatch.batches SET spent_millicoins = spent_millicoins + \(cost)
                    WHERE id = \(batch) AND coins_exhausted IS NULL AND (\(limit) < 0 OR spent_millicoins + \(cost) <= \(limit))
                    RETURNING spent_millicoins
                )
                SELECT (SELECT spent_millicoins FROM charged), spent_millicoins, coins_exhausted
                FROM moonwatch.batches WHERE id = \(batch)
                """, logger: Self.quiet
            ).decode((Int?, Int, String?).self) {
                outcome = charged.map { .charged(spentMilliCoins: $0) } ?? .refused(spentMilliCoins: spent, exhausted: exhausted)
            }
            return outcome
        }
    }

    /// Records that the account is out of coins: every machine's next charge is refused.
    package func markCoinsExhausted(_ reason: String) async throws(JournalError) {
        let batch = try batch()
        _ = try await bridge.perform("record that the try-on account is out of coins") { client in
            try await client.query(
                "UPDATE moonwatch.batches SET coins_exhausted = COALESCE(coins_exhausted, \(reason)) WHERE id = \(batch)",
                logger: Self.quiet)
        }
    }

    /// Coins the batch has spent, every machine together.
    package func spentMilliCoins() throws(JournalError) -> Int {
        let batch = try batch()
        return try bridge.run("read the coins spent") { client in
            var spent = 0
            for try await value in try await client.query(
                "SELECT spent_millicoins FROM moonwatch.batches WHERE id = \(batch)", logger: Self.quiet
            ).decode(Int.self) {
                spent = value
            }
            return spent
        }
    }
}
