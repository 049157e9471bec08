import Journal
import PostgresJournal
import Services
import Transport

/// The try-on budget kept in a shared journal's batch row, so every machine of
/// the batch charges the same coins (docs/journal.md §7).
struct JournalCoinLedger: SharedCoinLedger {
    let journal: PostgresJournal

    func charge(milliCoins: Int, maxMilliCoins: Int?) async throws(ServiceError) -> SharedCoinCharge {
        let answer: CoinCharge
        do throws(JournalError) {
            answer = try await journal.chargeCoins(milliCoins, maxMilliCoins: maxMilliCoins)
        } catch {
            // Not retryable here: the journal already retried through its reconnect window.
            throw ServiceError(.budget, error.message, service: "tryon", retryable: false)
        }
        return switch answer {
        case .charged(let spent): SharedCoinCharge(charged: true, spentMilliCoins: spent, exhausted: nil)
        case .refused(let spent, let exhausted): SharedCoinCharge(charged: false, spentMilliCoins: spent, exhausted: exhausted)
        }
    }

    func markExhausted(_ reason: String) async {
        // Best effort: with the journal out of reach this machine still stops its own queries, and the
        // others will be refused by the service itself.
        try? await journal.markCoinsExhausted(reason)
    }
}
