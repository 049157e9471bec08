import Foundation
import XCTest

@testable import Journal

/// Busy and locked are told by SQLite's result code, extended codes included,
/// and reported as the journal being in use, with its path.
final class SQLiteLockConflictTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("journal-locked-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private var path: String { folder.appendingPathComponent("state.sqlite").path }

    func testAWriteLockHeldByAnotherConnectionIsReportedAsInUse() throws {
        let holder = try SQLiteConnection(path: path)
        try holder.execute("CREATE TABLE t (x INTEGER)")
        try holder.execute("BEGIN IMMEDIATE")
        let other = try SQLiteConnection(path: path)
        XCTAssertThrowsError(try other.transaction { () throws(JournalError) in }) { error in
            XCTAssertTrue("\(error)".contains("the journal \(path) is in use by another moonwatch batch"), "\(error)")
        }
        try holder.execute("COMMIT")
        XCTAssertNoThrow(try other.transaction { () throws(JournalError) in }, "free once the holder commits")
    }

    /// A reader whose snapshot is older than another connection's commit cannot
    /// write: SQLITE_BUSY_SNAPSHOT (517), an extended code, is still busy.
    func testAnExtendedBusyCodeIsReportedAsInUse() throws {
        let first = try SQLiteConnection(path: path)
        try first.execute("PRAGMA journal_mode = WAL")
        try first.execute("CREATE TABLE t (x INTEGER)")
        let second = try SQLiteConnection(path: path)
        try first.execute("BEGIN")
        XCTAssertTrue(try first.statement("SELECT count(*) FROM t").step())
        try second.execute("INSERT INTO t VALUES (1)")
        XCTAssertThrowsError(try first.execute("INSERT INTO t VALUES (2)")) { error in
            XCTAssertTrue("\(error)".contains("in use by another moonwatch batch"), "\(error)")
            XCTAssertTrue("\(error)".contains("code 517"), "\(error)")
        }
        first.resetBusyStatements()
        try first.execute("ROLLBACK")
    }

    func testOnlyBusyAndLockedCodesAreLockConflicts() {
        // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED_SHAREDCACHE
        for code: Int32 in [5, 6, 5 | 2 << 8, 6 | 1 << 8] {
            XCTAssertTrue(SQLiteConnection.isLockConflict(code), "\(code)")
        }
        // SQLITE_ERROR, SQLITE_IOERR_LOCK (an I/O error, whatever its name), SQLITE_CANTOPEN, SQLITE_CORRUPT
        for code: Int32 in [1, 10 | 15 << 8, 14, 11] {
            XCTAssertFalse(SQLiteConnection.isLockConflict(code), "\(code)")
        }
    }

    /// The folder's name has "locked" in it, and the messages name the path: a
    /// match on the text would take this for a lock conflict.
    func testAFileThatIsNotADatabaseIsNotReportedAsInUse() throws {
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try SQLiteJournal(path: path)) { error in
            XCTAssertFalse("\(error)".contains("in use"), "\(error)")
            XCTAssertTrue("\(error)".contains(path), "the journal's path is named: \(error)")
        }
    }
}
