import Foundation
import Synchronization

/// The embedded journal: one SQLite file in WAL mode (or `:memory:`).
///
/// One connection serves every worker, behind a lock. SQLite admits one writer
/// at a time anyway, every journal call is a short transaction (tens of
/// microseconds), and one connection is what `:memory:` needs; a connection per
/// worker would only add `SQLITE_BUSY` retries.
///
/// The file is opened in exclusive locking mode: one batch per journal, and a
/// second process is refused. So at open any `running` item belongs to a run
/// that died, and goes back to pending at once instead of waiting for its lease
/// to expire. `synchronous = NORMAL` keeps every committed transaction across a
/// process crash (SIGKILL); only a power cut may lose the last few.
package final class SQLiteJournal: JournalStore {
    private let connection: Mutex<SQLiteConnection>
    /// The state path as given.
    package let path: String

    package var location: String { path }

    /// Opens or creates the journal at `path` (its folder is created), or an
    /// in-memory one for `:memory:`.
    package init(path: String) throws(JournalError) {
        self.path = path
        if path != ":memory:" { try Self.makeParentDirectories(of: path) }
        let connection = try SQLiteConnection(path: path)
        // A second process holding the file fails these with SQLITE_BUSY, which
        // the connection reports as the journal being in use.
        try connection.execute("PRAGMA locking_mode = EXCLUSIVE")
        try connection.execute("PRAGMA journal_mode = WAL")
        try connection.execute("PRAGMA synchronous = NORMAL")
        try connection.transaction { () throws(JournalError) in
            try connection.execute(SQLiteSchema.statements)
            try Self.addMissingColumns(connection)
            try connection.statement(
                "UPDATE items SET status = 'pending', lease_owner = NULL, lease_expires = NULL WHERE status = 'running'"
            ).run()
        }
        self.connection = Mutex(connection)
    }

    package func prepare(input: InputIdentity, rows: () throws(JournalError) -> [InputRow]) throws(JournalError) -> PrepareOutcome {
        try withConnection { db throws(JournalError) -> PrepareOutcome in
            let stored = try db.statement("SELECT path, size, sha256 FROM input WHERE id = 1")
            if try stored.step() {
                let known = InputIdentity(path: stored.text(0) ?? "", size: stored.integer(1), sha256: stored.text(2) ?? "")
                guard known.size == input.size, known.sha256 == input.sha256 else {
                    throw JournalError(
                        "the journal \(path) belongs to \(known), but \(input) differs: use another --state, or delete the journal to start over")
                }
                return .resumed
            }
            let all = try rows()
            try db.transaction { () throws(JournalError) in
                try db.statement("INSERT INTO input (id, path, size, sha256) VALUES (1, ?, ?, ?)")
                    .bind(.text(input.path), .integer(input.size), .text(input.sha256)).run()
                let insert = "INSERT INTO items (line, input, status, last_error) VALUES (?, ?, ?, ?)"
                for row in all {
                    let status: ItemStatus = row.json == nil ? .failed : .pending
                    try db.statement(insert)
                        .bind(.integer(row.line), .optionalText(row.json), .text(status.rawValue), .optionalText(row.problem)).run()
                }
            }
            return .created(rows: all.count)
        }
    }

    package func retryFailed() throws(JournalError) -> Int {
        try withConnection { db throws(JournalError) -> Int in
            try db.statement("UPDATE items SET status = 'pending' WHERE status = 'failed' AND input IS NOT NULL").run()
            return db.changes
        }
    }

    package func claim(owner: String, limit: Int, leaseSeconds: Double) throws(JournalError) -> [ClaimedItem] {
        let now = Self.now()
        return try withConnection { db throws(JournalError) -> [ClaimedItem] in
            try db.transaction { () throws(JournalError) -> [ClaimedItem] in
                // Two index range scans rather than one OR, which would scan the table.
                var lines: [Int] = []
                let pending = try db.statement("SELECT line FROM items WHERE status = 'pending' ORDER BY line LIMIT ?")
                    .bind(.integer(limit))
                while try pending.step() { lines.append(pending.integer(0)) }
                if lines.count < limit {
                    let expired = try db.statement(
                        "SELECT line FROM items WHERE status = 'running' AND lease_expires < ? ORDER BY line LIMIT ?"
                    ).bind(.real(now), .integer(limit - lines.count))
                    while try expired.step() { lines.append(expired.integer(0)) }
                }
                var claimed: [ClaimedItem] = []
                claimed.reserveCapacity(lines.count)
                for line in lines {
                    let update = try db.statement("""
                        UPDATE items SET status = 'running', attempts = attempts + 1, lease_owner = ?, lease_expires = ?, claimed_at = ?
                        WHERE line = ? RETURNING input, attempts
                        """).bind(.text(owner), .real(now + leaseSeconds), .real(now), .integer(line))
                    guard try update.step() else { continue }
                    claimed.append(ClaimedItem(line: line, json: update.text(0) ?? "{}", attempt: update.integer(1)))
                    _ = try update.step()
                }
                return claimed.sorted { $0.line < $1.line }
            }
        }
    }

    package func renewLeases(owner: String, leaseSeconds: Double) throws(JournalError) {
        let expires = Self.now() + leaseSeconds
        try withConnection { db throws(JournalError) in
            try db.statement("UPDATE items SET lease_expires = ? WHERE status = 'running' AND lease_owner = ?")
                .bind(.real(expires), .text(owner)).run()
        }
    }

    package func complete(line: Int, owner: String, records: [String], downloads: [DownloadRecord]) throws(JournalError) -> Bool {
        try withConnection { db throws(JournalError) -> Bool in
            try db.transaction { () throws(JournalError) -> Bool in
                try db.statement("""
                    UPDATE items SET status = 'done', last_error = NULL, error_kind = NULL, error_code = NULL, lease_owner = NULL, lease_expires = NULL, finished_at = ?
                    WHERE line = ? AND status = 'running' AND lease_owner = ?
                    """).bind(.real(Self.now()), .integer(line), .text(owner)).run()
                guard db.changes == 1 else { return false }
                for record in records {
                    try db.statement("INSERT INTO records (item, json) VALUES (?, ?)").bind(.integer(line), .text(record)).run()
                }
                for download in downloads {
                    try db.statement("INSERT INTO downloads (item, path, bytes, sha256) VALUES (?, ?, ?, ?)")
                        .bind(.integer(line), .text(download.path), .integer(download.bytes), .optionalText(download.sha256)).run()
                }
                return true
            }
        }
    }

    package func fail(line: Int, owner: String, error: ItemError) throws(JournalError) -> Bool {
        try withConnection { db throws(JournalError) -> Bool in
            try db.statement("""
                UPDATE items SET status = 'failed', last_error = ?, error_kind = ?, error_code = ?,
                    lease_owner = NULL, lease_expires = NULL, finished_at = ?
                WHERE line = ? AND status = 'running' AND lease_owner = ?
                """).bind(
                    .text(error.message), .optionalText(error.kind), .optionalText(error.code), .real(Self.now()),
                    .integer(line), .text(owner)
                ).run()
            return db.changes == 1
        }
    }

    package func release(line: Int, owner: String) throws(JournalError) -> Bool {
        try withConnection { db throws(JournalError) -> Bool in
            try db.statement("""
                UPDATE items SET status = 'pending', lease_owner = NULL, lease_expires = NULL
                WHERE line = ? AND status = 'running' AND lease_owner = ?
                """).bind(.integer(line), .text(owner)).run()
            return db.changes == 1
        }
    }

    package func releaseAll(owner: String) throws(JournalError) -> Int {
        try withConnection { db throws(JournalError) -> Int in
            try db.statement("""
                UPDATE items SET status = 'pending', lease_owner = NULL, lease_expires = NULL
                WHERE status = 'running' AND lease_owner = ?
                """).bind(.text(owner)).run()
            return db.changes
        }
    }

    package func addRecords(_ records: [String]) throws(JournalError) {
        try withConnection { db throws(JournalError) in
            try db.transaction { () throws(JournalError) in
                for record in records {
                    try db.statement("INSERT INTO records (item, json) VALUES (NULL, ?)").bind(.text(record)).run()
                }
            }
        }
    }

    package func counts() throws(JournalError) -> ItemCounts {
        try withConnection { db throws(JournalError) -> ItemCounts in
            var counts = ItemCounts()
            let query = try db.statement("SELECT status, COUNT(*) FROM items GROUP BY status")
            while try query.step() {
                if let status = query.text(0).flatMap(ItemStatus.init(rawValue:)) { counts[status] = query.integer(1) }
            }
            return counts
        }
    }

    package func forEachRecord(_ body: (_ item: Int?, _ json: String) throws(JournalError) -> Void) throws(JournalError) {
        try withConnection { db throws(JournalError) in
            let query = try db.statement("SELECT item, json FROM records ORDER BY id")
            while try query.step() { try body(query.isNull(0) ? nil : query.integer(0), query.text(1) ?? "") }
        }
    }

    package func forEachItem(_ body: (ItemReport) throws(JournalError) -> Void) throws(JournalError) {
        try withConnection { db throws(JournalError) in
            let query = try db.statement(
                "SELECT line, status, attempts, last_error, error_kind, error_code, input FROM items ORDER BY line")
            while try query.step() {
                try body(ItemReport(
                    line: query.integer(0), status: query.text(1).flatMap(ItemStatus.init(rawValue:)) ?? .pending,
                    attempts: query.integer(2), error: query.text(3).map { ItemError($0, kind: query.text(4), code: query.text(5)) },
                    row: query.text(6)))
            }
        }
    }

    package func forEachDownload(_ body: (_ item: Int, DownloadRecord) throws(JournalError) -> Void) throws(JournalError) {
        try withConnection { db throws(JournalError) in
            let query = try db.statement("SELECT item, path, bytes, sha256 FROM downloads ORDER BY id")
            while try query.step() {
                try body(query.integer(0), DownloadRecord(path: query.text(1) ?? "", bytes: query.integer(2), sha256: query.text(3)))
            }
        }
    }

    package func status() throws(JournalError) -> BatchStatus {
        let now = Self.now()
        let counts = try counts()
        return try withConnection { db throws(JournalError) -> BatchStatus in
            var input = ""
            let stored = try db.statement("SELECT path, size, sha256 FROM input WHERE id = 1")
            if try stored.step() {
                input = InputIdentity(path: stored.text(0) ?? "", size: stored.integer(1), sha256: stored.text(2) ?? "").description
            }
            var oldest: BatchStatus.Lease?
            let lease = try db.statement("""
                SELECT line, lease_owner, claimed_at, lease_expires FROM items
                WHERE status = 'running' AND claimed_at IS NOT NULL ORDER BY claimed_at LIMIT 1
                """)
            if try lease.step() {
                oldest = BatchStatus.Lease(
                    line: lease.integer(0), owner: lease.text(1) ?? "", claimed: Date(timeIntervalSince1970: lease.real(2)),
                    expires: Date(timeIntervalSince1970: lease.real(3)))
            }
            let recent = try db.statement("SELECT COUNT(*), MIN(finished_at) FROM items WHERE finished_at > ?")
                .bind(.real(now - BatchStatus.recentWindow))
            guard try recent.step() else { throw JournalError("the journal \(path) answered no count") }
            let finished = recent.integer(0)
            let window = finished > 0 ? max(1, now - recent.real(1)) : BatchStatus.recentWindow
            // One process holds a SQLite journal, and only while no other can open it: no workers to list.
            return BatchStatus(
                location: path, input: input, counts: counts, workers: [], oldestLease: oldest,
                finishedRecently: finished, window: window, now: Date(timeIntervalSince1970: now))
        }
    }

    private static func addMissingColumns(_ connection: SQLiteConnection) throws(JournalError) {
        for added in SQLiteSchema.addedColumns {
            let columns = try connection.statement("SELECT name FROM pragma_table_info(?)").bind(.text(added.table))
            var present = false
            while try columns.step() { present = present || columns.text(0) == added.column }
            if !present { try connection.execute("ALTER TABLE \(added.table) ADD COLUMN \(added.column) \(added.type)") }
        }
    }

    private static func now() -> Double { Date().timeIntervalSince1970 }

    private static func makeParentDirectories(of path: String) throws(JournalError) {
        let folder = (path as NSString).deletingLastPathComponent
        guard !folder.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw JournalError("cannot create \(folder) for the journal: \(error.localizedDescription)")
        }
    }
}

extension SQLiteJournal {
    /// Runs one journal operation on the connection, then resets any statement it
    /// left mid-way (read one row of, or stopped on an error), so no read stays
    /// open across operations and holds back WAL checkpoints.
    fileprivate func withConnection<T>(_ body: (inout sending SQLiteConnection) throws(JournalError) -> T) throws(JournalError) -> T {
        try connection.withLock { db throws(JournalError) -> T in
            defer { db.resetBusyStatements() }
            return try body(&db)
        }
    }

    /// Statements left in the middle of their rows; none between operations.
    var statementsInProgress: Int {
        connection.withLock { $0.busyStatementCount }
    }
}
