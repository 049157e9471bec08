import Crypto
import Emulator
import Foundation
import PostgresTestSupport
import XCTest

/// One 2,000-item batch shared by three `moonwatch batch` processes through a
/// real PostgreSQL journal: one is SIGKILLed twice and restarted, one has its
/// connections cut by the server (`pg_terminate_backend`). At the end every
/// item is done or failed exactly once, every record is in `moonwatch report`
/// exactly once, every file is complete and verified, and the try-on coins
/// spent by all three together never pass `max_coins`, which is set below what
/// the batch needs so that the limit bites.
final class SharedBatchTests: XCTestCase {
    static let script = """
        function handle(item, info)
          local record = {line = info.line, id = item.id}
          if item.service == "tryon" then
            local r = api.tryon.result{inf_id = tonumber(item.id)}
            record.status = r.status
          elseif item.service == "metastudio" then
            local r = api.metastudio.wait{job_id = item.id, initial_delay = 0, min_delay = 0.2, max_delay = 0.2, timeout = 120}
            record.status = r.status
            if item.cover and r.status == "succeeded" then
              local file = http.download(r.model_cover_url, "covers/" .. item.id .. ".jpg")
              record.file, record.sha256 = "covers/" .. item.id .. ".jpg", file.sha256
            end
          else
            local r = api.faceedge.wait{task_id = item.id, target = "running", initial_delay = 0, min_delay = 0.2, max_delay = 0.2, timeout = 120}
            record.status = r.status
          end
          emit(record)
        end
        """

    static let items = 2_000
    /// 400 try-on items need 400 queries, 40 coins; the batch may spend 20.
    static let maxCoins = 20.0

    func testThreeProcessesShareABatchThroughKillsAndCutConnections() async throws {
        guard let server = try TestPostgres.fromEnvironment() else {
            throw XCTSkip("no PostgreSQL test cluster (scripts/test starts one)")
        }
        let state = try server.createDatabase()
        let database = String(state.split(separator: "/").last!.split(separator: "?").first!)
        // All three processes query from 127.0.0.1: the firewall must not be what limits them here.
        let scenario = Scenario(tryon: TryOnSettings(firewall: TryOnFirewall(maxRequests: 1_000_000)))
        let emulator = try await Emulator.start(EmulatorOptions(speed: 150, scenario: scenario))
        var harness = try BatchHarness()
        harness.environment.merge([
            "TRYON_OPEN_ID": DemoCredentials.tryOnOpenID, "TRYON_API_KEY": DemoCredentials.tryOnAPIKey,
            "CLOUD_SDK_AK": DemoCredentials.accessKey, "CLOUD_SDK_SK": DemoCredentials.secretKey,
            "MOONWATCH_TRYON_MAX_COINS": "\(Self.maxCoins)", "MOONWATCH_TRYON_RATE": "1000/s",
        ]) { _, ours in ours }
        try harness.write("moonwatch.toml", emulator.configTOML)
        try harness.write("job.lua", Self.script)
        try harness.write("items.jsonl", (1...Self.items).map { n in
            switch n % 5 {
            case 0: #"{"service":"tryon","id":"\#(5000 + n)"}"#
            case 1, 3: #"{"service":"faceedge","id":"task-\#(n)"}"#
            default: #"{"service":"metastudio","id":"job-\#(n)","cover":\#(n % 8 == 2)}"#
            }
        }.joined(separator: "\n") + "\n")
        func arguments(_ machine: String) -> [String] {
            [
                "batch", "--config", "moonwatch.toml", "--workers", "2", "--concurrency", "16", "--no-progress",
                "--log-level", "warning", "--input", "items.jsonl", "--state", state, "--lease", "4",
                "--max-failures", "100%", "--out", "out-\(machine)", "job.lua",
            ]
        }

        let steady = try harness.start(arguments("c"))
        let cut = try harness.start(arguments("b"))
        // The process whose connections the server cuts.
        try await Task.sleep(for: .seconds(2))
        let terminated = try server.sql("""
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE datname = '\(database)' AND application_name = 'moonwatch pid \(cut.0.processIdentifier)'
            """)
        XCTAssertGreaterThan(Int(terminated) ?? 0, 0, "process b had connections to cut")

        // The process killed twice, then left to finish.
        for _ in 0..<2 {
            let killed = try harness.start(arguments("a"))
            try await Task.sleep(for: .milliseconds(Int.random(in: 1_500...3_000)))
            kill(killed.0.processIdentifier, SIGKILL)
            XCTAssertTrue(harness.finish(killed).killed, "a ended before its kill")
        }
        let last = try harness.start(arguments("a"))

        for (name, process) in [("a", last), ("b", cut), ("c", steady)] {
            let result = try await finish(process, harness: harness, within: 300)
            XCTAssertEqual(result.status, 0, "\(name): \(result.stderr)")
        }
        let cutLog = harness.read(cut.1.lastPathComponent)
        let tryOnQueries = emulator.counters().requests(.tryOnResult)
        await emulator.shutdown()

        let report = try harness.run("report", "--state", state, "--out", "report")
        XCTAssertEqual(report.status, 0, report.stderr)
        let items = try harness.jsonLines("report/report.jsonl")
        XCTAssertEqual(items.count, Self.items)
        XCTAssertEqual(Set(items.compactMap { $0["line"] as? Int }), Set(1...Self.items), "every item exactly once")
        let done = Set(items.filter { $0["outcome"] as? String == "done" }.compactMap { $0["line"] as? Int })
        let failed = items.filter { $0["outcome"] as? String == "failed" }
        XCTAssertEqual(done.count + failed.count, Self.items, "every item done or failed: \(items.filter { $0["outcome"] as? String != "done" && $0["outcome"] as? String != "failed" }.prefix(3))")
        XCTAssertTrue(failed.allSatisfy { ($0["line"] as? Int ?? 0) % 5 == 0 }, "only try-on items fail: \(failed.prefix(3))")
        XCTAssertGreaterThan(failed.count, 0, "the coin budget bit")
        XCTAssertTrue(failed.allSatisfy { ($0["error"] as? String ?? "").contains("coin budget") }, "\(failed.prefix(3))")

        let records = try harness.jsonLines("report/records.jsonl")
        XCTAssertEqual(records.count, done.count, "one record per done item, whichever machine emitted it")
        XCTAssertEqual(Set(records.compactMap { $0["line"] as? Int }), done)

        // Each file lives under the --out of the machine that downloaded it.
        var files = 0
        for record in records {
            guard let file = record["file"] as? String else { continue }
            let copies = ["a", "b", "c"].compactMap { machine in
                try? Data(contentsOf: harness.folder.appendingPathComponent("out-\(machine)/\(file)"))
            }
            XCTAssertFalse(copies.isEmpty, "\(file) is on some machine")
            for data in copies {
                let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
                XCTAssertEqual(digest, record["sha256"] as? String, file)
            }
            files += 1
        }
        XCTAssertGreaterThan(files, 0)

        // Together the three never spent past max_coins: neither by the journal's count nor by the service's.
        let spent = Int(try server.sql("SELECT spent_millicoins FROM moonwatch.batches", database: state)) ?? -1
        XCTAssertLessThanOrEqual(spent, Int(Self.maxCoins * 1000))
        XCTAssertLessThanOrEqual(tryOnQueries, Int(Self.maxCoins * 10), "queries the emulator answered")
        XCTAssertGreaterThan(tryOnQueries, 0)
        let redone = items.filter { ($0["attempts"] as? Int ?? 0) > 1 }.count
        print("shared batch: \(done.count) done, \(failed.count) failed, \(redone) redone, \(files) files, "
            + "\(tryOnQueries) try-on queries, \(spent) millicoins; b after the cut: \(cutLog.contains("lost the connection") ? "reconnected" : "no loss seen")")
    }

    /// Waits for a process, killing it past `seconds` so the test cannot hang.
    private func finish(_ started: (Process, URL), harness: BatchHarness, within seconds: Double) async throws -> BatchHarness.Result {
        let deadline = Date().addingTimeInterval(seconds)
        while started.0.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(200)) }
        if started.0.isRunning {
            kill(started.0.processIdentifier, SIGKILL)
            XCTFail("a batch process ran past \(Int(seconds)) s")
        }
        return harness.finish(started)
    }
}
