import Crypto
import Emulator
import Foundation
import XCTest

/// A 2,000-item batch against the emulator, killed with SIGKILL at 10 random
/// moments and restarted each time, ends with every item exactly once in
/// `report.jsonl`, every record exactly once in `records.jsonl`, every
/// downloaded file complete and verified with no `.part` left (when the binary
/// has `http.download`), and at most 10% more polls than an uninterrupted run.
final class CrashTests: XCTestCase {
    /// MetaStudio jobs and face-edge tasks, polled every 0.2 s; jobs take 35 to
    /// 150 s (MetaStudio) or 7 to 40 s (face edge) at real speed. The emulator's
    /// speed and the poll interval keep the request rate moderate, so that the
    /// poll counts depend on the jobs and not on how busy the machine is.
    static let script = """
        function handle(item, info)
          local r
          if item.service == "metastudio" then
            r = api.metastudio.wait{job_id = item.id, initial_delay = 0, min_delay = 0.2, max_delay = 0.2, timeout = 120}
          else
            r = api.faceedge.wait{task_id = item.id, target = "running", initial_delay = 0, min_delay = 0.2, max_delay = 0.2, timeout = 120}
          end
          local record = {line = info.line, id = item.id, status = r.status}
          -- Every fourth succeeded MetaStudio job also fetches its cover, once the
          -- binary has http.download (without it, there are no files to check).
          if http and item.cover and r.status == "succeeded" then
            local file = http.download(r.model_cover_url, "covers/" .. item.id .. ".jpg")
            record.file, record.sha256, record.bytes = "covers/" .. item.id .. ".jpg", file.sha256, file.bytes
          end
          emit(record)
        end
        """

    static let speed = 150.0
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
            n % 2 == 1 ? #"{"service":"faceedge","id":"task-\#(n)"}"#
                : #"{"service":"metastudio","id":"job-\#(n)","cover":\#(n % 8 == 0)}"#
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
        try checkFiles(records, in: "crashed", against: harness.jsonLines("reference/records.jsonl"), harness: harness)
        let redone = report.filter { ($0["attempts"] as? Int ?? 0) > 1 }.count
        print("crash test: \(referencePolls) polls uninterrupted, \(crashedPolls) with 10 SIGKILLs; \(redone) items redone")
        XCTAssertGreaterThan(redone, 0, "the kills landed while items were in flight")
        // A kill loses at most what the workers held: per worker 16 in flight and the
        // rest of a claimed chunk of 16; never a committed item...
        XCTAssertLessThanOrEqual(redone, kills * 2 * (16 + 16), "only items held at a kill are redone")
        // ...and the extra polls are those items polled again: at most twice an average
        // item's polls each (how far into its timeline a redone item was varies with
        // when the kill landed, so a fixed share of the reference does not hold on every machine).
        let pollsPerItem = Double(referencePolls) / Double(Self.items)
        XCTAssertLessThanOrEqual(Double(crashedPolls - referencePolls), Double(redone) * 2 * pollsPerItem,
            "extra polls only for the items that were redone")
    }

    /// Every downloaded file is complete (its SHA-256 is the reference run's and
    /// its record's) and no `.part` is left behind.
    private func checkFiles(_ records: [[String: Any]], in folder: String, against reference: [[String: Any]], harness: BatchHarness) throws {
        let expected = Dictionary(uniqueKeysWithValues: reference.compactMap { r in
            (r["file"] as? String).map { ($0, r["sha256"] as? String ?? "") }
        })
        XCTAssertFalse(expected.isEmpty, "the reference run downloaded files")
        let files = records.compactMap { $0["file"] as? String }
        XCTAssertEqual(Set(files), Set(expected.keys), "the same files as the uninterrupted run")
        for record in records {
            guard let file = record["file"] as? String else { continue }
            let data = try Data(contentsOf: harness.folder.appendingPathComponent("\(folder)/\(file)"))
            let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            XCTAssertEqual(digest, record["sha256"] as? String, file)
            XCTAssertEqual(digest, expected[file], file)
        }
        let all = FileManager.default.enumerator(atPath: harness.folder.appendingPathComponent(folder).path)?
            .compactMap { $0 as? String } ?? []
        XCTAssertEqual(all.filter { $0.hasSuffix(".part") }, [], "no .part left behind")
        if !files.isEmpty { print("crash test: \(files.count) downloaded files complete and verified") }
    }

    private func polls(_ emulator: RunningEmulator) -> Int {
        let counters = emulator.counters()
        return counters.requests(.metaStudioJob) + counters.requests(.faceEdgeTask)
    }
}
