import Synchronization

/// Try-on accounts and their balances. Amounts are kept in thousandths of a coin so that
/// charging 0.1 ten thousand times leaves exactly what it should.
final class CoinLedger: Sendable {
    enum Charge: Equatable {
        case charged
        /// The balance is below the query price: the service answers state -2.
        case insufficient
        case unknownAccount
    }

    struct Snapshot {
        var charged: [String: Double]
        var balances: [String: Double]
    }

    private struct Account {
        var apiKey: String
        var balance: Int
        var charged = 0
    }

    private let accounts = Mutex<[String: Account]>([:])

    /// Replaces every account with `accounts` (the demo account first, so a scenario may override it).
    func load(_ list: [TryOnAccount]) {
        let demo = TryOnAccount(openID: DemoCredentials.tryOnOpenID, apiKey: DemoCredentials.tryOnAPIKey, coins: DemoCredentials.tryOnCoins)
        var table: [String: Account] = [:]
        for account in [demo] + list {
            table[account.openID] = Account(apiKey: account.apiKey, balance: Self.milli(account.coins))
        }
        accounts.withLock { $0 = table }
    }

    /// Checks the key and charges `price` coins.
    func charge(openID: String, apiKey: String, price: Double) -> Charge {
        let cost = Self.milli(price)
        return accounts.withLock { table in
            guard var account = table[openID], account.apiKey == apiKey else { return .unknownAccount }
            guard account.balance >= cost else { return .insufficient }
            account.balance -= cost
            account.charged += cost
            table[openID] = account
            return .charged
        }
    }

    func snapshot() -> Snapshot {
        accounts.withLock { table in
            Snapshot(
                charged: table.filter { $0.value.charged > 0 }.mapValues { Double($0.charged) / 1000 },
                balances: table.mapValues { Double($0.balance) / 1000 }
            )
        }
    }

    private static func milli(_ coins: Double) -> Int { Int((coins * 1000).rounded()) }
}
