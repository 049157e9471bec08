import Foundation
import PostgresNIO

/// The statements run once per item, prepared once per connection: planning the
/// commit's CTEs costs the server more than running them (0.6 ms against
/// 0.4 ms, EXPLAIN ANALYZE), and a prepared statement is planned once.
/// The SQL is what ``PostgresJournal`` documents at its call sites.
enum PostgresStatements {
    /// Moves up to `limit` claimable items to running under the owner's lease.
    struct Claim: PostgresPreparedStatement {
        static let name = "moonwatch_claim_v1"
        static let sql = """
            WITH picked AS (
                SELECT line FROM moonwatch.items
                WHERE batch = $1 AND (status = 'pending' OR (status = 'running' AND lease_expires < now()))
                ORDER BY line LIMIT $2 FOR UPDATE SKIP LOCKED
            )
            UPDATE moonwatch.items AS item SET status = 'running', attempts = item.attempts + 1,
                lease_owner = $3, lease_expires = now() + make_interval(secs => $4),
                claimed_at = now(), claim_token = $5
            FROM picked WHERE item.batch = $1 AND item.line = picked.line
            RETURNING item.line, item.input, item.attempts
            """
        typealias Row = (Int, String?, Int)
        var batch: Int64
        var limit: Int64
        var owner: String
        var leaseSeconds: Double
        var token: UUID

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 5)
            bindings.append(batch)
            bindings.append(limit)
            bindings.append(owner)
            bindings.append(leaseSeconds)
            bindings.append(token)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// Marks the item done with its records and downloads in one statement, if
    /// the owner still holds it; 1 when it is done by this call (or by an earlier
    /// try of it, found by its token), else 0.
    struct Complete: PostgresPreparedStatement {
        static let name = "moonwatch_complete_v2"
        static let sql = """
            WITH done AS (
                UPDATE moonwatch.items SET status = 'done', last_error = NULL, error_kind = NULL, error_code = NULL,
                    lease_owner = NULL, lease_expires = NULL,
                    finished_by = $3, finished_at = now(), claim_token = $4
                WHERE batch = $1 AND line = $2 AND status = 'running' AND lease_owner = $3
                RETURNING line
            ), stored_records AS (
                INSERT INTO moonwatch.records (batch, item, json, owner)
                SELECT $1, done.line, record.json, $3
                FROM done, unnest($5::text[]) WITH ORDINALITY AS record (json, position)
                ORDER BY record.position
            ), stored_downloads AS (
                INSERT INTO moonwatch.downloads (batch, item, path, bytes, sha256, owner)
                SELECT $1, done.line, file.path, file.bytes, NULLIF(file.sha256, ''), $3
                FROM done, unnest($6::text[], $7::bigint[], $8::text[]) AS file (path, bytes, sha256)
            )
            SELECT (SELECT count(*) FROM done) + (
                SELECT count(*) FROM moonwatch.items
                WHERE batch = $1 AND line = $2 AND status = 'done' AND claim_token = $4)
            """
        typealias Row = Int
        var batch: Int64
        var line: Int32
        var owner: String
        var token: UUID
        var records: [String]
        var paths: [String]
        var sizes: [Int64]
        /// '' for a file without a digest: unnest cannot carry NULL through a bound text[].
        var digests: [String]

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 8)
            bindings.append(batch)
            bindings.append(line)
            bindings.append(owner)
            bindings.append(token)
            bindings.append(records)
            bindings.append(paths)
            bindings.append(sizes)
            bindings.append(digests)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int.self) }
    }

    /// Marks the item failed with its error, under the same guard and token as ``Complete``.
    struct Fail: PostgresPreparedStatement {
        static let name = "moonwatch_fail_v2"
        static let sql = """
            WITH failed AS (
                UPDATE moonwatch.items SET status = 'failed', last_error = $5, error_kind = $6, error_code = $7,
                    lease_owner = NULL, lease_expires = NULL,
                    finished_by = $3, finished_at = now(), claim_token = $4
                WHERE batch = $1 AND line = $2 AND status = 'running' AND lease_owner = $3
                RETURNING line
            )
            SELECT (SELECT count(*) FROM failed) + (
                SELECT count(*) FROM moonwatch.items
                WHERE batch = $1 AND line = $2 AND status = 'failed' AND claim_token = $4)
            """
        typealias Row = Int
        var batch: Int64
        var line: Int32
        var owner: String
        var token: UUID
        var error: String
        var kind: String?
        var code: String?

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 7)
            bindings.append(batch)
            bindings.append(line)
            bindings.append(owner)
            bindings.append(token)
            bindings.append(error)
            bindings.append(kind)
            bindings.append(code)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int.self) }
    }
}
