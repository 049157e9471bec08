/// The journal's tables. Every statement is idempotent, so opening an existing
/// journal runs them again harmlessly.
enum SQLiteSchema {
    static let statements = """
        -- The input the journal belongs to (one row): a changed file is refused.
        CREATE TABLE IF NOT EXISTS input (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            path TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL
        );
        -- One row per input row, keyed by its line number.
        CREATE TABLE IF NOT EXISTS items (
            line INTEGER PRIMARY KEY,
            input TEXT,                     -- the row as a JSON object; NULL for a bad row
            status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            error_kind TEXT,                -- the error table's kind, for grouping failures
            error_code TEXT,                -- the service's code (MSS.00010002, ...)
            lease_owner TEXT,
            lease_expires REAL,             -- Unix time
            claimed_at REAL,                -- Unix time, for status: the oldest lease
            finished_at REAL                -- Unix time, for status: the recent rate
        );
        CREATE INDEX IF NOT EXISTS items_by_status ON items (status, line);
        -- Records emitted by done items (item NULL: emitted in setup or done).
        CREATE TABLE IF NOT EXISTS records (
            id INTEGER PRIMARY KEY,
            item INTEGER REFERENCES items (line),
            json TEXT NOT NULL
        );
        -- Files downloaded by done items.
        CREATE TABLE IF NOT EXISTS downloads (
            id INTEGER PRIMARY KEY,
            item INTEGER NOT NULL REFERENCES items (line),
            path TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            sha256 TEXT
        );
        """

    /// Columns added after the first release, for journals created before them.
    static let addedColumns: [(table: String, column: String, type: String)] = [
        ("items", "claimed_at", "REAL"),
        ("items", "finished_at", "REAL"),
        ("items", "error_kind", "TEXT"),
        ("items", "error_code", "TEXT"),
    ]
}
