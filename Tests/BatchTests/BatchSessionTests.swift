import Batch
import Foundation
import XCTest

/// A batch in this process, through the `Batch` target: records and reports,
/// resuming, bad rows, exit codes, `--max-failures` and `--retry-failed`.
final class BatchSessionTests: XCTestCase {
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
    private func writeInput(_ files: BatchHarness) throws -> (bad: [Int], failing: [Int]) {
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
        try files.write("items.csv", csv)
        return (bad, failing)
    }

    func testTenPercentFailuresExitCodesMaxFailuresAndRetryFailed() async throws {
        let batch = try await InProcessBatch()
        let files = batch.files
        try files.write("job.lua", script)
        let (bad, failing) = try writeInput(files)

        let first = try await batch.run("job.lua", input: "items.csv")
        XCTAssertEqual(first.result?.exitCode, 1, first.log)
        XCTAssertTrue(first.result?.problems.contains { $0.contains("10 of 100 items failed, past --max-failures 0") } ?? false, "\(String(describing: first.result?.problems))")
        for line in bad { XCTAssertTrue(first.log.contains("bad row: line \(line): 2 fields, but the header has 3"), first.log) }
        var report = try files.jsonLines("out/report.jsonl")
        XCTAssertEqual(report.count, 100)
        XCTAssertEqual(Set(report.filter { $0["outcome"] as? String == "failed" }.compactMap { $0["line"] as? Int }), Set(bad + failing))
        XCTAssertEqual(try files.jsonLines("out/records.jsonl").count, 90)

        let tolerated = try await batch.run("job.lua", input: "items.csv", maxFailures: .percent(10))
        XCTAssertEqual(tolerated.result?.exitCode, 0, tolerated.log)
        XCTAssertTrue(tolerated.log.contains("done_this_run=0"), "a second run redoes nothing: \(tolerated.log)")
        let strict = try await batch.run("job.lua", input: "items.csv", maxFailures: .count(9))
        XCTAssertEqual(strict.result?.exitCode, 1, strict.log)

        let retried = try await batch.run("job.lua", input: "items.csv", retryFailed: true, maxFailures: .count(5))
        XCTAssertEqual(retried.result?.exitCode, 0, retried.log)
        XCTAssertEqual(retried.result?.problems, [])
        XCTAssertTrue(retried.log.contains("done_this_run=5"), retried.log)
        XCTAssertEqual(retried.result?.counters.done.load(ordering: .relaxed), 5)
        report = try files.jsonLines("out/report.jsonl")
        let attempts = Dictionary(uniqueKeysWithValues: report.map { ($0["line"] as! Int, $0["attempts"] as! Int) })
        for line in failing { XCTAssertEqual(attempts[line], 2, "line \(line) redone once") }
        for line in bad { XCTAssertEqual(attempts[line], 0, "a bad row is never run") }
        XCTAssertEqual(report.filter { $0["outcome"] as? String == "done" }.count, 95)
        XCTAssertTrue(report.filter { $0["outcome"] as? String == "done" }.allSatisfy { ($0["attempts"] as? Int ?? 0) <= 2 })
        let records = try files.jsonLines("out/records.jsonl")
        XCTAssertEqual(records.count, 95, "every done item's record exactly once")
        XCTAssertEqual(Set(records.compactMap { $0["id"] as? String }).count, 95)
        await batch.shutdown()
    }

    func testJSONLinesResumeSkipsDoneItemsAndAChangedInputIsRefused() async throws {
        let batch = try await InProcessBatch()
        let files = batch.files
        try files.write("job.lua", script)
        try files.write("items.jsonl", (1...30).map { #"{"id":"j\#($0)","fail":"no"}"# }.joined(separator: "\n") + "\n{broken\n")
        let first = try await batch.run("job.lua", input: "items.jsonl", maxFailures: .count(1))
        XCTAssertEqual(first.result?.exitCode, 0, first.log)
        XCTAssertTrue(first.log.contains("bad row: line 31: malformed JSON"), first.log)
        XCTAssertTrue(first.log.contains("summary total=31 done=30 failed=1 done_this_run=30"), first.log)
        XCTAssertEqual(first.result?.counts.total, 31)
        XCTAssertEqual(first.result?.counts[.done], 30)

        let again = try await batch.run("job.lua", input: "items.jsonl", maxFailures: .count(1))
        XCTAssertEqual(again.result?.exitCode, 0, again.log)
        XCTAssertTrue(again.log.contains("resuming the batch of"), again.log)
        XCTAssertTrue(again.log.contains("done_this_run=0"), again.log)
        XCTAssertEqual(try files.jsonLines("out/records.jsonl").count, 30)

        try files.write("items.jsonl", #"{"id":"other"}"# + "\n")
        let changed = try await batch.run("job.lua", input: "items.jsonl")
        XCTAssertNil(changed.result, "refused before any item")
        XCTAssertTrue(changed.setupError?.message.contains("belongs to \(batch.path("items.jsonl"))") ?? false, "\(String(describing: changed.setupError))")
        let elsewhere = try await batch.run("job.lua", input: "items.jsonl", state: ":memory:")
        XCTAssertEqual(elsewhere.result?.exitCode, 0, elsewhere.log)
        await batch.shutdown()
    }

    func testAScriptWithoutHandleFailsWithExit1AndOneProblem() async throws {
        let batch = try await InProcessBatch()
        try batch.files.write("items.jsonl", #"{"id":1}"# + "\n")
        try batch.files.write("nohandle.lua", "local x = 1\n")
        let missing = try await batch.run("nohandle.lua", input: "items.jsonl", state: ":memory:")
        XCTAssertEqual(missing.result?.exitCode, 1, missing.log)
        XCTAssertEqual(missing.result?.problems.count, 1, "the same error from both VMs is reported once")
        XCTAssertTrue(missing.result?.problems.first?.contains("must define a global function handle(item)") ?? false, missing.log)
        XCTAssertEqual(missing.result?.counts[.pending], 1, "the item was never claimed")
        await batch.shutdown()
    }
}
