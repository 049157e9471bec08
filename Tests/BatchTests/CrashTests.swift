import Emulator
import Foundation
import XCTest

/// A 2,000-item batch against the emulator, killed with SIGKILL at 10 random
/// moments and restarted each time, ends with every item exactly once in
/// `report.jsonl`, every record exactly once in `records.jsonl`, and at most 10%
/// more polls than an uninterrupted run of the same batch.
final class CrashTests: XCTestCase {
    /// MetaStudio jobs and face-edge tasks, polled every 0.1 s; jobs take 35 to
    /// 150 s (MetaStudio) or 7 to 40 s (face edge) at real speed.
    static let script = """
        function handle(item, info)
          local r
          if item.service == "metastudio" then
            r = api.metastudio.wait{job_id = item.id, initial_delay = 0, min_delay = 0.1, max_delay = 0.1, timeout = 120}
          else
            r = api.faceedge.wait{task_id = item.id, target = "running", initial_delay = 0, min_delay = 0.1, max_delay = 0.1, timeout = 120}
          end
          emit({line = info.line, id = item.id, status = r.status})
          -- With http.download merged, each succeeded MetaStudio job also fetches its cover:
          -- if http and r.status == "succeeded" and r.cover_url then
          --   http.download(r.cover_url, "covers/" .. item.id .. ".jpg")
          -- end
        end
        """

    static let speed = 300.0
    static let items = 2_000

    func testSIGKILLedTenTimesEndsWithEveryItemAndRecordOnceAndFewExtraPolls() async throws {
        let emulator = try await Emulator.start(EmulatorOptions(speed: Self.speed))
        var harness = try BatchHarness()
        harness.environment.merge([
            "TRYON_OPEN_ID": DemoCredentials.tryOnOpenID, "TRYON_API_KEY": DemoCredentials.tryOnAPIKey,
            "CLOUD_SDK_AK": DemoCredentials.accessKey, "CLOUD_SDK_SK": DemoCredentials.secretKey,
        ]) { _, demo in demo }
        try harness.write("moonwatch.toml", emulator.configTOML)
        try harness.write("job.lua", Self.script)
        try harness.write("items.jsonl", (1...Self.items).map { n in
            n % 2 == 0 ? #"{"service":"metastudio","id":"job-\#(n)"}"# : #"{"service":"faceedge","id":"task-\#(n)"}"#
        }.joined(separator: "\n") + "\n")
        let arguments = [
            "batch", "--config", "moonwatch.toml", "--workers", "2", "--concurrency", "16", "--no-progress",
            "--log-level", "warning", "--input", "items.jsonl", "job.lua",
        ]

        // The reference: the same batch, uninterrupted, in another output folder.
        let reference = harness.finish(try harness.start(arguments + ["--out", "reference"]))
        XCTAssertEqual(reference.status, 0, reference.stderr)
        let referencePolls = polls(emulator)
        XCTAssertEqual(try harness.jsonLines("reference/records.jsonl").count, Self.items)
        emulator.reset()

        var generator = SystemRandomNumberGenerator()
        var kills = 0
        while kills < 10 {
            let started = try harness.start(arguments + ["--out", "crashed"])
            try await Task.sleep(for: .milliseconds(Int.random(in: 300...1_500, using: &generator)))
            kill(started.0.processIdentifier, SIGKILL)
            let result = harness.finish(started)
            XCTAssertTrue(result.killed, "run \(kills + 1) ended before the kill: \(result.stderr)")
            kills += 1
        }
        let last = harness.finish(try harness.start(arguments + ["--out", "crashed"]))
        XCTAssertEqual(last.status, 0, last.stderr)
        let crashedPolls = polls(emulator)
        await emulator.shutdown()

        let report = try harness.jsonLines("crashed/report.jsonl")
        XCTAssertEqual(report.count, Self.items)
        XCTAssertEqual(Set(report.compactMap { $0["line"] as? Int }), Set(1...Self.items), "every item exactly once")
        XCTAssertTrue(report.allSatisfy { $0["outcome"] as? String == "done" })
        let records = try harness.jsonLines("crashed/records.jsonl")
        XCTAssertEqual(records.count, Self.items, "no record lost or duplicated")
        XCTAssertEqual(Set(records.compactMap { $0["line"] as? Int }), Set(1...Self.items))
        let redone = report.filter { ($0["attempts"] as? Int ?? 0) > 1 }.count
        print("crash test: \(referencePolls) polls uninterrupted, \(crashedPolls) with 10 SIGKILLs; \(redone) items redone")
        XCTAssertGreaterThan(redone, 0, "the kills landed while items were in flight")
        XCTAssertLessThanOrEqual(Double(crashedPolls), Double(referencePolls) * 1.1)
    }

    private func polls(_ emulator: RunningEmulator) -> Int {
        let counters = emulator.counters()
        return counters.requests(.metaStudioJob) + counters.requests(.faceEdgeTask)
    }
}
