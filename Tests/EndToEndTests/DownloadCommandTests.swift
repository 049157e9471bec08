import Emulator
import Foundation
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `http.download` through the built binary against an emulator that lives in
/// the test process, so it outlives a moonwatch that is killed (docs/contract.md §2.2).
final class DownloadCommandTests: XCTestCase {
    static let bigSize = 8 << 20
    static let sampleSize = 300_000

    private var emulator: RunningEmulator!
    private var harness: BinaryHarness!

    override func setUp() async throws {
        let scenario = Scenario(
            tryon: .init(jobs: [
                TryOnJob(infID: 5, timeline: [.init(state: 2)], files: .init(body: .init(size: Self.bigSize), show: .init(size: 2000)))
            ]),
            modelarts: .init(tasks: [
                ModelArtsTask(taskID: "t", versionID: "v", samples: [ModelArtsSample(resultProperty: 0, name: "s.bin", size: Self.sampleSize)])
            ]))
        emulator = try await Emulator.start(EmulatorOptions(scenario: scenario))
        harness = try BinaryHarness()
        try harness.write("moonwatch.toml", emulator.configTOML)
    }

    override func tearDown() async throws {
        await emulator.shutdown()
        try? FileManager.default.removeItem(at: harness.folder)
    }

    /// Starts `moonwatch run --config moonwatch.toml ARGS` with the emulator's demo credentials.
    private func start(_ arguments: [String]) throws -> (Process, URL) {
        let environment = ProcessInfo.processInfo.environment.merging([
            "CLOUD_SDK_AK": DemoCredentials.accessKey, "CLOUD_SDK_SK": DemoCredentials.secretKey,
        ]) { _, demo in demo }
        let (process, _, err) = try harness.start(["run", "--config", "moonwatch.toml"] + arguments, environment: environment)
        return (process, err)
    }

    private func run(_ arguments: String...) throws -> (status: Int32, stderr: String) {
        let (process, err) = try start(arguments)
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// The records the runs emitted; a line that is not a JSON object fails the test.
    private func records() throws -> [[String: Any]] {
        try harness.read("out/records.jsonl").split(separator: "\n").map { line in
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
        }
    }

    private func size(_ name: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: harness.folder.appendingPathComponent(name).path)[.size] as? NSNumber)?.intValue
    }

    /// SHA-256 of an object, from the emulator's admin API.
    private func sha256(of path: String) async throws -> String {
        let url = URL(string: emulator.baseURL + "/_emulator/objects/info?path=" + path)!
        let (data, _) = try await URLSession.shared.data(from: url)
        let info = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try XCTUnwrap(info["sha256"] as? String)
    }

    private var served: Int { emulator.counters().bytesServed }

    /// fetch.lua URL SHA256: downloads the URL to big/body.png, checked, and emits the result.
    private func writeFetchScript() throws {
        try harness.write("fetch.lua", """
            local r = http.download(args[1], "big/body.png", {sha256 = args[2]})
            emit(r)
            """)
    }

    func testAKilledDownloadResumesOnTheNextRun() async throws {
        let url = emulator.baseURL + "/oss/result/5/body.png"
        let expected = try await sha256(of: "/oss/result/5/body.png")
        try writeFetchScript()
        let (process, _) = try start(["fetch.lua", url, expected])
        let deadline = Date().addingTimeInterval(60)
        while (size("out/big/body.png.part") ?? 0) < 1 << 20, process.isRunning, Date() < deadline {
            usleep(2_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal, "killed mid-download")
        let kept = try XCTUnwrap(size("out/big/body.png.part"))
        XCTAssertGreaterThan(kept, 0)
        XCTAssertLessThan(kept, Self.bigSize)
        XCTAssertNotNil(size("out/big/body.png.part.meta"), "the validator is kept beside the .part")
        XCTAssertNil(size("out/big/body.png"), "nothing at the destination")

        // The emulator may still count a chunk it was writing when the process died.
        var servedBefore = served
        while true {
            try await Task.sleep(for: .milliseconds(200))
            if served == servedBefore { break }
            servedBefore = served
        }
        let rerun = try run("fetch.lua", url, expected)
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        let record = try XCTUnwrap(try records().last)
        XCTAssertEqual(record["resumed"] as? Bool, true)
        XCTAssertEqual(record["skipped"] as? Bool, false)
        XCTAssertEqual(record["bytes"] as? Int, Self.bigSize)
        XCTAssertEqual(record["sha256"] as? String, expected)
        XCTAssertEqual(record["path"] as? String, "out/big/body.png")
        XCTAssertEqual(size("out/big/body.png"), Self.bigSize)
        XCTAssertNil(size("out/big/body.png.part"))
        XCTAssertNil(size("out/big/body.png.part.meta"))
        XCTAssertEqual(served - servedBefore, Self.bigSize - kept, "the rerun fetched only the missing bytes")

        let again = try run("fetch.lua", url, expected)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try records().count, 2, "the killed run emitted nothing; the rerun and this one a record each")
        XCTAssertEqual(try records().last?["skipped"] as? Bool, true)
    }

    func testSIGINTLetsADownloadInFlightFinish() async throws {
        try emulator.addFaults([FaultRule(route: "tryon.file", kind: .latency, latencyMs: 1500)])
        let url = emulator.baseURL + "/oss/result/5/body.png"
        let expected = try await sha256(of: "/oss/result/5/body.png")
        try writeFetchScript()
        // A grace far longer than the download takes, even on a loaded machine.
        let (process, err) = try start(["--grace", "60", "fetch.lua", url, expected])
        try await Task.sleep(for: .milliseconds(700))
        XCTAssertTrue(process.isRunning, "the answer is still 800 ms away")
        let interrupted = Date()
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        XCTAssertLessThan(Date().timeIntervalSince(interrupted), 30, "done when the download is, not at the end of the grace")
        let stderr = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        XCTAssertEqual(process.terminationStatus, 130, stderr)
        XCTAssertTrue(stderr.contains("letting 1 operation(s) in flight finish"), stderr)
        XCTAssertEqual(size("out/big/body.png"), Self.bigSize, "the download finished in the grace period")
        XCTAssertNil(size("out/big/body.png.part"))
        XCTAssertEqual(try records().count, 1)
        XCTAssertEqual(try records().last?["sha256"] as? String, expected, "and the script went on to emit it")
    }

    func testSIGINTWithoutGraceCancelsTheDownloadAndKeepsNothingAtTheDestination() async throws {
        try emulator.addFaults([FaultRule(route: "tryon.file", kind: .latency, latencyMs: 3000)])
        try harness.write("fetch.lua", """
            emit(http.download(args[1], "big/body.png"))
            """)
        let (process, _) = try start(["--grace", "0", "fetch.lua", emulator.baseURL + "/oss/result/5/body.png"])
        try await Task.sleep(for: .milliseconds(500))
        let interrupted = Date()
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130)
        XCTAssertLessThan(Date().timeIntervalSince(interrupted), 2, "canceled at once, not after the 3 s latency")
        XCTAssertNil(size("out/big/body.png"))
        XCTAssertEqual(harness.read("out/records.jsonl"), "", "nothing emitted, not even part of a line")
    }

    func testRefreshRenewsAnExpiredSignedURLAndTheSamePartContinues() async throws {
        try emulator.addFaults([
            FaultRule(route: "obs.object", kind: .truncate, requests: [1]),
            FaultRule(route: "obs.object", kind: .expiredURL, requests: [2]),
        ])
        try harness.write("export.lua", """
            local listings = 0
            local function signed_url()
              listings = listings + 1
              local page = api.modelarts.results{task_id = "t", version_id = "v"}
              return page.results[1].signed_new_source
            end
            local r = http.download(signed_url(), "samples/s.bin", {refresh = signed_url, size = \(Self.sampleSize)})
            emit({bytes = r.bytes, sha256 = r.sha256, resumed = r.resumed, refreshes = listings - 1})
            """)
        let result = try run("export.lua")
        XCTAssertEqual(result.status, 0, result.stderr)
        let record = try XCTUnwrap(try records().last)
        XCTAssertEqual(record["refreshes"] as? Int, 1)
        XCTAssertEqual(record["resumed"] as? Bool, true)
        XCTAssertEqual(record["bytes"] as? Int, Self.sampleSize)
        let requests = emulator.counters().requests["obs.object"] ?? [:]
        XCTAssertEqual(requests, ["200": 1, "403": 1, "206": 1])
        XCTAssertLessThanOrEqual(emulator.counters().bytesServedByRoute["obs.object"] ?? 0, Self.sampleSize + 64 * 1024)
    }

    func testErrorsReachScriptsAsTablesWithTheirKinds() async throws {
        try emulator.addFaults([FaultRule(route: "obs.object", kind: .expiredURL)])
        try harness.write("errors.lua", """
            local base = args[1]
            local function kind_of(...)
              local ok, err = pcall(http.download, ...)
              assert(not ok, "expected an error")
              return {kind = err.kind, message = err.message, status = err.status, text = tostring(err)}
            end
            local file = base .. "/oss/result/5/show.jpg"
            local url = api.modelarts.results{task_id = "t", version_id = "v"}.results[1].signed_new_source
            emit({case = "unknown option", error = kind_of(file, "a.jpg", {sha265 = "x"})})
            emit({case = "bad digest", error = kind_of(file, "a.jpg", {sha256 = "abc"})})
            emit({case = "dot dot", error = kind_of(file, "../a.jpg")})
            emit({case = "absolute", error = kind_of(file, "/tmp/a.jpg")})
            emit({case = "checksum", error = kind_of(file, "a.jpg", {size = 1})})
            emit({case = "not found", error = kind_of(base .. "/oss/result/5/none.jpg", "b.jpg")})
            emit({case = "scheme", error = kind_of("ftp://example.com/x", "c.jpg")})
            emit({case = "expired", error = kind_of(url, "d.bin")})
            emit({case = "refresh returns nil", error = kind_of(url, "d.bin", {refresh = function() return nil end})})
            emit({case = "stale refreshes", error = kind_of(url, "d.bin", {refresh = function() return url end})})
            emit({case = "done", ok = http.download(file, "e.jpg").bytes})
            """)
        let result = try run("errors.lua", emulator.baseURL)
        XCTAssertEqual(result.status, 0, result.stderr)
        var kinds: [String: String] = [:]
        var messages: [String: String] = [:]
        for record in try records() {
            guard let name = record["case"] as? String, let error = record["error"] as? [String: Any] else { continue }
            kinds[name] = error["kind"] as? String
            messages[name] = error["text"] as? String
        }
        XCTAssertEqual(kinds, [
            "unknown option": "invalid_argument", "bad digest": "invalid_argument", "dot dot": "sandbox",
            "absolute": "sandbox", "checksum": "checksum", "not found": "download", "scheme": "download",
            "expired": "download", "refresh returns nil": "invalid_argument", "stale refreshes": "download",
        ], "\(messages)")
        XCTAssertTrue(messages["unknown option"]?.contains("errors.lua:3: http.download: unknown option 'sha265'") ?? false, "\(messages)")
        XCTAssertTrue(messages["not found"]?.contains("HTTP 404") ?? false, "\(messages)")
        XCTAssertTrue(messages["expired"]?.contains("refresh") ?? false, "\(messages)")
        XCTAssertFalse(messages.values.contains { $0.contains("Signature=") }, "signed URLs stay out of errors")
        XCTAssertEqual(try records().last?["ok"] as? Int, 2000)
    }

    func testMaxDownloadsMustBePositive() throws {
        try harness.write("empty.lua", "")
        XCTAssertEqual(try run("--max-downloads", "0", "empty.lua").status, 2)
        XCTAssertEqual(try run("--max-downloads", "3", "empty.lua").status, 0)
    }
}
