import Batch
import Emulator
import Foundation
import XCTest

/// 10% of 100 items fail for real: 5 MetaStudio jobs end FAILED in the
/// emulator and 5 rows are malformed JSON. Shows the exit code, `--max-failures`,
/// and `--retry-failed` redoing only the failed jobs (one query each).
final class FailedJobsTests: XCTestCase {
    static let script = """
        function handle(item, info)
          local r = api.metastudio.job{job_id = item.id}
          if r.status ~= "succeeded" then error("job " .. item.id .. " " .. r.status .. ": " .. tostring(r.error)) end
          emit({id = item.id, attempt = info.attempt})
        end
        """

    func testFailedJobsAndBadRowsExitCodeMaxFailuresAndRetryFailed() async throws {
        var jobs: [MetaStudioJob] = []
        var lines: [String] = []
        var failedLines: [Int] = [], badLines: [Int] = []
        for n in 1...100 {
            if n % 20 == 5 {
                lines.append(#"{"id": "broken-\#(n)""#)
                badLines.append(n)
            } else if n % 20 == 15 {
                jobs.append(MetaStudioJob(
                    jobID: "job-\(n)", timeline: [TimelineStep(state: "FAILED")],
                    error: ServiceErrorInfo(errorCode: "MSS.00010001", errorMsg: "No face was detected in the picture.")))
                lines.append(#"{"id":"job-\#(n)"}"#)
                failedLines.append(n)
            } else {
                jobs.append(MetaStudioJob(jobID: "job-\(n)", timeline: [TimelineStep(state: "SUCCEED")]))
                lines.append(#"{"id":"job-\#(n)"}"#)
            }
        }
        // In process, through the Batch target.
        let batch = try await InProcessBatch(scenario: Scenario(metastudio: MetaStudioSettings(jobs: jobs)))
        let files = batch.files
        try files.write("job.lua", Self.script)
        try files.write("items.jsonl", lines.joined(separator: "\n") + "\n")
        func queries() -> Int { batch.emulator.counters().requests(.metaStudioJob) }

        let first = try await batch.run("job.lua", input: "items.jsonl")
        XCTAssertEqual(first.result?.exitCode, 1, first.log)
        let problems = first.result?.problems ?? []
        XCTAssertTrue(problems.contains { $0.contains("10 of 100 items failed, past --max-failures 0") }, "\(problems)")
        XCTAssertTrue(first.log.contains("No face was detected"), first.log)
        for line in badLines { XCTAssertTrue(first.log.contains("bad row: line \(line): malformed JSON"), first.log) }
        XCTAssertEqual(queries(), 95, "one query per readable row")
        var report = try files.jsonLines("out/report.jsonl")
        XCTAssertEqual(Set(report.filter { $0["outcome"] as? String == "failed" }.compactMap { $0["line"] as? Int }), Set(failedLines + badLines))

        let tolerated = try await batch.run("job.lua", input: "items.jsonl", maxFailures: .percent(10))
        XCTAssertEqual(tolerated.result?.exitCode, 0, tolerated.log)
        let strict = try await batch.run("job.lua", input: "items.jsonl", maxFailures: .count(9))
        XCTAssertEqual(strict.result?.exitCode, 1, strict.log)
        XCTAssertEqual(queries(), 95, "done and failed items are not redone without --retry-failed")

        let retried = try await batch.run("job.lua", input: "items.jsonl", retryFailed: true, maxFailures: .count(10))
        XCTAssertEqual(retried.result?.exitCode, 0, retried.log)
        XCTAssertEqual(queries(), 100, "--retry-failed redid the 5 failed jobs, nothing else")
        report = try files.jsonLines("out/report.jsonl")
        let attempts = Dictionary(uniqueKeysWithValues: report.map { ($0["line"] as! Int, $0["attempts"] as! Int) })
        for line in failedLines { XCTAssertEqual(attempts[line], 2) }
        for line in badLines { XCTAssertEqual(attempts[line], 0) }
        XCTAssertEqual(report.filter { $0["outcome"] as? String == "done" && $0["attempts"] as? Int == 1 }.count, 90)
        XCTAssertEqual(try files.jsonLines("out/records.jsonl").count, 90)
        await batch.shutdown()
    }
}

extension FailedJobsTests {
    /// SIGINT while 4 queries are in flight: they finish and their items commit,
    /// no new item starts, and the next run does only the rest.
    func testSIGINTLetsItemsInFlightCommitAndStartsNoOther() async throws {
        let jobs = (1...20).map { MetaStudioJob(jobID: "job-\($0)", timeline: [TimelineStep(state: "SUCCEED")]) }
        let emulator = try await Emulator.start(EmulatorOptions(scenario: Scenario(metastudio: MetaStudioSettings(jobs: jobs))))
        try emulator.addFaults([FaultRule(route: "metastudio.job", kind: .latency, latencyMs: 1500, limit: 4)])
        var harness = try BatchHarness()
        harness.environment.merge(["CLOUD_SDK_AK": DemoCredentials.accessKey, "CLOUD_SDK_SK": DemoCredentials.secretKey]) { _, demo in demo }
        try harness.write("moonwatch.toml", emulator.configTOML)
        try harness.write("job.lua", Self.script)
        try harness.write("items.jsonl", (1...20).map { #"{"id":"job-\#($0)"}"# }.joined(separator: "\n") + "\n")
        let batch = ["batch", "--config", "moonwatch.toml", "--no-progress", "--workers", "1", "--concurrency", "4", "--input", "items.jsonl", "job.lua"]
        func queries() -> Int { emulator.counters().requests(.metaStudioJob) }

        let started = try harness.start(batch)
        try await Task.sleep(for: .milliseconds(700))
        kill(started.0.processIdentifier, SIGINT)
        let interrupted = harness.finish(started)
        XCTAssertEqual(interrupted.status, 130, interrupted.stderr)
        XCTAssertTrue(interrupted.stderr.contains("letting 4 operation(s) in flight finish"), interrupted.stderr)
        XCTAssertEqual(queries(), 4, "no item started after the signal")
        let report = try harness.jsonLines("out/report.jsonl")
        XCTAssertEqual(report.filter { $0["outcome"] as? String == "done" }.count, 4, "the items in flight committed")
        XCTAssertEqual(try harness.jsonLines("out/records.jsonl").count, 4)

        let rest = try harness.run(batch)
        XCTAssertEqual(rest.status, 0, rest.stderr)
        XCTAssertEqual(queries(), 20, "each job queried once over both runs")
        XCTAssertEqual(Set(try harness.jsonLines("out/records.jsonl").compactMap { $0["id"] as? String }).count, 20)
        await emulator.shutdown()
    }
}
