import Foundation
import XCTest

/// `moonwatch batch` through the binary: records and reports, resuming, bad
/// rows, exit codes, `--max-failures` and `--retry-failed` (docs/contract.md §1, §2.4).
final class BatchCommandTests: XCTestCase {
    private let script = """
        local seen = 0
        function setup() log.info("setup in a VM") end
        function handle(item, info)
          task.sleep(0.001)
          if item.fail == "yes" and info.attempt == 1 then error("job " .. item.id .. " failed") end
          -- a task spawned by handle emits into the same item
          task.spawn(function() emit({id = item.id, attempt = info.attempt, line = info.line}) end):wait()
        end
        function done(summary)
          log.info("summary total=%d done=%d failed=%d done_this_run=%d", summary.total, summary.done, summary.failed, summary.done_this_run)
        end
        """

    /// 100 CSV rows: 5 with a wrong column count, 5 whose first attempt fails.
    private func writeInput(_ harness: BatchHarness) throws -> (bad: [Int], failing: [Int]) {
        var csv = "id,fail,note\n"
        var bad: [Int] = [], failing: [Int] = []
        var line = 2
        for n in 1...100 {
            if n % 20 == 7 {
                csv += "\(n),no\n"
                bad.append(line)
            } else if n % 20 == 13 {
                csv += "\(n),yes,\"a note, quoted\"\n"
                failing.append(line)
            } else {
                csv += "\(n),no,\"two\nlines\"\n"
            }
            line += csv.hasSuffix("lines\"\n") ? 2 : 1
        }
        try harness.write("items.csv", csv)
        return (bad, failing)
    }

    func testTenPercentFailuresExitCodesMaxFailuresAndRetryFailed() throws {
        let harness = try BatchHarness()
        try harness.write("job.lua", script)
        let (bad, failing) = try writeInput(harness)

        let first = try harness.run("batch", "--workers", "2", "--concurrency", "8", "--no-progress", "--input", "items.csv", "job.lua")
        XCTAssertEqual(first.status, 1, first.stderr)
        XCTAssertTrue(first.stderr.contains("10 of 100 items failed, past --max-failures 0"), first.stderr)
        for line in bad { XCTAssertTrue(first.stderr.contains("bad row: line \(line): 2 fields, but the header has 3"), first.stderr) }
        var report = try harness.jsonLines("out/report.jsonl")
        XCTAssertEqual(report.count, 100)
        XCTAssertEqual(Set(report.filter { $0["outcome"] as? String == "failed" }.compactMap { $0["line"] as? Int }), Set(bad + failing))
        XCTAssertEqual(try harness.jsonLines("out/records.jsonl").count, 90)

        let tolerated = try harness.run("batch", "--max-failures", "10%", "--no-progress", "--input", "items.csv", "job.lua")
        XCTAssertEqual(tolerated.status, 0, tolerated.stderr)
        XCTAssertTrue(tolerated.stderr.contains("done_this_run=0"), "a second run redoes nothing: \(tolerated.stderr)")
        let strict = try harness.run("batch", "--max-failures", "9", "--no-progress", "--input", "items.csv", "job.lua")
        XCTAssertEqual(strict.status, 1, strict.stderr)

        let retried = try harness.run("batch", "--retry-failed", "--max-failures", "5", "--no-progress", "--input", "items.csv", "job.lua")
        XCTAssertEqual(retried.status, 0, retried.stderr)
        XCTAssertTrue(retried.stderr.contains("done_this_run=5"), retried.stderr)
        report = try harness.jsonLines("out/report.jsonl")
        let attempts = Dictionary(uniqueKeysWithValues: report.map { ($0["line"] as! Int, $0["attempts"] as! Int) })
        for line in failing { XCTAssertEqual(attempts[line], 2, "line \(line) redone once") }
        for line in bad { XCTAssertEqual(attempts[line], 0, "a bad row is never run") }
        XCTAssertEqual(report.filter { $0["outcome"] as? String == "done" }.count, 95)
        XCTAssertTrue(report.filter { $0["outcome"] as? String == "done" }.allSatisfy { ($0["attempts"] as? Int ?? 0) <= 2 })
        let records = try harness.jsonLines("out/records.jsonl")
        XCTAssertEqual(records.count, 95, "every done item's record exactly once")
        XCTAssertEqual(Set(records.compactMap { $0["id"] as? String }).count, 95)
    }

    func testJSONLinesResumeSkipsDoneItemsAndAChangedInputIsRefused() throws {
        let harness = try BatchHarness()
        try harness.write("job.lua", script)
        try harness.write("items.jsonl", (1...30).map { #"{"id":"j\#($0)","fail":"no"}"# }.joined(separator: "\n") + "\n{broken\n")
        let first = try harness.run("batch", "--max-failures", "1", "--no-progress", "--input", "items.jsonl", "job.lua")
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stderr.contains("bad row: line 31: malformed JSON"), first.stderr)
        XCTAssertTrue(first.stderr.contains("summary total=31 done=30 failed=1 done_this_run=30"), first.stderr)
        XCTAssertTrue(first.stderr.contains("polls"), "the summary table: \(first.stderr)")

        let again = try harness.run("batch", "--max-failures", "1", "--no-progress", "--input", "items.jsonl", "job.lua")
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("done_this_run=0"), again.stderr)
        XCTAssertEqual(try harness.jsonLines("out/records.jsonl").count, 30)

        try harness.write("items.jsonl", #"{"id":"other"}"# + "\n")
        let changed = try harness.run("batch", "--no-progress", "--input", "items.jsonl", "job.lua")
        XCTAssertEqual(changed.status, 2, changed.stderr)
        XCTAssertTrue(changed.stderr.contains("belongs to items.jsonl"), changed.stderr)
        let elsewhere = try harness.run("batch", "--state", ":memory:", "--no-progress", "--input", "items.jsonl", "job.lua")
        XCTAssertEqual(elsewhere.status, 0, elsewhere.stderr)
    }

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
