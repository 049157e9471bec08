import Foundation
import XCTest

/// The hard stop ends a batch whose Lua thread is stuck (no instruction budget,
/// one item looping forever) within `--grace` + 1 s of SIGTERM, and the journal
/// it leaves is consistent: the next run finishes the rest, every item and
/// record exactly once.
final class StuckBatchTests: XCTestCase {
    func testSIGTERMEndsAStuckBatchAndTheNextRunFinishesEveryItemOnce() throws {
        let harness = try BatchHarness()
        try harness.write("stuck.lua", """
            function handle(item, info)
              if info.line == 30 then log.info("stuck now") while true do end end
              emit({line = info.line})
            end
            """)
        try harness.write("fine.lua", "function handle(item, info) emit({line = info.line}) end")
        try harness.write("items.jsonl", (1...50).map { #"{"n":\#($0)}"# }.joined(separator: "\n"))
        let options = ["--workers", "1", "--concurrency", "1", "--no-progress", "--input", "items.jsonl"]
        let started = try harness.start(["batch", "--instruction-budget", "0", "--grace", "1"] + options + ["stuck.lua"])
        let deadline = Date().addingTimeInterval(30)
        while !((try? String(contentsOf: started.1, encoding: .utf8)) ?? "").contains("stuck now") && Date() < deadline
            && started.0.isRunning
        {
            usleep(20_000)
        }
        usleep(200_000)
        let signaled = Date()
        kill(started.0.processIdentifier, SIGTERM)
        let stopBy = Date().addingTimeInterval(15)
        while started.0.isRunning && Date() < stopBy { usleep(20_000) }
        if started.0.isRunning { kill(started.0.processIdentifier, SIGKILL) }
        let stopped = harness.finish(started)
        XCTAssertLessThan(Date().timeIntervalSince(signaled), 4, "ended within --grace + 1 s")
        XCTAssertEqual(stopped.status, 130, stopped.stderr)
        XCTAssertTrue(stopped.stderr.contains("did not stop within 2.0 s"), stopped.stderr)

        let rest = try harness.run(["batch"] + options + ["fine.lua"])
        XCTAssertEqual(rest.status, 0, rest.stderr)
        let lines = try harness.jsonLines("out/records.jsonl").compactMap { $0["line"] as? Int }
        XCTAssertEqual(lines.sorted(), Array(1...50), "every record exactly once")
        let report = try harness.jsonLines("out/report.jsonl")
        XCTAssertEqual(report.count, 50)
        XCTAssertEqual(Set(report.compactMap { $0["outcome"] as? String }), ["done"])
    }
}
