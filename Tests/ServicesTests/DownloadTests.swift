import Emulator
import Foundation
import XCTest

@testable import Services

/// `http.download`'s engine against the emulator's object storage: atomic
/// files, results, checks, skipping, retries and errors (docs/contract.md §2.2).
final class DownloadTests: XCTestCase {
    private var h: DownloadHarness!

    override func setUp() async throws {
        h = try await DownloadHarness()
    }

    override func tearDown() async throws {
        try await h.shutdown()
    }

    func testDownloadsTheWholeFileAndLeavesNoPartBehind() async throws {
        let url = h.fileURL(1)
        let expected = try await h.info(url)
        let result = try await h.finished(url, to: "jobs/1/body.png")
        XCTAssertEqual(result, DownloadResult(
            path: h.out + "/jobs/1/body.png", bytes: expected.size, sha256: expected.sha256, resumed: false, skipped: false))
        XCTAssertEqual(h.sha256("jobs/1/body.png"), expected.sha256)
        XCTAssertFalse(h.exists("jobs/1/body.png.part"))
        XCTAssertFalse(h.exists("jobs/1/body.png.part.meta"))
        let snapshot = h.counters.snapshot
        XCTAssertEqual(snapshot.downloadBytes, expected.size)
        XCTAssertEqual(snapshot.downloadsFinished, 1)
        XCTAssertEqual(snapshot.downloadsActive, 0)
        XCTAssertGreaterThan(snapshot.downloadRate(now: 0), 0)
    }

    func testChecksGivenAndMatchingPass() async throws {
        let url = h.fileURL(3)
        let expected = try await h.info(url)
        let result = try await h.finished(
            url, to: "a.bin", checks: DownloadChecks(sha256: expected.sha256.uppercased(), md5: expected.md5, size: expected.size))
        XCTAssertEqual(result.sha256, expected.sha256)
    }

    func testAChecksumMismatchDownloadsOnceMoreThenFailsLeavingNothing() async throws {
        let url = h.fileURL(3)
        let wrong = String(repeating: "0", count: 64)
        let error = await assertServiceError { try await self.h.download(url, to: "bad.bin", checks: DownloadChecks(sha256: wrong)) }
        XCTAssertEqual(error?.kind, .checksum)
        XCTAssertTrue(error?.message.contains("expected \(wrong)") ?? false, error?.message ?? "")
        XCTAssertEqual(h.requests("tryon.file")["200"], 2, "one download, and one more from scratch")
        XCTAssertFalse(h.exists("bad.bin"))
        XCTAssertFalse(h.exists("bad.bin.part"))
        XCTAssertFalse(h.exists("bad.bin.part.meta"))

        let wrongSize = await assertServiceError { try await self.h.download(url, to: "bad.bin", checks: DownloadChecks(size: 1)) }
        XCTAssertEqual(wrongSize?.kind, .checksum)
        XCTAssertTrue(wrongSize?.message.contains("expected 1") ?? false, wrongSize?.message ?? "")
        let wrongMD5 = await assertServiceError {
            try await self.h.download(url, to: "bad.bin", checks: DownloadChecks(md5: String(repeating: "a", count: 32)))
        }
        XCTAssertEqual(wrongMD5?.kind, .checksum)
        XCTAssertFalse(h.exists("bad.bin"))
    }

    func testACompleteFileIsSkippedAndVerifiedAndRefetchedWhenItFailsItsCheck() async throws {
        let url = h.fileURL(2)
        let expected = try await h.info(url)
        _ = try await h.finished(url, to: "b.png")
        let servedOnce = h.served("tryon.file")

        let again = try await h.finished(url, to: "b.png", checks: DownloadChecks(sha256: expected.sha256))
        XCTAssertTrue(again.skipped)
        XCTAssertEqual(again.sha256, expected.sha256)
        XCTAssertEqual(again.bytes, expected.size)
        XCTAssertEqual(h.served("tryon.file"), servedOnce, "a skipped file is not fetched")

        try Data("not the file".utf8).write(to: URL(fileURLWithPath: h.path("b.png")))
        let unchecked = try await h.finished(url, to: "b.png")
        XCTAssertTrue(unchecked.skipped, "without a check, a file that is there is trusted")
        let repaired = try await h.finished(url, to: "b.png", checks: DownloadChecks(sha256: expected.sha256))
        XCTAssertFalse(repaired.skipped)
        XCTAssertEqual(h.sha256("b.png"), expected.sha256)

        let overwritten = try await h.finished(url, to: "b.png", overwrite: true)
        XCTAssertFalse(overwritten.skipped)
        XCTAssertEqual(h.served("tryon.file"), servedOnce + 2 * Int(expected.size))
        XCTAssertEqual(h.counters.snapshot.downloadsSkipped, 2)
    }

    func testServerErrorsAreRetriedWithBackoff() async throws {
        try h.emulator.addFaults([FaultRule(route: "tryon.file", kind: .error, status: 503, requests: [1, 2])])
        let url = h.fileURL(3)
        let result = try await h.finished(url, to: "c.png")
        let expected = try await h.info(url)
        XCTAssertEqual(result.sha256, expected.sha256)
        XCTAssertEqual(h.requests("tryon.file"), ["503": 2, "200": 1])
        XCTAssertEqual(h.counters.snapshot.retries["download"], 2)
    }

    func testHTTPErrorsAreFinalAndNameTheStatus() async throws {
        let error = await assertServiceError { try await self.h.download(self.h.emulator.baseURL + "/oss/result/1/none.png", to: "n.png") }
        XCTAssertEqual(error?.kind, .download)
        XCTAssertEqual(error?.status, 404)
        XCTAssertEqual(error?.code, "NoSuchKey")
        XCTAssertEqual(error?.retryable, false)
        XCTAssertEqual(h.requests("tryon.file"), ["404": 1], "not retried")
        XCTAssertFalse(h.exists("n.png.part"), "an empty .part is not left behind")
    }

    func testNetworkErrorsAfterRetriesAreNetworkErrors() async throws {
        try await h.shutdown()
        h = try await DownloadHarness(options: DownloadOptions(retryPolicy: DownloadHarness.quickRetries, connectTimeout: 0.5))
        let closed = try await DownloadRedirectServer(target: "")
        let url = closed.base + "/file"
        try await closed.close()
        let error = await assertServiceError { try await self.h.download(url, to: "x.bin") }
        XCTAssertEqual(error?.kind, .network)
        XCTAssertTrue(error?.message.contains("gave up after 4 attempts") ?? false, error?.message ?? "")
        XCTAssertEqual(h.counters.snapshot.retries["download"], 3)
    }

    func testOnlyHTTPAndHTTPSAtMostFiveRedirects() async throws {
        let url = h.fileURL(3)
        let redirector = try await DownloadRedirectServer(target: url)
        let followed = try await h.finished(redirector.base + "/hop/4", to: "r.png")
        let expected = try await h.info(url)
        XCTAssertEqual(followed.sha256, expected.sha256)

        let tooMany = await assertServiceError { try await self.h.download(redirector.base + "/hop/5", to: "r2.png") }
        XCTAssertEqual(tooMany?.kind, .download)
        XCTAssertTrue(tooMany?.message.contains("more than 5 redirects") ?? false, tooMany?.message ?? "")

        let toFTP = await assertServiceError { try await self.h.download(redirector.base + "/ftp", to: "r3.png") }
        XCTAssertEqual(toFTP?.kind, .download)
        XCTAssertTrue(toFTP?.message.contains("only http and https") ?? false, toFTP?.message ?? "")
        for bad in ["ftp://127.0.0.1/x", "file:///etc/passwd", "not a url", "http:///nohost"] {
            let error = await assertServiceError { try await self.h.download(bad, to: "s.bin") }
            XCTAssertEqual(error?.kind, .download, bad)
        }
        try await redirector.close()
    }

    func testTheRunWideCapLimitsConcurrentDownloads() async throws {
        try await h.shutdown()
        h = try await DownloadHarness(options: DownloadOptions(maxConcurrent: 2, retryPolicy: DownloadHarness.quickRetries))
        try h.emulator.addFaults([FaultRule(route: "tryon.file", kind: .latency, latencyMs: 300)])
        let url = h.fileURL(3)
        let harness = h!
        let peak = PeakSampler { harness.counters.snapshot.downloadsActive }
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<6 {
                group.addTask { _ = try await harness.finished(url, to: "cap/\(index).png") }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - started
        peak.stop()
        let maximum = await peak.maximum
        XCTAssertEqual(maximum, 2)
        XCTAssertGreaterThanOrEqual(elapsed, .milliseconds(850), "6 downloads of 300 ms, 2 at a time")
        XCTAssertEqual(h.counters.snapshot.downloadsFinished, 6)
    }

    func testCancellingKeepsThePartAndLeavesTheQueuePromptly() async throws {
        try await h.shutdown()
        h = try await DownloadHarness(options: DownloadOptions(maxConcurrent: 1, retryPolicy: DownloadHarness.quickRetries))
        let harness = h!
        let url = h.fileURL(1)
        let running = Task { try await harness.download(url, to: "first.png") }
        while (h.size("first.png.part") ?? 0) == 0 { try await Task.sleep(for: .milliseconds(2)) }
        let queued = Task { try await harness.download(url, to: "second.png") }
        try await Task.sleep(for: .milliseconds(50))
        let asked = ContinuousClock.now
        queued.cancel()
        let waiting = await assertServiceError { try await queued.value }
        XCTAssertEqual(waiting?.kind, .canceled)
        XCTAssertLessThan(ContinuousClock.now - asked, .milliseconds(500), "a waiter leaves the queue at once")

        running.cancel()
        let transferring = await assertServiceError { try await running.value }
        XCTAssertEqual(transferring?.kind, .canceled)
        XCTAssertGreaterThan(h.size("first.png.part") ?? 0, 0, "the bytes so far are kept for a resume")
        XCTAssertTrue(h.exists("first.png.part.meta"))
        XCTAssertFalse(h.exists("first.png"))
        XCTAssertEqual(h.counters.snapshot.downloadsActive, 0)

        let resumed = try await h.finished(url, to: "first.png")
        XCTAssertTrue(resumed.resumed)
        let expected = try await h.info(url)
        XCTAssertEqual(resumed.sha256, expected.sha256)
    }

    func testTheSameDestinationTwiceAtOnceIsRefused() async throws {
        try h.emulator.addFaults([FaultRule(route: "tryon.file", kind: .latency, latencyMs: 300)])
        let url = h.fileURL(3)
        let harness = h!
        async let first = harness.download(url, to: "same.png")
        try await Task.sleep(for: .milliseconds(100))
        let error = await assertServiceError { try await harness.download(url, to: "same.png") }
        XCTAssertEqual(error?.kind, .download)
        XCTAssertTrue(error?.message.contains("another download") ?? false, error?.message ?? "")
        guard case .finished = try await first else { return XCTFail("the first download must finish") }
    }
}

/// Samples a value every millisecond and keeps the largest.
final class PeakSampler: Sendable {
    private let task: Task<Int, Never>

    init(_ sample: @escaping @Sendable () -> Int) {
        task = Task {
            var peak = 0
            while !Task.isCancelled {
                peak = max(peak, sample())
                try? await Task.sleep(for: .milliseconds(1))
            }
            return peak
        }
    }

    func stop() { task.cancel() }

    var maximum: Int {
        get async { await task.value }
    }
}
