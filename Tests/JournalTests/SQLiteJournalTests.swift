import Foundation
import XCTest

@testable import Journal

/// The SQLite journal: input identity, claims and leases, the done-with-records
/// transaction, recovery after a crash, retries.
final class SQLiteJournalTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private var statePath: String { folder.appendingPathComponent("state/state.sqlite").path }
    private let identity = InputIdentity(path: "in.jsonl", size: 10, sha256: "abc")

    private func rows(_ count: Int) -> [InputRow] {
        (1...count).map { InputRow(line: $0, json: #"{"n":\#($0)}"#) }
    }

    func testCreatesThenResumesTheSameInputAndRefusesAChangedOne() throws {
        let journal = try SQLiteJournal(path: statePath)
        XCTAssertEqual(try journal.prepare(input: identity) { self.rows(3) }, .created(rows: 3))
        XCTAssertEqual(try journal.prepare(input: identity) { XCTFail("rows read again"); return [] }, .resumed)
        XCTAssertEqual(journal.statementsInProgress, 0, "the identity query read one row and was reset, not left open")
        var changed = identity
        changed.sha256 = "abd"
        XCTAssertThrowsError(try journal.prepare(input: changed) { [] }) { error in
            XCTAssertTrue("\(error)".contains("belongs to in.jsonl"), "\(error)")
        }
    }

    func testClaimsInInputOrderUnderALeaseAndCountsAttempts() throws {
        let journal = try SQLiteJournal(path: statePath)
        _ = try journal.prepare(input: identity) { self.rows(5) }
        let first = try journal.claim(owner: "a", limit: 2, leaseSeconds: 60)
        XCTAssertEqual(first.map(\.line), [1, 2])
        XCTAssertEqual(first.map(\.attempt), [1, 1])
        XCTAssertEqual(first[0].json, #"{"n":1}"#)
        XCTAssertEqual(try journal.claim(owner: "b", limit: 10, leaseSeconds: 60).map(\.line), [3, 4, 5])
        XCTAssertEqual(try journal.claim(owner: "c", limit: 10, leaseSeconds: 60), [])
        XCTAssertEqual(try journal.counts()[.running], 5)
    }

    func testReleaseAllGivesBackOnlyTheOwnersItems() throws {
        let journal = try SQLiteJournal(path: statePath)
        _ = try journal.prepare(input: identity) { self.rows(5) }
        _ = try journal.claim(owner: "a", limit: 2, leaseSeconds: 60)
        _ = try journal.claim(owner: "b", limit: 3, leaseSeconds: 60)
        XCTAssertEqual(try journal.releaseAll(owner: "a"), 2)
        XCTAssertEqual(try journal.counts()[.pending], 2)
        XCTAssertEqual(try journal.counts()[.running], 3, "b's items are b's")
        XCTAssertEqual(try journal.claim(owner: "c", limit: 10, leaseSeconds: 60).map(\.line), [1, 2])
    }

    func testAnExpiredLeaseIsClaimedAgainAndTheOldOwnerCannotComplete() throws {
        let journal = try SQLiteJournal(path: statePath)
        _ = try journal.prepare(input: identity) { self.rows(1) }
        _ = try journal.claim(owner: "dead", limit: 1, leaseSeconds: -1)
        let again = try journal.claim(owner: "alive", limit: 1, leaseSeconds: 60)
        XCTAssertEqual(again.map(\.attempt), [2])
        XCTAssertFalse(try journal.complete(line: 1, owner: "dead", records: ["{}"], downloads: []))
        XCTAssertTrue(try journal.complete(line: 1, owner: "alive", records: [#"{"r":1}"#], downloads: []))
        var records: [String] = []
        try journal.forEachRecord { records.append($1) }
        XCTAssertEqual(records, [#"{"r":1}"#], "only the owner's records are stored")
    }

    func testRenewedLeasesAreNotClaimable() throws {
        let journal = try SQLiteJournal(path: statePath)
        _ = try journal.prepare(input: identity) { self.rows(1) }
        _ = try journal.claim(owner: "a", limit: 1, leaseSeconds: -1)
        try journal.renewLeases(owner: "a", leaseSeconds: 60)
        XCTAssertEqual(try journal.claim(owner: "b", limit: 1, leaseSeconds: 60), [])
    }

    func testDoneItemsKeepRecordsAndDownloadsAndAreNotClaimedAgain() throws {
        let journal = try SQLiteJournal(path: statePath)
        _ = try journal.prepare(input: identity) { self.rows(2) }
        _ = try journal.claim(owner: "a", limit: 2, leaseSeconds: 60)
        XCTAssertTrue(try journal.complete(
            line: 1, owner: "a", records: ["1a", "1b"], downloads: [DownloadRecord(path: "x.bin", bytes: 3, sha256: "ff")]))
        XCTAssertTrue(try journal.fail(line: 2, owner: "a", error: ItemError("boom", kind: "server", code: "MSS.00000004")))
        try journal.addRecords(["summary"])
        var records: [String] = []
        var emitters: [Int?] = []
        try journal.forEachRecord { item, json in
            emitters.append(item)
            records.append(json)
        }
        XCTAssertEqual(records, ["1a", "1b", "summary"])
        XCTAssertEqual(emitters, [1, 1, nil])
        var reports: [ItemReport] = []
        try journal.forEachItem { reports.append($0) }
        let rows = self.rows(2)
        XCTAssertEqual(reports, [
            ItemReport(line: 1, status: .done, attempts: 1, error: nil, row: rows[0].json),
            ItemReport(line: 2, status: .failed, attempts: 1, error: ItemError("boom", kind: "server", code: "MSS.00000004"), row: rows[1].json),
        ])
        var downloads: [String] = []
        try journal.forEachDownload { item, file in downloads.append("\(item) \(file.path) \(file.bytes) \(file.sha256 ?? "-")") }
        XCTAssertEqual(downloads, ["1 x.bin 3 ff"])
        XCTAssertEqual(try journal.claim(owner: "a", limit: 5, leaseSeconds: 60), [])
    }

    func testReopeningAfterACrashRedoesRunningItemsOnly() throws {
        do {
            let journal = try SQLiteJournal(path: statePath)
            _ = try journal.prepare(input: identity) { self.rows(3) }
            _ = try journal.claim(owner: "crashed", limit: 3, leaseSeconds: 3600)
            XCTAssertTrue(try journal.complete(line: 1, owner: "crashed", records: ["r1"], downloads: []))
        }
        let reopened = try SQLiteJournal(path: statePath)
        XCTAssertEqual(try reopened.prepare(input: identity) { [] }, .resumed)
        let counts = try reopened.counts()
        XCTAssertEqual(counts[.done], 1)
        XCTAssertEqual(counts[.pending], 2, "the dead run's leases are released at open")
        XCTAssertEqual(try reopened.claim(owner: "next", limit: 5, leaseSeconds: 60).map(\.line), [2, 3])
    }

    func testASecondProcessIsRefusedWhileTheJournalIsOpen() throws {
        let journal = try SQLiteJournal(path: statePath)
        XCTAssertThrowsError(try SQLiteJournal(path: statePath)) { error in
            XCTAssertTrue("\(error)".contains("in use by another moonwatch batch"), "\(error)")
        }
        withExtendedLifetime(journal) {}
    }

    func testRetryFailedRedoesFailedItemsButNotBadRows() throws {
        let journal = try SQLiteJournal(path: statePath)
        _ = try journal.prepare(input: identity) {
            [InputRow(line: 1, json: "{}"), InputRow(line: 2, problem: "line 2: malformed JSON"), InputRow(line: 3, json: "{}")]
        }
        _ = try journal.claim(owner: "a", limit: 5, leaseSeconds: 60)
        XCTAssertTrue(try journal.fail(line: 1, owner: "a", error: ItemError("job failed")))
        XCTAssertTrue(try journal.complete(line: 3, owner: "a", records: [], downloads: []))
        XCTAssertEqual(try journal.counts()[.failed], 2)
        XCTAssertEqual(try journal.retryFailed(), 1)
        let again = try journal.claim(owner: "b", limit: 5, leaseSeconds: 60)
        XCTAssertEqual(again.map(\.line), [1])
        XCTAssertEqual(again.map(\.attempt), [2])
    }

    func testInMemoryJournal() throws {
        let journal = try SQLiteJournal(path: ":memory:")
        _ = try journal.prepare(input: identity) { self.rows(1000) }
        var done = 0
        while true {
            let claimed = try journal.claim(owner: "a", limit: 64, leaseSeconds: 60)
            if claimed.isEmpty { break }
            for item in claimed where try journal.complete(line: item.line, owner: "a", records: ["r"], downloads: []) { done += 1 }
        }
        XCTAssertEqual(done, 1000)
        XCTAssertEqual(try journal.counts()[.done], 1000)
    }
}

extension SQLiteJournalTests {
    func testReleaseGivesTheItemBackWithoutFailingIt() throws {
        let journal = try SQLiteJournal(path: ":memory:")
        _ = try journal.prepare(input: InputIdentity(path: "x.csv", size: 1, sha256: "1")) { [InputRow(line: 2, json: "{}")] }
        _ = try journal.claim(owner: "a", limit: 1, leaseSeconds: 60)
        XCTAssertTrue(try journal.release(line: 2, owner: "a"))
        XCTAssertEqual(try journal.counts()[.pending], 1)
        XCTAssertEqual(try journal.claim(owner: "b", limit: 1, leaseSeconds: 60).map(\.attempt), [2])
    }
}
