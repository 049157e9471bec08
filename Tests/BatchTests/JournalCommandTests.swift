import Foundation
import PostgresTestSupport
import XCTest

/// `moonwatch report` and `moonwatch status` through the binary, and the exit
/// codes of a journal that cannot be used.
final class JournalCommandTests: XCTestCase {
    func testStatusAndReportReadASQLiteJournal() throws {
        let harness = try BatchHarness()
        try harness.write("job.lua", #"function handle(item) if item.n == 3 then error("three") end emit{n = item.n} end"#)
        try harness.write("items.jsonl", (1...5).map { #"{"n":\#($0)}"# }.joined(separator: "\n") + "\n{oops\n")
        let batch = try harness.run("batch", "--no-progress", "--max-failures", "100%", "--input", "items.jsonl", "job.lua")
        XCTAssertEqual(batch.status, 0, batch.stderr)

        let status = try harness.runWithOutput("status", "--state", "out/.moonwatch/state.sqlite", "--json")
        XCTAssertEqual(status.status, 0, status.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let items = try XCTUnwrap(json["items"] as? [String: Int])
        XCTAssertEqual(items["total"], 6)
        XCTAssertEqual(items["done"], 4)
        XCTAssertEqual(items["failed"], 2, "the raising item and the bad row")
        XCTAssertEqual(json["eta_seconds"] as? Double, 0)
        let text = try harness.runWithOutput("status", "--state", "out/.moonwatch/state.sqlite")
        XCTAssertTrue(text.stdout.contains("items         6: done 4 · failed 2 · running 0 · pending 0"), text.stdout)

        let report = try harness.run("report", "--state", "out/.moonwatch/state.sqlite", "--out", "again")
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertEqual(harness.read("again/records.jsonl"), harness.read("out/records.jsonl"))
        XCTAssertEqual(harness.read("again/report.jsonl"), harness.read("out/report.jsonl"))
        let page = harness.read("again/report.html"), original = harness.read("out/report.html")
        for outcome in ["done", "failed"] {
            let row = #"<tr data-outcome="\#(outcome)"><th>\#(outcome)</th>"#
            let shown = { (html: String) in html.components(separatedBy: row).dropFirst().first?.prefix(40) }
            XCTAssertNotNil(shown(page), page)
            XCTAssertEqual(shown(page), shown(original), "the page from the journal counts as the batch's own")
        }
        XCTAssertTrue(page.contains("not recorded (written from the journal)"))

        try harness.write("slow.lua", "function handle(item) task.sleep(30) end")
        let running = try harness.start(["batch", "--no-progress", "--state", "busy.sqlite", "--input", "items.jsonl", "slow.lua"])
        defer { kill(running.0.processIdentifier, SIGKILL); _ = harness.finish(running) }
        // Once the batch has created its journal (and, a moment later, holds it), not before:
        // a status that opened it first would hold it against the batch.
        let journal = harness.folder.appendingPathComponent("busy.sqlite").path
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: journal) { Thread.sleep(forTimeInterval: 0.1) }
        Thread.sleep(forTimeInterval: 1)
        let busy = try harness.runWithOutput("status", "--state", "busy.sqlite")
        XCTAssertEqual(busy.status, 2, busy.stderr)
        XCTAssertTrue(busy.stderr.contains("can be read once its batch has stopped"), busy.stderr)

        let lease = try harness.run("batch", "--no-progress", "--lease", "30", "--input", "items.jsonl", "job.lua")
        XCTAssertEqual(lease.status, 2, lease.stderr)
        XCTAssertTrue(lease.stderr.contains("--lease is for a journal shared through PostgreSQL"), lease.stderr)

        let missing = try harness.run("status", "--state", "nowhere.sqlite")
        XCTAssertEqual(missing.status, 2, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("no journal at nowhere.sqlite"), missing.stderr)
    }

    func testAnUnusableDatabaseIsExit2NamingHostAndDatabaseNeverThePassword() throws {
        let harness = try BatchHarness()
        try harness.write("job.lua", "function handle(item) end")
        try harness.write("items.jsonl", #"{"n":1}"# + "\n")
        let unreachable = try harness.run(
            "batch", "--no-progress", "--input", "items.jsonl", "--state", "postgres://mw:hunter2-secret@127.0.0.1:1/jobs", "job.lua")
        XCTAssertEqual(unreachable.status, 2, unreachable.stderr)
        XCTAssertTrue(unreachable.stderr.contains("database jobs on 127.0.0.1:1"), unreachable.stderr)
        XCTAssertFalse(unreachable.stderr.contains("hunter2"), unreachable.stderr)

        let malformed = try harness.run("status", "--state", "postgres://127.0.0.1/jobs")
        XCTAssertEqual(malformed.status, 2, malformed.stderr)
        XCTAssertTrue(malformed.stderr.contains("names no user"), malformed.stderr)

        try harness.write("moonwatch.toml", "[journal]\nurl = \"postgres://mw:inline@db.example/jobs\"\n")
        let inFile = try harness.run("batch", "--no-progress", "--input", "items.jsonl", "job.lua")
        XCTAssertEqual(inFile.status, 2, inFile.stderr)
        XCTAssertTrue(inFile.stderr.contains("journal.url"), inFile.stderr)
        XCTAssertTrue(inFile.stderr.contains("with a password in it"), inFile.stderr)

        try FileManager.default.removeItem(at: harness.folder.appendingPathComponent("moonwatch.toml"))

        guard let server = try TestPostgres.fromEnvironment() else { return }
        let url = try server.createDatabase()
        let wrong = url.replacingOccurrences(of: #":[^:@/]+@"#, with: ":wrong-password@", options: .regularExpression)
        let refused = try harness.run("batch", "--no-progress", "--input", "items.jsonl", "--state", wrong, "job.lua")
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("authentication failed for user moonwatch"), refused.stderr)
        XCTAssertFalse(refused.stderr.contains("wrong-password"), refused.stderr)

        // The password from the variable [journal] password_env names, not from the file.
        let password = try XCTUnwrap(url.firstMatch(of: /moonwatch:([^@]+)@/)?.1)
        let bare = url.replacingOccurrences(of: ":\(password)@", with: "@")
        try harness.write("moonwatch.toml", "[journal]\nurl = \"\(bare)\"\npassword_env = \"MW_TEST_PG_PASSWORD\"\n")
        var withPassword = harness
        withPassword.environment["MW_TEST_PG_PASSWORD"] = String(password)
        let ok = try withPassword.run("batch", "--no-progress", "--input", "items.jsonl", "job.lua")
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let status = try withPassword.runWithOutput("status")
        XCTAssertTrue(status.stdout.contains("items         1: done 1"), status.stdout + status.stderr)
        XCTAssertFalse(status.stdout.contains(String(password)), status.stdout)
    }
}
