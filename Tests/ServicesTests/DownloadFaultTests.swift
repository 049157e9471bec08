import Emulator
import Foundation
import XCTest

@testable import Services

/// Downloads through the emulator's faults: cut connections, truncated bodies,
/// ignored ranges, changed files, expired signed URLs and a full disk.
final class DownloadFaultTests: XCTestCase {
    private var h: DownloadHarness!

    override func setUp() async throws {
        h = try await DownloadHarness()
    }

    override func tearDown() async throws {
        try await h.shutdown()
    }

    func testConnectionResetsMidBodyResumeToAnIdenticalFileFetchingEachByteOnce() async throws {
        var allCuts = 0
        for seed: UInt64 in 1...6 {
            try await h.shutdown()
            h = try await DownloadHarness(seed: seed)
            // Each request is cut (RST) with probability 0.75, drawn from the seed, halfway through
            // what it serves: the cuts land at 1/2, 3/4, 7/8 ... of the file, a different pattern per seed.
            try h.emulator.addFaults([FaultRule(route: "tryon.file", kind: .reset, probability: 0.75)])
            let url = h.fileURL(1)
            let expected = try await h.info(url)
            let result = try await h.finished(url, to: "reset.png")
            let cuts = h.emulator.counters().faultsInjected["tryon.file"]?["reset"] ?? 0
            let requests = h.requests("tryon.file")
            XCTAssertEqual(result.sha256, expected.sha256, "byte-identical (seed \(seed))")
            XCTAssertEqual(h.sha256("reset.png"), expected.sha256)
            XCTAssertEqual(result.resumed, cuts > 0)
            XCTAssertEqual(requests["200"], 1, "seed \(seed): \(requests)")
            XCTAssertEqual(requests["206"] ?? 0, cuts, "seed \(seed): every cut is resumed where it stopped")
            XCTAssertEqual(h.counters.snapshot.downloadBytes, expected.size, "seed \(seed): each byte written once")
            let served = h.served("tryon.file")
            XCTAssertLessThanOrEqual(served, Int(expected.size) + Int(expected.size) / 10, "seed \(seed): \(cuts) cuts")
            allCuts += cuts
        }
        XCTAssertGreaterThanOrEqual(allCuts, 6, "the seeds cut some requests")
    }

    func testConnectionResetsAtRandomOffsetsResumeToAnIdenticalFile() async throws {
        let size = DownloadHarness.tryOnFiles[1]!
        let proxy = try await DownloadCuttingProxy(upstreamPort: h.emulator.port, seed: 42, probability: 0.8, maxOffset: size / 2)
        let path = "/oss/result/1/body.png"
        let expected = try await h.info(h.emulator.baseURL + path)
        let result = try await h.finished(proxy.base + path, to: "random.png")
        try await proxy.close()
        XCTAssertEqual(result.sha256, expected.sha256, "byte-identical")
        XCTAssertEqual(h.sha256("random.png"), expected.sha256)
        XCTAssertTrue(result.resumed)
        let cuts = proxy.cuts
        XCTAssertGreaterThanOrEqual(cuts.count, 3, "cut after \(cuts) bytes")
        XCTAssertTrue(cuts.contains { $0 % 4096 != 0 }, "offsets that fall inside chunks: \(cuts)")
        XCTAssertEqual(h.requests("tryon.file")["206"], cuts.count, "each cut resumed: \(h.requests("tryon.file"))")
        XCTAssertEqual(h.counters.snapshot.downloadBytes, Int64(size), "each byte written once")
        // What went over the wire: the file, response heads, and what a reset loses in flight.
        XCTAssertLessThanOrEqual(proxy.delivered, size + size / 10, "most bytes are fetched once")
    }

    func testATruncatedBodyIsResumedNeverAccepted() async throws {
        try h.emulator.addFaults([FaultRule(route: "tryon.file", kind: .truncate, requests: [1])])
        let url = h.fileURL(1)
        let expected = try await h.info(url)
        let result = try await h.finished(url, to: "t.png", checks: DownloadChecks(size: expected.size))
        XCTAssertEqual(result.sha256, expected.sha256)
        XCTAssertTrue(result.resumed)
        XCTAssertEqual(h.requests("tryon.file"), ["200": 1, "206": 1])
        XCTAssertLessThanOrEqual(h.served("tryon.file"), Int(expected.size) + 64 * 1024)
    }

    func testWhenTheServerIgnoresRangeTheDownloadStartsOver() async throws {
        try h.emulator.addFaults([
            FaultRule(route: "tryon.file", kind: .truncate, requests: [1]),
            FaultRule(route: "tryon.file", kind: .ignoreRange, requests: [2]),
        ])
        let url = h.fileURL(1)
        let expected = try await h.info(url)
        let result = try await h.finished(url, to: "whole.png")
        XCTAssertEqual(result.sha256, expected.sha256)
        XCTAssertEqual(result.bytes, expected.size, "the whole answer replaced the partial bytes")
        XCTAssertFalse(result.resumed)
        XCTAssertEqual(h.requests("tryon.file"), ["200": 2])
    }

    func testWhenTheETagChangesBetweenAttemptsTheDownloadStartsOver() async throws {
        try await h.shutdown()
        h = try await DownloadHarness(options: DownloadOptions(retryPolicy: .none))
        // First attempt: cut halfway, then a 503 that (without retries) ends the call.
        try h.emulator.addFaults([
            FaultRule(route: "tryon.file", kind: .truncate, requests: [1]),
            FaultRule(route: "tryon.file", kind: .error, status: 503, requests: [2]),
        ])
        let url = h.fileURL(1)
        let before = try await h.info(url)
        let failure = await assertServiceError { try await self.h.download(url, to: "v.png") }
        XCTAssertEqual(failure?.status, 503)
        let kept = try XCTUnwrap(h.size("v.png.part"))
        XCTAssertGreaterThan(kept, 0)
        XCTAssertLessThan(kept, before.size)
        let meta = try String(contentsOfFile: h.path("v.png.part.meta"), encoding: .utf8)
        XCTAssertTrue(meta.contains(before.md5), "the ETag is kept beside the .part: \(meta)")

        // The file changes on the server (another size, so other bytes and another ETag).
        var changed = DownloadHarness.scenario()
        changed.tryon.jobs = changed.tryon.jobs.map { job in
            var job = job
            if job.infID == 1 { job.files = .init(body: .init(size: 700_000), show: .init(size: 10)) }
            return job
        }
        try h.emulator.load(changed)
        let after = try await h.info(url)
        XCTAssertNotEqual(after.md5, before.md5)

        let result = try await h.finished(url, to: "v.png")
        XCTAssertEqual(result.sha256, after.sha256, "no byte of the old version survives")
        XCTAssertEqual(result.bytes, 700_000)
        XCTAssertFalse(result.resumed)
        XCTAssertEqual(h.requests("tryon.file"), ["200": 1], "If-Range made the server send the new file whole")
    }

    func testAnExpiredSignedURLIsReportedAndAFreshOneContinuesThePart() async throws {
        try h.emulator.addFaults([
            FaultRule(route: "obs.object", kind: .truncate, requests: [1]),
            FaultRule(route: "obs.object", kind: .expiredURL, requests: [2]),
        ])
        let url = try await h.signedURL()
        let expected = try await h.info(url)
        let outcome = try await h.download(url, to: "s/sample.bin", canRefresh: true)
        guard case .urlExpired(let received) = outcome else { return XCTFail("expected an expired URL, got \(outcome)") }
        XCTAssertGreaterThan(received, 0)
        XCTAssertEqual(h.size("s/sample.bin.part"), received, "the .part is kept")
        XCTAssertFalse(h.exists("s/sample.bin"))

        let fresh = try await h.signedURL()
        let result = try await h.finished(fresh, to: "s/sample.bin")
        XCTAssertTrue(result.resumed)
        XCTAssertEqual(result.sha256, expected.sha256)
        XCTAssertEqual(h.requests("obs.object"), ["200": 1, "403": 1, "206": 1])
        XCTAssertLessThanOrEqual(h.served("obs.object"), Int(expected.size) + 64 * 1024)
    }

    func testAnExpiredURLWithoutRefreshIsADownloadError() async throws {
        try h.emulator.addFaults([FaultRule(route: "obs.object", kind: .expiredURL, requests: [1])])
        let url = try await h.signedURL()
        let error = await assertServiceError { try await self.h.download(url, to: "e.bin") }
        XCTAssertEqual(error?.kind, .download)
        XCTAssertEqual(error?.status, 403)
        XCTAssertTrue(error?.message.contains("expired") ?? false, error?.message ?? "")
        XCTAssertTrue(error?.message.contains("refresh") ?? false, error?.message ?? "")
        XCTAssertFalse(error?.message.contains("Signature=") ?? true, "signed URLs stay out of messages")
    }

    func testAFullDiskIsAClearErrorThatKeepsThePartAndWritesNothingAtTheDestination() async throws {
        let disk = FileManager.default.temporaryDirectory.appendingPathComponent("moonwatch-full-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: disk) }
        let mount = try Self.run("/bin/mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", disk)
        guard mount.status == 0 else {
            throw XCTSkip("cannot mount a 512 KiB tmpfs (this test needs root): \(mount.output)")
        }
        defer { _ = try? Self.run("/bin/umount", disk) }
        try await h.shutdown()
        h = try await DownloadHarness(out: disk)

        let error = await assertServiceError { try await self.h.download(self.h.fileURL(1), to: "full/body.png") }
        XCTAssertEqual(error?.kind, .download)
        XCTAssertTrue(error?.message.contains("no space left on the device") ?? false, error?.message ?? "")
        XCTAssertEqual(error?.retryable, false)
        XCTAssertFalse(h.exists("full/body.png"), "nothing at the destination")
        let kept = try XCTUnwrap(h.size("full/body.png.part"))
        XCTAssertGreaterThan(kept, 0, "the .part is kept for a later resume")
        XCTAssertTrue(error?.message.contains("\(kept) bytes kept") ?? false, error?.message ?? "")
        XCTAssertEqual(h.requests("tryon.file").values.reduce(0, +), 1, "a full disk is not retried")
    }

    private static func run(_ arguments: String...) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, output)
    }
}
