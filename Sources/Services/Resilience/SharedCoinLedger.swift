import Transport

/// Where a budget shared by several machines is kept (a batch's journal): see ``CoinBudget``.
package protocol SharedCoinLedger: Sendable {
    /// Adds `milliCoins` to the spending unless that would pass `maxMilliCoins`
    /// (nil: no limit) or the account is out of coins; atomically, for every machine.
    /// - Throws: a ServiceError when the ledger cannot be reached.
    func charge(milliCoins: Int, maxMilliCoins: Int?) async throws(ServiceError) -> SharedCoinCharge

    /// Records that the account is out of coins, for every machine.
    func markExhausted(_ reason: String) async
}

/// What a ``SharedCoinLedger`` answered.
package struct SharedCoinCharge: Sendable, Equatable {
    package var charged: Bool
    /// What every machine together has spent, this charge included.
    package var spentMilliCoins: Int
    /// Why the account is out of coins, once any machine saw state -2.
    package var exhausted: String?

    package init(charged: Bool, spentMilliCoins: Int, exhausted: String?) {
        self.charged = charged
        self.spentMilliCoins = spentMilliCoins
        self.exhausted = exhausted
    }
}
