import Journal
import Logging
import PostgresNIO

/// The shared journal's tables, in the schema `moonwatch`, and the migrations
/// that bring a database to the version this build knows (docs/journal.md §7).
///
/// Every process that opens the journal runs ``migrate(_:)``: under an advisory
/// lock, so machines starting together migrate once, and refusing a database
/// that a newer moonwatch has already moved past what this one understands.
enum PostgresSchema {
    /// The version this build writes. A database at a higher one is refused.
    static let version = 2

    /// Statements taking the schema from version N to N+1, at index N.
    static let migrations: [[PostgresQuery]] = [
        [
            """
            CREATE TABLE moonwatch.batches (
                id bigserial PRIMARY KEY,
                sha256 text NOT NULL UNIQUE,          -- the input's content: its identity on every machine
                size bigint NOT NULL,
                input_name text NOT NULL,             -- the file name the batch was created from, for status
                created_at timestamptz NOT NULL DEFAULT now(),
                spent_millicoins bigint NOT NULL DEFAULT 0,
                coins_exhausted text                  -- why the try-on account is out of coins (state -2), once seen
            )
            """,
            """
            CREATE TABLE moonwatch.items (
                batch bigint NOT NULL REFERENCES moonwatch.batches (id) ON DELETE CASCADE,
                line integer NOT NULL,
                input text,                           -- the row as a JSON object; NULL for a bad row
                status text NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
                attempts integer NOT NULL DEFAULT 0,
                last_error text,
                lease_owner text,
                lease_expires timestamptz,
                claimed_at timestamptz,
                claim_token uuid,                     -- the last claim or commit: a call repeated after a lost
                                                      -- connection finds what its first try did
                finished_by text,                     -- the owner that committed the outcome
                finished_at timestamptz,
                PRIMARY KEY (batch, line)
            )
            """,
            "CREATE INDEX items_claimable ON moonwatch.items (batch, line) WHERE status IN ('pending', 'running')",
            "CREATE INDEX items_finished ON moonwatch.items (batch, finished_at) WHERE finished_at IS NOT NULL",
            """
            CREATE TABLE moonwatch.records (
                id bigserial PRIMARY KEY,
                batch bigint NOT NULL REFERENCES moonwatch.batches (id) ON DELETE CASCADE,
                item integer,                         -- NULL: emitted in setup or done
                json text NOT NULL,
                owner text NOT NULL
            )
            """,
            "CREATE INDEX records_by_batch ON moonwatch.records (batch, id)",
            """
            CREATE TABLE moonwatch.downloads (
                id bigserial PRIMARY KEY,
                batch bigint NOT NULL REFERENCES moonwatch.batches (id) ON DELETE CASCADE,
                item integer NOT NULL,
                path text NOT NULL,
                bytes bigint NOT NULL,
                sha256 text,
                owner text NOT NULL
            )
            """,
            "CREATE INDEX downloads_by_batch ON moonwatch.downloads (batch, item)",
            """
            CREATE TABLE moonwatch.workers (
                batch bigint NOT NULL REFERENCES moonwatch.batches (id) ON DELETE CASCADE,
                owner text NOT NULL,                  -- host:pid:random, as the leases name it
                started_at timestamptz NOT NULL DEFAULT now(),
                heartbeat_at timestamptz NOT NULL DEFAULT now(),
                stopped_at timestamptz,
                PRIMARY KEY (batch, owner)
            )
            """,
        ],
        // 2: the failure's kind and code, so that reports group failures.
        [
            "ALTER TABLE moonwatch.items ADD COLUMN error_kind text, ADD COLUMN error_code text",
        ],
    ]

    /// Brings the database to ``version``.
    /// - Throws: ``NewerSchema`` for a database a newer moonwatch migrated.
    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { connection in
            // Any constant will do, as long as every moonwatch uses the same one.
            try await connection.query("SELECT pg_advisory_xact_lock(7262353, 1)", logger: logger)
            try await connection.query("CREATE SCHEMA IF NOT EXISTS moonwatch", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS moonwatch.schema_version (version integer NOT NULL)", logger: logger)
            var current = 0
            for try await (version) in try await connection.query(
                "SELECT version FROM moonwatch.schema_version", logger: logger
            ).decode(Int.self) {
                current = version
            }
            guard current <= version else { throw NewerSchema(found: current) }
            guard current < version else { return }
            for step in current..<version {
                for statement in migrations[step] { try await connection.query(statement, logger: logger) }
            }
            try await connection.query("DELETE FROM moonwatch.schema_version", logger: logger)
            try await connection.query("INSERT INTO moonwatch.schema_version (version) VALUES (\(version))", logger: logger)
        }
    }

    /// The database was migrated by a newer moonwatch.
    struct NewerSchema: Error {
        let found: Int
    }
}
