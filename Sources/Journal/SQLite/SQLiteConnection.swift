import CSQLite

/// A thin synchronous wrapper of one SQLite connection: statements prepared
/// once and cached, typed binds and columns, transactions.
///
/// Not thread-safe by itself: ``SQLiteJournal`` owns one behind a lock. The
/// binding is the system `libsqlite3` (Debian's `libsqlite3-dev`) through the
/// `CSQLite` module, chosen over GRDB.swift or sqlite-nio because the journal
/// needs a dozen fixed statements and no ORM, pool or event loop: this file is
/// the whole binding and it adds nothing to the build.
final class SQLiteConnection {
    private let db: OpaquePointer
    /// The database path as given, for messages.
    let path: String
    private var statements: [String: SQLiteStatement] = [:]

    /// Opens (or creates) the database at `path`; `:memory:` is a private in-memory database.
    init(path: String) throws(JournalError) {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            throw JournalError("cannot open the journal \(path): \(message)")
        }
        // Extended codes (SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED_SHAREDCACHE, ...) say
        // more in messages; ``failure(_:)`` masks them to decide.
        sqlite3_extended_result_codes(handle, 1)
        db = handle
        self.path = path
    }

    deinit {
        for statement in statements.values { statement.finalize() }
        sqlite3_close(db)
    }

    /// Runs one or more statements that return no rows.
    func execute(_ sql: String) throws(JournalError) {
        var message: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(db, sql, nil, nil, &message)
        sqlite3_free(message)
        guard status == SQLITE_OK else { throw failure(status) }
    }

    /// The cached prepared statement for `sql`, reset and with its bindings cleared.
    func statement(_ sql: String) throws(JournalError) -> SQLiteStatement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        var handle: OpaquePointer?
        guard sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &handle, nil) == SQLITE_OK, let handle else {
            throw JournalError("journal \(path): cannot prepare \(sql): \(lastError)")
        }
        let statement = SQLiteStatement(handle: handle, connection: self)
        statements[sql] = statement
        return statement
    }

    /// Resets every statement still in the middle of its rows.
    func resetBusyStatements() {
        forEachBusyStatement { sqlite3_reset($0) }
    }

    var busyStatementCount: Int {
        var count = 0
        forEachBusyStatement { _ in count += 1 }
        return count
    }

    private func forEachBusyStatement(_ body: (OpaquePointer) -> Void) {
        var handle = sqlite3_next_stmt(db, nil)
        while let current = handle {
            if sqlite3_stmt_busy(current) != 0 { body(current) }
            handle = sqlite3_next_stmt(db, current)
        }
    }

    /// Runs `body` in one transaction (`BEGIN IMMEDIATE`: the write lock is taken
    /// up front, so the transaction never fails half-way on a lock upgrade).
    func transaction<T>(_ body: () throws(JournalError) -> T) throws(JournalError) -> T {
        // Prepared once like the others: a journal commits a transaction per item.
        try statement("BEGIN IMMEDIATE").run()
        do {
            let result = try body()
            try statement("COMMIT").run()
            return result
        } catch {
            try? statement("ROLLBACK").run()
            throw error
        }
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes(db)) }

    var lastError: String { String(cString: sqlite3_errmsg(db)) }

    /// The error for a failed call's result code. Busy and locked are told by
    /// the primary code (the low byte of an extended one), never by the text.
    func failure(_ status: Int32) -> JournalError {
        if Self.isLockConflict(status) {
            return JournalError("the journal \(path) is in use by another moonwatch batch (\(lastError), code \(status))")
        }
        return JournalError("journal \(path): \(lastError) (code \(status))")
    }

    /// SQLITE_BUSY or SQLITE_LOCKED, plain or extended: another connection holds the lock.
    static func isLockConflict(_ status: Int32) -> Bool {
        let primary = status & 0xff
        return primary == SQLITE_BUSY || primary == SQLITE_LOCKED
    }
}

/// One prepared statement; bind with ``bind(_:)``, then ``step()`` through rows.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private unowned let connection: SQLiteConnection

    fileprivate init(handle: OpaquePointer, connection: SQLiteConnection) {
        self.handle = handle
        self.connection = connection
    }

    fileprivate func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    fileprivate func finalize() { sqlite3_finalize(handle) }

    /// Binds the values to parameters 1, 2, ... in order.
    @discardableResult
    func bind(_ values: SQLiteValue...) -> SQLiteStatement {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .null: sqlite3_bind_null(handle, index)
            case .integer(let number): sqlite3_bind_int64(handle, index, number)
            case .real(let number): sqlite3_bind_double(handle, index, number)
            case .text(let text): sqlite3_bind_text(handle, index, text, -1, transientDestructor)
            }
        }
        return self
    }

    /// Advances to the next row: true while there is one.
    func step() throws(JournalError) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let status: throw connection.failure(status)
        }
    }

    /// Runs a statement that returns no rows.
    func run() throws(JournalError) {
        _ = try step()
    }

    func integer(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    func real(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        return String(cString: bytes)
    }
}

/// A value bound to a statement parameter.
enum SQLiteValue {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    static func integer(_ value: Int) -> SQLiteValue { .integer(Int64(value)) }
    static func optionalText(_ value: String?) -> SQLiteValue { value.map { .text($0) } ?? .null }
}

/// SQLITE_TRANSIENT: SQLite copies the bound text before the call returns.
private let transientDestructor = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
