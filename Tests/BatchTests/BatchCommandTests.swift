import Foundation
import XCTest

/// `moonwatch batch` through the binary: what the command adds to the `Batch`
/// target (exit codes for problems found before any item, the service check,
/// plain progress lines) and what needs a process of its own (SIGINT).
final class BatchCommandTests: XCTestCase {
    func testScriptProblemsExitCodes() throws {
        let harness = try BatchHarness()
        try harness.write("items.jsonl", #"{"id":1}"# + "\n")
        try harness.write("syntax.lua", "function handle(\n")
        let syntax = try harness.run("batch", "--no-progress", "--input", "items.jsonl", "syntax.lua")
        XCTAssertEqual(syntax.status, 2, syntax.stderr)
        XCTAssertTrue(syntax.stderr.contains("syntax.lua:"), syntax.stderr)

        try harness.write("nohandle.lua", "local x = 1\n")
        let missing = try harness.run("batch", "--no-progress", "--state", ":memory:", "--input", "items.jsonl", "nohandle.lua")
        XCTAssertEqual(missing.status, 1, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("must define a global function handle(item)"), missing.stderr)

        let noInput = try harness.run("batch", "--no-progress", "--input", "absent.jsonl", "nohandle.lua")
        XCTAssertEqual(noInput.status, 2, noInput.stderr)
    }

    func testPlainProgressLinesWithoutATerminal() throws {
        let harness = try BatchHarness()
        try harness.write("slow.lua", "function handle(item) task.sleep(0.05) end")
        try harness.write("items.jsonl", (1...40).map { #"{"n":\#($0)}"# }.joined(separator: "\n"))
        let result = try harness.run("batch", "--progress-interval", "0.2", "--concurrency", "2", "--workers", "1", "--input", "items.jsonl", "slow.lua")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("moonwatch batch: done "), result.stderr)
        XCTAssertTrue(result.stderr.contains("items/s · ETA"), result.stderr)
        XCTAssertFalse(result.stderr.contains("\u{1B}[K"), "no terminal control without a terminal")
        XCTAssertTrue(result.stderr.contains("items            40"), "the summary table: \(result.stderr)")
        XCTAssertTrue(result.stderr.contains("service          polls   retries  throttled"), "the summary table: \(result.stderr)")
    }
}

extension BatchCommandTests {
    func testSIGINTStopsWithExit130AndTheNextRunFinishesTheRest() throws {
        let harness = try BatchHarness()
        try harness.write("slow.lua", "function handle(item, info) task.sleep(0.2) emit({line = info.line}) end")
        try harness.write("items.jsonl", (1...200).map { #"{"n":\#($0)}"# }.joined(separator: "\n"))
        let arguments = ["batch", "--workers", "2", "--concurrency", "4", "--no-progress", "--input", "items.jsonl", "slow.lua"]
        let started = try harness.start(arguments)
        Thread.sleep(forTimeInterval: 1.5)
        kill(started.0.processIdentifier, SIGINT)
        let interrupted = harness.finish(started)
        XCTAssertEqual(interrupted.status, 130, interrupted.stderr)
        let partial = try harness.jsonLines("out/report.jsonl")
        XCTAssertEqual(partial.count, 200, "every item has a line, finished or not")
        XCTAssertEqual(Set(partial.compactMap { $0["outcome"] as? String }).subtracting(["done", "pending"]), [],
            "what the run claimed but did not finish is pending again, not left running")
        let finishedBefore = partial.filter { $0["outcome"] as? String == "done" }.count
        XCTAssertGreaterThan(finishedBefore, 0)
        XCTAssertLessThan(finishedBefore, 200)

        let rest = harness.finish(try harness.start(arguments))
        XCTAssertEqual(rest.status, 0, rest.stderr)
        let records = try harness.jsonLines("out/records.jsonl")
        XCTAssertEqual(Set(records.compactMap { $0["line"] as? Int }).count, 200)
        XCTAssertEqual(records.count, 200)
    }
}

extension BatchCommandTests {
    func testAConfigurationErrorStopsTheBatchWithExit2AndLeavesTheItemPending() throws {
        let harness = try BatchHarness()
        try harness.write("items.jsonl", #"{"id":"a"}"# + "\n" + #"{"id":"b"}"# + "\n")
        // A service the script names is checked before any item starts.
        try harness.write("job.lua", "function handle(item) api.metastudio.job{job_id = item.id} end")
        let early = try harness.run("batch", "--workers", "1", "--concurrency", "1", "--no-progress", "--input", "items.jsonl", "job.lua")
        XCTAssertEqual(early.status, 2, early.stderr)
        XCTAssertTrue(early.stderr.contains("metastudio.endpoint is not set"), early.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: harness.folder.appendingPathComponent("out/report.jsonl").path))

        // One reached in a way the check cannot see stops the batch at its first item.
        try harness.write("hidden.lua", "local service = 'meta' .. 'studio'\nfunction handle(item) api[service].job{job_id = item.id} end")
        let result = try harness.run("batch", "--workers", "1", "--concurrency", "1", "--no-progress", "--input", "items.jsonl", "hidden.lua")
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("[config, service=metastudio]"), result.stderr)
        XCTAssertTrue(result.stderr.contains("the batch stopped"), result.stderr)
        let report = try harness.jsonLines("out/report.jsonl")
        XCTAssertEqual(report.map { $0["outcome"] as? String }, ["pending", "pending"], "nothing counts as failed")
    }
}
