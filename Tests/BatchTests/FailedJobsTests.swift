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
        let emulator = try await Emulator.start(EmulatorOptions(scenario: Scenario(metastudio: MetaStudioSettings(jobs: jobs))))
        var harness = try BatchHarness()
        harness.environment.merge(["CLOUD_SDK_AK": DemoCredentials.accessKey, "CLOUD_SDK_SK": DemoCredentials.secretKey]) { _, demo in demo }
        try harness.write("moonwatch.toml", emulator.configTOML)
        try harness.write("job.lua", Self.script)
        try harness.write("items.jsonl", lines.joined(separator: "\n") + "\n")
        let batch = ["batch", "--config", "moonwatch.toml", "--no-progress", "--input", "items.jsonl", "job.lua"]
        func queries() -> Int { emulator.counters().requests(.metaStudioJob) }

        let first = try harness.run(batch)
        XCTAssertEqual(first.status, 1, first.stderr)
        XCTAssertTrue(first.stderr.contains("10 of 100 items failed, past --max-failures 0"), first.stderr)
        XCTAssertTrue(first.stderr.contains("No face was detected"), first.stderr)
        for line in badLines { XCTAssertTrue(first.stderr.contains("bad row: line \(line): malformed JSON"), first.stderr) }
        XCTAssertEqual(queries(), 95, "one query per readable row")
        var report = try harness.jsonLines("out/report.jsonl")
        XCTAssertEqual(Set(report.filter { $0["outcome"] as? String == "failed" }.compactMap { $0["line"] as? Int }), Set(failedLines + badLines))

        let tolerated = try harness.run(batch + ["--max-failures", "10%"])
        XCTAssertEqual(tolerated.status, 0, tolerated.stderr)
        XCTAssertEqual(try harness.run(batch + ["--max-failures", "9"]).status, 1)
        XCTAssertEqual(queries(), 95, "done and failed items are not redone without --retry-failed")

        let retried = try harness.run(batch + ["--retry-failed", "--max-failures", "10"])
        XCTAssertEqual(retried.status, 0, retried.stderr)
        XCTAssertEqual(queries(), 100, "--retry-failed redid the 5 failed jobs, nothing else")
        report = try harness.jsonLines("out/report.jsonl")
        let attempts = Dictionary(uniqueKeysWithValues: report.map { ($0["line"] as! Int, $0["attempts"] as! Int) })
        for line in failedLines { XCTAssertEqual(attempts[line], 2) }
        for line in badLines { XCTAssertEqual(attempts[line], 0) }
        XCTAssertEqual(report.filter { $0["outcome"] as? String == "done" && $0["attempts"] as? Int == 1 }.count, 90)
        XCTAssertEqual(try harness.jsonLines("out/records.jsonl").count, 90)
        await emulator.shutdown()
    }
}
