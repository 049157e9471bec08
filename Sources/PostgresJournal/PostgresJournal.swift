import Foundation
import Journal
import Logging
import PostgresNIO
import Synchronization

/// The shared journal: one batch in PostgreSQL, worked on by any number of
/// processes on any number of machines (docs/journal.md §7).
///
/// A batch is keyed by its input's content (size and SHA-256), so machines that
/// hold the input at different paths join the same batch, and another input in
/// the same database is another batch. Every call is one statement (a claim, a
/// commit with its records and downloads) or one short transaction, made safe
/// to repeat: ``PostgresBridge`` repeats a call whose connection was lost, and a
/// claim or commit that did land before the loss is then recognised by the
/// token the call wrote (`claim_token`), so nothing is committed twice or lost,
/// and of two calls racing for one lease exactly one reports success.
package final class PostgresJournal: JournalStore {
    let bridge: PostgresBridge
    private let boundBatch = Mutex<Bound?>(nil)

    /// The batch this journal was bound to by ``prepare(input:rows:)`` or ``select(_:)``.
    private struct Bound {
        var id: Int64
        var input: String
    }

    package var location: String { bridge.location.description }

    /// Connects (one probe connection first, so a wrong password or a missing
    /// database is named at once instead of the pool retrying it forever) and
    /// migrates the schema.
    /// - Parameter password: used when the URL holds none.
    package init(location: PostgresLocation, password: String?, logger: Logger) throws(JournalError) {
        try Self.probe(location, password: password)
        bridge = PostgresBridge(location: location, configuration: try location.clientConfiguration(password: password), logger: logger)
        do {
            try bridge.run("set up the schema") { client in try await PostgresSchema.migrate(client, logger: Self.quiet) }
        } catch {
            bridge.shutdown()
            throw error
        }
    }

    deinit { bridge.shutdown() }

    /// postgres-nio logs every query at debug level; its messages are not the user's.
    static let quiet = Logger(label: "moonwatch.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    private static func probe(_ location: PostgresLocation, password: String?) throws(JournalError) {
        let configuration = try location.connectionConfiguration(password: password)
        // connectTimeout bounds the TCP connect; this bounds a server that accepts and never answers.
        let outcome = PostgresBridge.wait(seconds: 20) {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: quiet)
            try await connection.close()
        }
        if case .failure(let error) = outcome {
            throw JournalError("cannot open the journal \(location.place): \(PostgresFailure(error).describe(location))")
        }
    }

    func batch() throws(JournalError) -> Int64 { try bound().id }

    /// The input of the batch bound, as status shows it.
    func boundInput() throws(JournalError) -> String { try bound().input }

    private func bound() throws(JournalError) -> Bound {
        guard let bound = boundBatch.withLock({ $0 }) else {
            throw JournalError("the journal \(location) is not bound to a batch yet")
        }
        return bound
    }

    // MARK: Binding to a batch

    package func prepare(input: InputIdentity, rows: () throws(JournalError) -> [InputRow]) throws(JournalError) -> PrepareOutcome {
        let sha256 = input.sha256
        let size = Int64(input.size)
        if let id = try findBatch(sha256: sha256, size: size, input: input) {
            boundBatch.withLock { $0 = Bound(id: id, input: input.description) }
            return .resumed
        }
        let all = try rows()
        let name = (input.path as NSString).lastPathComponent
        let created: (id: Int64, created: Bool) = try bridge.run("create the batch") { client in
            try await client.withTransaction(logger: Self.quiet) { connection in
                // Machines starting together: one creates the batch, the others wait here and join it.
                try await connection.query("SELECT pg_advisory_xact_lock(7262353, hashtext(\(sha256)))", logger: Self.quiet)
                for try await id in try await connection.query(
                    "SELECT id FROM moonwatch.batches WHERE sha256 = \(sha256)", logger: Self.quiet
                ).decode(Int64.self) {
                    return (id, false)
                }
                var id: Int64 = 0
                for try await value in try await connection.query(
                    "INSERT INTO moonwatch.batches (sha256, size, input_name) VALUES (\(sha256), \(size), \(name)) RETURNING id",
                    logger: Self.quiet
                ).decode(Int64.self) {
                    id = value
                }
                for chunk in stride(from: 0, to: all.count, by: 5000) {
                    let rows = all[chunk..<min(all.count, chunk + 5000)]
                    let lines = rows.map { Int32($0.line) }
                    // unnest cannot carry NULL through a text[] bound from Swift: '' stands for it.
                    let inputs = rows.map { $0.json ?? "" }
                    let problems = rows.map { $0.problem ?? "" }
                    try await connection.query("""
                        INSERT INTO moonwatch.items (batch, line, input, status, last_error)
                        SELECT \(id), line, NULLIF(input, ''), CASE WHEN input = '' THEN 'failed' ELSE 'pending' END,
                               NULLIF(problem, '')
                        FROM unnest(\(lines)::integer[], \(inputs)::text[], \(problems)::text[]) AS row (line, input, problem)
                        """, logger: Self.quiet)
                }
                return (id, true)
            }
        }
        boundBatch.withLock { $0 = Bound(id: created.id, input: input.description) }
        if created.created { return .created(rows: all.count) }
        return .resumed
    }

    private func findBatch(sha256: String, size: Int64, input: InputIdentity) throws(JournalError) -> Int64? {
        let found: (Int64, Int64)? = try bridge.run("find the batch") { client in
            for try await row in try await client.query(
                "SELECT id, size FROM moonwatch.batches WHERE sha256 = \(sha256)", logger: Self.quiet
            ).decode((Int64, Int64).self) {
                return row
            }
            return nil
        }
        guard let (id, storedSize) = found else { return nil }
        guard storedSize == size else {
            throw JournalError("the journal \(location) holds a batch with the SHA-256 of \(input) but \(storedSize) bytes; it is corrupt")
        }
        return id
    }

    /// Binds to an existing batch, for `moonwatch report` and `status`: the only
    /// one, or the one whose input SHA-256 starts with `sha256Prefix`.
    /// - Throws: when no batch, or more than one, matches, listing the batches.
    package func select(sha256Prefix: String?) throws(JournalError) {
        let batches: [(Int64, String, String, Date)] = try bridge.run("list the batches") { client in
            var found: [(Int64, String, String, Date)] = []
            for try await row in try await client.query(
                "SELECT id, sha256, input_name, created_at FROM moonwatch.batches ORDER BY id", logger: Self.quiet
            ).decode((Int64, String, String, Date).self) {
                found.append(row)
            }
            return found
        }
        let matching = batches.filter { sha256Prefix.map($0.1.hasPrefix) ?? true }
        guard matching.count == 1, let (id, sha256, name, _) = matching.first else {
            let listed = batches.map { "\($0.2) (sha256 \($0.1.prefix(12)), created \($0.3))" }.joined(separator: "; ")
            if batches.isEmpty { throw JournalError("the journal \(location) holds no batch yet") }
            let what = matching.isEmpty ? "no batch matches \(sha256Prefix ?? "")" : "it holds \(matching.count) batches"
            throw JournalError("\(what) in the journal \(location): name one with --batch SHA256-PREFIX or --input FILE: \(listed)")
        }
        boundBatch.withLock { $0 = Bound(id: id, input: "\(name) (sha256 \(sha256.prefix(12))…)") }
    }

    // MARK: Work

    package func retryFailed() throws(JournalError) -> Int {
        let batch = try batch()
        return try bridge.run("retry the failed items") { client in
            try await Self.count(client, """
                WITH retried AS (
                    UPDATE moonwatch.items SET status = 'pending', finished_by = NULL, finished_at = NULL
                    WHERE batch = \(batch) AND status = 'failed' AND input IS NOT NULL RETURNING 1
                )
                SELECT count(*) FROM retried
                """)
        }
    }

    package func claim(owner: String, limit: Int, leaseSeconds: Double) throws(JournalError) -> [ClaimedItem] {
        let batch = try batch()
        let token = UUID()
        let repeats = RepeatMarker()
        let claimed: [ClaimedItem] = try bridge.run("claim items") { client in
            // A repeat after a lost connection first looks for what the lost attempt claimed.
            if repeats.isRepeat() {
                let earlier = try await Self.items(client, """
                    SELECT line, input, attempts FROM moonwatch.items
                    WHERE batch = \(batch) AND claim_token = \(token) AND status = 'running' AND lease_owner = \(owner)
                    """)
                if !earlier.isEmpty { return earlier }
            }
            var claimed: [ClaimedItem] = []
            let statement = PostgresStatements.Claim(
                batch: batch, limit: Int64(limit), owner: owner, leaseSeconds: leaseSeconds, token: token)
            for try await (line, json, attempt) in try await client.execute(statement, logger: Self.quiet) {
                claimed.append(ClaimedItem(line: line, json: json ?? "{}", attempt: attempt))
            }
            return claimed
        }
        return claimed.sorted { $0.line < $1.line }
    }

    private static func items(_ client: PostgresClient, _ query: PostgresQuery) async throws -> [ClaimedItem] {
        var items: [ClaimedItem] = []
        for try await (line, json, attempt) in try await client.query(query, logger: quiet).decode((Int, String?, Int).self) {
            items.append(ClaimedItem(line: line, json: json ?? "{}", attempt: attempt))
        }
        return items
    }

    /// Also the heartbeat `moonwatch status` reads: the owner's row says it is alive.
    package func renewLeases(owner: String, leaseSeconds: Double) throws(JournalError) {
        let batch = try batch()
        _ = try bridge.run("renew the leases") { client in
            try await client.query("""
                WITH renewed AS (
                    UPDATE moonwatch.items SET lease_expires = now() + make_interval(secs => \(leaseSeconds))
                    WHERE batch = \(batch) AND status = 'running' AND lease_owner = \(owner) RETURNING 1
                )
                INSERT INTO moonwatch.workers (batch, owner) VALUES (\(batch), \(owner))
                ON CONFLICT (batch, owner) DO UPDATE SET heartbeat_at = now(), stopped_at = NULL
                """, logger: Self.quiet)
        }
    }

    package func complete(line: Int, owner: String, records: [String], downloads: [DownloadRecord]) throws(JournalError) -> Bool {
        let batch = try batch()
        // One statement, so one transaction: the item is done with all its records and downloads, or not at all.
        let statement = PostgresStatements.Complete(
            batch: batch, line: Int32(line), owner: owner, token: UUID(), records: records,
            paths: downloads.map(\.path), sizes: downloads.map { Int64($0.bytes) }, digests: downloads.map { $0.sha256 ?? "" })
        return try bridge.run("commit line \(line)") { client in try await Self.single(client, statement) } == 1
    }

    package func fail(line: Int, owner: String, error: ItemError) throws(JournalError) -> Bool {
        let batch = try batch()
        let statement = PostgresStatements.Fail(
            batch: batch, line: Int32(line), owner: owner, token: UUID(), error: error.message, kind: error.kind, code: error.code)
        return try bridge.run("record the failure of line \(line)") { client in try await Self.single(client, statement) } == 1
    }

    package func release(line: Int, owner: String) throws(JournalError) -> Bool {
        let batch = try batch()
        let item = Int32(line)
        return try bridge.run("release line \(line)") { client in
            try await Self.count(client, """
                WITH released AS (
                    UPDATE moonwatch.items SET status = 'pending', lease_owner = NULL, lease_expires = NULL
                    WHERE batch = \(batch) AND line = \(item) AND status = 'running' AND lease_owner = \(owner) RETURNING 1
                )
                SELECT count(*) FROM released
                """) == 1
        }
    }

    /// Also tells `moonwatch status` that this owner stopped.
    package func releaseAll(owner: String) throws(JournalError) -> Int {
        let batch = try batch()
        return try bridge.run("release the items still held") { client in
            try await Self.count(client, """
                WITH released AS (
                    UPDATE moonwatch.items SET status = 'pending', lease_owner = NULL, lease_expires = NULL
                    WHERE batch = \(batch) AND status = 'running' AND lease_owner = \(owner) RETURNING 1
                ), stopped AS (
                    UPDATE moonwatch.workers SET stopped_at = now(), heartbeat_at = now()
                    WHERE batch = \(batch) AND owner = \(owner)
                )
                SELECT count(*) FROM released
                """)
        }
    }

    /// The one value a prepared statement's one row holds.
    private static func single<Statement: PostgresPreparedStatement>(
        _ client: PostgresClient, _ statement: Statement
    ) async throws -> Int where Statement.Row == Int {
        var value = 0
        for try await row in try await client.execute(statement, logger: quiet) { value = row }
        return value
    }

    private static func count(_ client: PostgresClient, _ query: PostgresQuery) async throws -> Int {
        var count = 0
        for try await value in try await client.query(query, logger: quiet).decode(Int.self) { count = value }
        return count
    }

    package func addRecords(_ records: [String]) throws(JournalError) {
        let batch = try batch()
        guard !records.isEmpty else { return }
        _ = try bridge.run("store records") { client in
            try await client.query("""
                INSERT INTO moonwatch.records (batch, item, json, owner)
                SELECT \(batch), NULL, record.json, ''
                FROM unnest(\(records)::text[]) WITH ORDINALITY AS record (json, position) ORDER BY record.position
                """, logger: Self.quiet)
        }
    }

    // MARK: Reading

    package func counts() throws(JournalError) -> ItemCounts {
        let batch = try batch()
        return try bridge.run("count the items") { client in
            var counts = ItemCounts()
            for try await (status, count) in try await client.query(
                "SELECT status, count(*) FROM moonwatch.items WHERE batch = \(batch) GROUP BY status", logger: Self.quiet
            ).decode((String, Int).self) {
                if let status = ItemStatus(rawValue: status) { counts[status] = count }
            }
            return counts
        }
    }

    /// Pages of this many rows: a batch of 100,000 items is never held in memory at once.
    private static let page = 10_000

    package func forEachRecord(_ body: (_ item: Int?, _ json: String) throws(JournalError) -> Void) throws(JournalError) {
        let batch = try batch()
        try forEachPage("read the records", after: Int64(0), key: \.0, query: { after in """
            SELECT id, item, json FROM moonwatch.records WHERE batch = \(batch) AND id > \(after) ORDER BY id LIMIT \(Self.page)
            """ }, decode: { try $0.decode((Int64, Int?, String).self) }) { row throws(JournalError) in try body(row.1, row.2) }
    }

    package func forEachItem(_ body: (ItemReport) throws(JournalError) -> Void) throws(JournalError) {
        let batch = try batch()
        try forEachPage("read the items", after: 0, key: \.0, query: { after in """
            SELECT line, status, attempts, last_error, error_kind, error_code, input FROM moonwatch.items
            WHERE batch = \(batch) AND line > \(after) ORDER BY line LIMIT \(Self.page)
            """ }, decode: { try $0.decode((Int, String, Int, String?, String?, String?, String?).self) }) { row throws(JournalError) in
            try body(ItemReport(
                line: row.0, status: ItemStatus(rawValue: row.1) ?? .pending, attempts: row.2,
                error: row.3.map { ItemError($0, kind: row.4, code: row.5) }, row: row.6))
        }
    }

    package func forEachDownload(_ body: (_ item: Int, DownloadRecord) throws(JournalError) -> Void) throws(JournalError) {
        let batch = try batch()
        try forEachPage("read the downloads", after: Int64(0), key: \.0, query: { after in """
            SELECT id, item, path, bytes, sha256 FROM moonwatch.downloads
            WHERE batch = \(batch) AND id > \(after) ORDER BY id LIMIT \(Self.page)
            """ }, decode: { try $0.decode((Int64, Int, String, Int, String?).self) }) { row throws(JournalError) in
            try body(row.1, DownloadRecord(path: row.2, bytes: row.3, sha256: row.4))
        }
    }

    /// Reads a query page by page, keyed by an increasing column, so that no
    /// whole batch is held in memory.
    private func forEachPage<Row: Sendable, Key: Sendable>(
        _ action: String, after first: Key, key: (Row) -> Key,
        query: @escaping @Sendable (Key) -> PostgresQuery, decode: @escaping @Sendable (PostgresRow) throws -> Row,
        _ body: (Row) throws(JournalError) -> Void
    ) throws(JournalError) {
        var after = first
        while true {
            let rows: [Row] = try bridge.run(action) { [after] client in
                var rows: [Row] = []
                for try await row in try await client.query(query(after), logger: Self.quiet) { rows.append(try decode(row)) }
                return rows
            }
            for row in rows { try body(row) }
            guard rows.count == Self.page, let last = rows.last else { return }
            after = key(last)
        }
    }
}

/// Tells a call's first try from its repeats.
private final class RepeatMarker: Sendable {
    private let tried = Atomic<Bool>(false)

    func isRepeat() -> Bool { tried.exchange(true, ordering: .relaxed) }
}
