/// Durable state of one batch (docs/journal.md): the items, their
/// attempts and errors, and each done item's records and downloads.
///
/// The contract that makes crashes harmless: ``complete(line:owner:records:downloads:)``
/// marks an item done in the same transaction that stores its records, so at any
/// instant an item is either done with all its records or still to be done.
///
/// Work is handed out by ``claim(owner:limit:leaseSeconds:)``: up to N claimable
/// items move to `running` under a lease (owner + expiry). An item is claimable
/// when it is pending or its lease has expired (its worker died). The SQLite
/// implementation serves one process; the PostgreSQL one (target PostgresJournal)
/// shares a batch between machines with the same protocol.
package protocol JournalStore: AnyObject, Sendable {
    /// Where the journal is, as the user named it (never a password).
    var location: String { get }

    /// Binds the journal to `input`. A new journal stores `rows()` (bad rows as
    /// failed items); a journal of the same content (size and SHA-256) carries on.
    /// - Throws: when the journal belongs to different content, naming both.
    func prepare(input: InputIdentity, rows: () throws(JournalError) -> [InputRow]) throws(JournalError) -> PrepareOutcome

    /// Makes failed items pending again (not bad rows: the input cannot change);
    /// returns how many.
    func retryFailed() throws(JournalError) -> Int

    /// Moves up to `limit` claimable items to `running` under `owner`'s lease,
    /// counting an attempt for each; in input order.
    func claim(owner: String, limit: Int, leaseSeconds: Double) throws(JournalError) -> [ClaimedItem]

    /// Extends every lease `owner` holds, for items that outlive a lease.
    func renewLeases(owner: String, leaseSeconds: Double) throws(JournalError)

    /// Marks the item done and stores its records (JSON texts) and downloads, in
    /// one transaction. Returns false, storing nothing, if `owner` no longer holds it.
    func complete(line: Int, owner: String, records: [String], downloads: [DownloadRecord]) throws(JournalError) -> Bool

    /// Marks the item failed with `error`; false if `owner` no longer holds it.
    func fail(line: Int, owner: String, error: ItemError) throws(JournalError) -> Bool

    /// Gives the item back as pending without counting it failed (the batch stops
    /// for a reason that is not the item's); false if `owner` no longer holds it.
    func release(line: Int, owner: String) throws(JournalError) -> Bool

    /// Gives back every item `owner` still holds (claimed but not started, or
    /// stopped mid-way by an interrupt) as pending; returns how many.
    func releaseAll(owner: String) throws(JournalError) -> Int

    /// Stores records emitted outside any item (in `setup` or `done`).
    func addRecords(_ records: [String]) throws(JournalError)

    func counts() throws(JournalError) -> ItemCounts

    /// The whole batch at a glance, for `moonwatch status`.
    func status() throws(JournalError) -> BatchStatus

    /// Every stored record, in the order they were committed, with the line of
    /// the item that emitted it (nil: emitted in `setup` or `done`).
    func forEachRecord(_ body: (_ item: Int?, _ json: String) throws(JournalError) -> Void) throws(JournalError)

    /// Every item, in input order.
    func forEachItem(_ body: (ItemReport) throws(JournalError) -> Void) throws(JournalError)

    /// Every file the done items downloaded, in the order they were committed, with the item's line.
    func forEachDownload(_ body: (_ item: Int, DownloadRecord) throws(JournalError) -> Void) throws(JournalError)
}
