import Emulator
import Foundation
import MetricsTestSupport
import XCTest

/// `moonwatch batch --metrics 127.0.0.1:0` through the binary against the
/// emulator: scraped all along the run, the counters only grow, and the last
/// scrape says what the end summary says.
final class MetricsBatchTests: XCTestCase {
    /// Each item waits for its MetaStudio job (polled every 0.25 s; the jobs take
    /// 1 to 2 s) and fetches the cover of a succeeded one; `done` waits 2 s, so
    /// the last scrapes come after the last count.
    static let script = """
        function handle(item)
          local r = api.metastudio.wait{job_id = item.id, initial_delay = 0, min_delay = 0.25, max_delay = 0.25, timeout = 60}
          if r.status ~= "succeeded" then error("job " .. item.id .. " " .. r.status) end
          http.download(r.model_cover_url, "covers/" .. item.id .. ".jpg")
        end
        function done(summary) task.sleep(2) end
        """

    func testScrapesDuringABatchGrowAndTheLastEqualsTheEndSummary() async throws {
        var jobs: [MetaStudioJob] = []
        for n in 1...8 {
            let end = n % 4 == 0 ? "FAILED" : "SUCCEED"
            jobs.append(MetaStudioJob(
                jobID: "job-\(n)",
                timeline: [TimelineStep(state: "WAITING", seconds: 0.5 + 0.1 * Double(n)), TimelineStep(state: "PROCESSING", seconds: 0.5),
                    TimelineStep(state: end)],
                error: end == "FAILED" ? ServiceErrorInfo(errorCode: "MSS.00010001", errorMsg: "No face was detected") : nil))
        }
        let emulator = try await Emulator.start(EmulatorOptions(scenario: Scenario(metastudio: MetaStudioSettings(jobs: jobs))))
        // A 503 and a 429 (each retried once), so retries and throttled answers are counted too.
        try emulator.addFaults([
            FaultRule(route: "metastudio.job", kind: .error, status: 503, requests: [3]),
            FaultRule(route: "metastudio.job", kind: .throttle, retryAfter: 1, requests: [6]),
        ])
        var harness = try BatchHarness()
        harness.environment.merge(["CLOUD_SDK_AK": DemoCredentials.accessKey, "CLOUD_SDK_SK": DemoCredentials.secretKey]) { _, demo in demo }
        try harness.write("moonwatch.toml", emulator.configTOML)
        try harness.write("job.lua", Self.script)
        try harness.write("items.jsonl", (1...8).map { #"{"id":"job-\#($0)"}"# }.joined(separator: "\n") + "\n")
        let started = try harness.start([
            "batch", "--config", "moonwatch.toml", "--metrics", "127.0.0.1:0", "--no-progress", "--workers", "1",
            "--concurrency", "4", "--max-failures", "50%", "--input", "items.jsonl", "job.lua",
        ])
        let process = started.0
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        let url = try await Scrape.announcedURL(inFile: started.1, of: process)
        if url == nil { kill(process.processIdentifier, SIGKILL) }
        let metricsURL = try XCTUnwrap(url, "no metrics line: \(harness.finish(started).stderr)")
        XCTAssertTrue(metricsURL.hasPrefix("http://127.0.0.1:") && metricsURL.hasSuffix("/metrics"), metricsURL)
        XCTAssertFalse(metricsURL.hasPrefix("http://127.0.0.1:0/"), "the port the system picked")

        var scrapes: [Exposition] = []
        let deadline = Date().addingTimeInterval(90)
        while process.isRunning, Date() < deadline {
            // The last tries may find the server gone: the run is ending.
            if let text = try? await Scrape.text(metricsURL, timeout: 2) {
                scrapes.append(try Exposition(parsing: text))
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        XCTAssertFalse(process.isRunning, "the batch ended within 90 s")
        let result = harness.finish(started)
        XCTAssertEqual(result.status, 0, result.stderr)
        await emulator.shutdown()

        // The exposition format: TYPE lines for what was recorded.
        let last = try XCTUnwrap(scrapes.last, "no scrape succeeded")
        XCTAssertGreaterThan(scrapes.count, 5, "scraped all along the run")
        XCTAssertEqual(last.types["moonwatch_requests_total"], "counter")
        XCTAssertEqual(last.types["moonwatch_items"], "gauge")
        XCTAssertEqual(last.types["moonwatch_request_duration_seconds"], "histogram")

        // The poll counter only grows, and it grew while the jobs ran.
        let polls = scrapes.map { $0.value("moonwatch_requests_total", ["service": "metastudio"]) ?? -1 }
        XCTAssertFalse(polls.contains(-1), "every scrape has the MetaStudio poll counter")
        XCTAssertEqual(polls, polls.sorted(), "never decreases: \(polls)")
        XCTAssertLessThan(polls.first ?? 0, polls.last ?? 0, "grew between scrapes: \(polls)")

        // The last scrape is the end summary.
        let summary = try EndSummary(result.stderr)
        let metastudio = ["service": "metastudio"]
        XCTAssertEqual(last.value("moonwatch_requests_total", metastudio), Double(summary.polls), result.stderr)
        XCTAssertEqual(last.value("moonwatch_retries_total", metastudio), Double(summary.retries), result.stderr)
        XCTAssertEqual(last.value("moonwatch_throttled_total", metastudio), Double(summary.throttled), result.stderr)
        XCTAssertEqual(last.value("moonwatch_downloaded_files_total"), Double(summary.files), result.stderr)
        XCTAssertEqual(last.value("moonwatch_items", ["outcome": "done"]), Double(summary.done), result.stderr)
        XCTAssertEqual(last.value("moonwatch_items", ["outcome": "failed"]), Double(summary.failed), result.stderr)
        XCTAssertEqual(last.value("moonwatch_items_in_flight"), 0)
        // And what the run did, so the equalities above are not of zeros.
        XCTAssertEqual(summary.done, 6)
        XCTAssertEqual(summary.failed, 2)
        XCTAssertEqual(summary.files, 6)
        XCTAssertGreaterThanOrEqual(summary.retries, 2)
        XCTAssertEqual(summary.throttled, 1)
        XCTAssertEqual(last.value("moonwatch_request_duration_seconds_count", metastudio), Double(summary.polls))
    }
}

/// The figures of the table `moonwatch batch` ends with (BatchSummaryTable).
private struct EndSummary {
    var done = 0, failed = 0, polls = 0, retries = 0, throttled = 0, files = 0

    struct Missing: Error, CustomStringConvertible { var description: String }

    init(_ stderr: String) throws {
        let lines = stderr.split(separator: "\n").map(String.init)
        func words(startingWith prefix: String) throws -> [String] {
            guard let line = lines.last(where: { $0.hasPrefix(prefix) }) else { throw Missing(description: "no '\(prefix)' line in \(stderr)") }
            return line.split(separator: " ").map(String.init)
        }
        done = Int(try words(startingWith: "  done")[1]) ?? -1
        failed = Int(try words(startingWith: "  failed")[1]) ?? -1
        let row = try words(startingWith: "  metastudio")
        (polls, retries, throttled) = (Int(row[1]) ?? -1, Int(row[2]) ?? -1, Int(row[3]) ?? -1)
        // "downloaded       12.3 KB (6 files)"
        let downloaded = try words(startingWith: "downloaded ")
        files = downloaded.firstIndex(of: "files)").flatMap { Int(downloaded[$0 - 1].dropFirst()) } ?? -1
    }
}
