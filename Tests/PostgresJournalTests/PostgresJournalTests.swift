import Foundation
import Journal
import Logging
import PostgresJournal
import PostgresTestSupport
import Synchronization
import XCTest

/// The shared journal against a real server (the cluster scripts/test starts):
/// each test in a database of its own.
final class PostgresJournalTests: XCTestCase {
    private var server: TestPostgres!
    private var url: String!

    override func setUpWithError() throws {
        guard let server = try TestPostgres.fromEnvironment() else {
            throw XCTSkip("no PostgreSQL test cluster (scripts/test starts one)")
        }
        self.server = server
        url = try server.createDatabase()
    }

    private func open(_ text: String? = nil) throws -> PostgresJournal {
        try PostgresJournal(location: PostgresLocation(url: text ?? url), password: nil, logger: Logger(label: "test"))
    }

    private static let input = InputIdentity(path: "/a/items.jsonl", size: 30, sha256: String(repeating: "ab", count: 32))

    private static func rows(_ count: Int) -> [InputRow] {
        (1...count).map { InputRow(line: $0, json: #"{"n":\#($0)}"#) }
    }

    func testAnItemIsDoneWithItsRecordsAndDownloadsAndReadBackInOrder() throws {
        let journal = try open()
        XCTAssertEqual(try journal.prepare(input: Self.input) { Self.rows(3) + [InputRow(line: 4, problem: "bad JSON")] }, .created(rows: 4))
        let claimed = try journal.claim(owner: "a", limit: 10, leaseSeconds: 60)
        XCTAssertEqual(claimed.map(\.line), [1, 2, 3], "in input order, the bad row not claimable")
        XCTAssertEqual(claimed.map(\.attempt), [1, 1, 1])
        XCTAssertEqual(claimed[0].json, #"{"n":1}"#)
        XCTAssertTrue(try journal.complete(line: 2, owner: "a", records: ["r2a", "r2b"],
            downloads: [DownloadRecord(path: "f", bytes: 5, sha256: nil)]))
        XCTAssertTrue(try journal.complete(line: 1, owner: "a", records: ["r1"], downloads: []))
        XCTAssertTrue(try journal.fail(line: 3, owner: "a", error: ItemError("boom", kind: "server", code: "MSS.00000004")))
        try journal.addRecords(["done"])
        var records: [String] = []
        try journal.forEachRecord { records.append($1) }
        XCTAssertEqual(records, ["r2a", "r2b", "r1", "done"], "in commit order")
        var items: [ItemReport] = []
        try journal.forEachItem { items.append($0) }
        XCTAssertEqual(items.map(\.status), [.done, .done, .failed, .failed])
        XCTAssertEqual(items[2].error, ItemError("boom", kind: "server", code: "MSS.00000004"))
        XCTAssertNotNil(items[2].row, "the row, for the report's id")
        XCTAssertEqual(items[3].error, ItemError("bad JSON"))
        var downloads: [String] = []
        try journal.forEachDownload { item, file in downloads.append("\(item) \(file.path) \(file.bytes) \(file.sha256 ?? "-")") }
        XCTAssertEqual(downloads, ["2 f 5 -"])
        var emitters: [Int?] = []
        try journal.forEachRecord { item, _ in emitters.append(item) }
        XCTAssertEqual(emitters, [2, 2, 1, nil])
        XCTAssertEqual(items[3].attempts, 0)
        XCTAssertEqual(try server.sql("SELECT count(*) || ' ' || min(path) FROM moonwatch.downloads", database: url), "1 f")
        XCTAssertEqual(try journal.retryFailed(), 1, "not the bad row")
        XCTAssertEqual(try journal.claim(owner: "b", limit: 10, leaseSeconds: 60).map(\.attempt), [2])
    }

    func testTheSameContentAtAnotherPathJoinsTheBatchAndOtherContentIsAnotherBatch() throws {
        let first = try open()
        _ = try first.prepare(input: Self.input) { Self.rows(5) }
        _ = try first.claim(owner: "a", limit: 2, leaseSeconds: 60)

        var elsewhere = Self.input
        elsewhere.path = "/mnt/other/items-copy.jsonl"
        let second = try open()
        XCTAssertEqual(try second.prepare(input: elsewhere) { XCTFail("rows read again"); return [] }, .resumed)
        XCTAssertEqual(try second.claim(owner: "b", limit: 10, leaseSeconds: 60).map(\.line), [3, 4, 5], "the same items")

        let other = InputIdentity(path: "/a/items.jsonl", size: 31, sha256: String(repeating: "cd", count: 32))
        let third = try open()
        XCTAssertEqual(try third.prepare(input: other) { Self.rows(2) }, .created(rows: 2))
        XCTAssertEqual(try third.counts().total, 2, "never mixed with the first batch")
        XCTAssertEqual(try first.counts().total, 5)

        let reader = try open()
        XCTAssertThrowsError(try reader.select(sha256Prefix: nil)) { error in
            XCTAssertTrue("\(error)".contains("holds 2 batches"), "\(error)")
        }
        try reader.select(sha256Prefix: "cdcd")
        XCTAssertEqual(try reader.counts().total, 2)
    }

    /// Two processes believing they hold one item (the same lease owner, as a
    /// restarted worker would): each of 40 items is committed by exactly one of them.
    func testTwoConnectionsRacingToCommitOneLeaseOnlyOneWins() throws {
        let a = try open()
        let b = try open()
        _ = try a.prepare(input: Self.input) { Self.rows(40) }
        _ = try b.prepare(input: Self.input) { [] }
        let claimed = try a.claim(owner: "same", limit: 40, leaseSeconds: 60)
        XCTAssertEqual(claimed.count, 40)
        let wins = Mutex([0, 0])
        DispatchQueue.concurrentPerform(iterations: 80) { index in
            let journal = index % 2 == 0 ? a : b
            let line = index / 2 + 1
            if (try? journal.complete(line: line, owner: "same", records: ["line \(line) by \(index % 2)"], downloads: [])) == true {
                wins.withLock { $0[index % 2] += 1 }
            }
        }
        XCTAssertEqual(wins.withLock { $0.reduce(0, +) }, 40, "one commit per item")
        var records: [String] = []
        try a.forEachRecord { records.append($1) }
        XCTAssertEqual(records.count, 40, "each item's records stored once")
        XCTAssertEqual(Set(records.map { $0.split(separator: " ")[1] }).count, 40)
    }

    /// A worker cut off past its lease: another takes the item; the first one,
    /// back, cannot commit over it.
    func testAWorkerThatLostItsLeaseCannotCommitOverTheNewHolder() throws {
        let a = try open()
        let b = try open()
        _ = try a.prepare(input: Self.input) { Self.rows(1) }
        _ = try b.prepare(input: Self.input) { [] }
        XCTAssertEqual(try a.claim(owner: "a", limit: 1, leaseSeconds: 1).map(\.line), [1])
        XCTAssertEqual(try b.claim(owner: "b", limit: 1, leaseSeconds: 60), [], "not while a's lease lasts")
        Thread.sleep(forTimeInterval: 1.5)
        XCTAssertEqual(try b.claim(owner: "b", limit: 1, leaseSeconds: 60).map(\.attempt), [2])
        XCTAssertFalse(try a.complete(line: 1, owner: "a", records: ["stale"], downloads: []))
        XCTAssertFalse(try a.fail(line: 1, owner: "a", error: ItemError("stale")))
        try a.renewLeases(owner: "a", leaseSeconds: 60)
        XCTAssertTrue(try b.complete(line: 1, owner: "b", records: ["fresh"], downloads: []))
        var records: [String] = []
        try a.forEachRecord { records.append($1) }
        XCTAssertEqual(records, ["fresh"])
    }

    /// Workers on three connections charging together: never past the budget.
    func testTheCoinBudgetIsChargedAtomicallyAcrossConnections() async throws {
        let journals = try (0..<3).map { _ in try open() }
        for journal in journals { _ = try journal.prepare(input: Self.input) { Self.rows(1) } }
        let charged = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<60 {
                group.addTask {
                    let answer = try await journals[index % 3].chargeCoins(100, maxMilliCoins: 2_050)
                    if case .charged = answer { return true }
                    return false
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        XCTAssertEqual(charged, 20, "2.05 coins at 0.1 a query")
        XCTAssertEqual(try journals[0].spentMilliCoins(), 2_000)
        let unlimited = try await journals[1].chargeCoins(100, maxMilliCoins: nil)
        XCTAssertEqual(unlimited, .charged(spentMilliCoins: 2_100))
        try await journals[2].markCoinsExhausted("state -2 for infId 7")
        let refused = try await journals[0].chargeCoins(100, maxMilliCoins: nil)
        XCTAssertEqual(refused, .refused(spentMilliCoins: 2_100, exhausted: "state -2 for infId 7"))
    }

    func testAClaimAfterTheServerCutTheConnectionIsRetriedOnANewOne() throws {
        let journal = try open()
        _ = try journal.prepare(input: Self.input) { Self.rows(3) }
        XCTAssertEqual(try journal.claim(owner: "a", limit: 1, leaseSeconds: 60).map(\.line), [1])
        let database = String(url.split(separator: "/").last!.split(separator: "?").first!)
        let terminated = try server.sql(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '\(database)' AND pid <> pg_backend_pid()")
        XCTAssertGreaterThan(Int(terminated) ?? 0, 0, "the journal's connections were cut")
        XCTAssertEqual(try journal.claim(owner: "a", limit: 1, leaseSeconds: 60).map(\.line), [2])
        XCTAssertTrue(try journal.complete(line: 2, owner: "a", records: [], downloads: []))
    }

    func testASchemaFromANewerMoonwatchIsRefused() throws {
        _ = try open()
        try server.sql("UPDATE moonwatch.schema_version SET version = 99", database: url)
        XCTAssertThrowsError(try open()) { error in
            XCTAssertTrue("\(error)".contains("schema is version 99, newer than this moonwatch knows"), "\(error)")
        }
    }

    func testAWrongPasswordOrAMissingDatabaseIsNamedWithoutThePassword() throws {
        let wrong = url.replacingOccurrences(of: #":[^:@/]+@"#, with: ":not-the-password@", options: .regularExpression)
        XCTAssertThrowsError(try open(wrong)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("authentication failed for user moonwatch"), message)
            XCTAssertTrue(message.contains("on 127.0.0.1:"), "names the host: \(message)")
            XCTAssertFalse(message.contains("not-the-password"), message)
        }
        let missing = server.url(database: "no_such_database")
        XCTAssertThrowsError(try open(missing)) { error in
            XCTAssertTrue("\(error)".contains("no_such_database"), "\(error)")
            XCTAssertTrue("\(error)".contains("does not exist"), "\(error)")
        }
        let refused = "postgres://moonwatch:secret-pw@127.0.0.1:1/db?sslmode=disable"
        XCTAssertThrowsError(try open(refused)) { error in
            XCTAssertTrue("\(error)".contains("database db on 127.0.0.1:1"), "\(error)")
            XCTAssertTrue("\(error)".contains("refused"), "\(error)")
            XCTAssertFalse("\(error)".contains("secret-pw"), "\(error)")
        }
    }

    func testStatusShowsWorkersTheOldestLeaseAndTheRecentRate() throws {
        let journal = try open()
        _ = try journal.prepare(input: Self.input) { Self.rows(4) }
        try journal.renewLeases(owner: "host:1:a", leaseSeconds: 60)
        _ = try journal.claim(owner: "host:1:a", limit: 2, leaseSeconds: 60)
        XCTAssertTrue(try journal.complete(line: 1, owner: "host:1:a", records: [], downloads: []))
        let status = try journal.status()
        XCTAssertEqual(status.counts[.done], 1)
        XCTAssertEqual(status.counts[.running], 1)
        XCTAssertEqual(status.counts[.pending], 2)
        XCTAssertEqual(status.workers.map(\.owner), ["host:1:a"])
        XCTAssertTrue(status.isAlive(status.workers[0], heartbeatPeriod: 15))
        XCTAssertEqual(status.oldestLease?.line, 2)
        XCTAssertEqual(status.finishedRecently, 1)
        XCTAssertGreaterThan(status.rate, 0)
        XCTAssertFalse(status.location.contains("test-"), "no password in \(status.location)")
        _ = try journal.releaseAll(owner: "host:1:a")
        let after = try journal.status()
        XCTAssertNotNil(after.workers[0].stopped)
        XCTAssertFalse(after.isAlive(after.workers[0], heartbeatPeriod: 15))
        XCTAssertNil(after.oldestLease)
    }
}

