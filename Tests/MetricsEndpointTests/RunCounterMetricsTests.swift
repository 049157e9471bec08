import MetricsEndpoint
import MetricsTestSupport
import XCTest

@testable import Services
@testable import Transport

/// RunCounters counts once, into its snapshot (the end summary) and its
/// metrics together, so the two agree by construction.
final class RunCounterMetricsTests: XCTestCase {
    func testEveryCountReachesTheScrapeAndTheSnapshotAlike() throws {
        let registry = MetricsRegistry()
        let counters = RunCounters(metrics: registry.factory)
        for _ in 0..<5 { counters.countRequest("metastudio") }
        counters.countRequest("tryon")
        counters.countRetry("metastudio")
        counters.countRetry("download")
        counters.countThrottled("metastudio")
        for _ in 0..<3 { counters.addMilliCoins(100) }
        counters.addDownloadedBytes(1000)
        counters.addDownloadedBytes(24)
        counters.countDownloadFinished(skipped: false)
        counters.countDownloadFinished(skipped: true)
        counters.countError("metastudio", kind: .notFound)
        counters.countError("metastudio", kind: .notFound)
        counters.countError("download", kind: .checksum)
        counters.recordRequestDuration("metastudio", seconds: 0.003)
        counters.recordRequestDuration("metastudio", seconds: 0.2)
        counters.recordRequestDuration("metastudio", seconds: 120)

        let scrape = try Exposition(parsing: registry.exposition())
        let snapshot = counters.snapshot
        for (service, polls) in snapshot.requests {
            XCTAssertEqual(scrape.value("moonwatch_requests_total", ["service": service]), Double(polls), service)
        }
        for (service, retries) in snapshot.retries {
            XCTAssertEqual(scrape.value("moonwatch_retries_total", ["service": service]), Double(retries), service)
        }
        XCTAssertEqual(scrape.value("moonwatch_throttled_total", ["service": "metastudio"]), 1)
        XCTAssertEqual(scrape.value("moonwatch_requests_total", ["service": "faceedge"]), 0, "every service's series exists from the start")
        XCTAssertEqual(scrape.value("moonwatch_tryon_coins_spent"), snapshot.coinsSpent)
        XCTAssertEqual(scrape.value("moonwatch_tryon_coins_spent"), 0.3, "the exact total, not a sum of 0.1s")
        XCTAssertEqual(scrape.value("moonwatch_downloaded_bytes_total"), Double(snapshot.downloadBytes))
        XCTAssertEqual(
            scrape.value("moonwatch_downloaded_files_total"), Double(snapshot.downloadsFinished - snapshot.downloadsSkipped),
            "fetched files, as the summary counts them")
        XCTAssertEqual(scrape.value("moonwatch_service_errors_total", ["service": "metastudio", "kind": "not_found"]), 2)
        XCTAssertEqual(scrape.value("moonwatch_service_errors_total", ["service": "download", "kind": "checksum"]), 1)

        XCTAssertEqual(scrape.types["moonwatch_requests_total"], "counter")
        XCTAssertEqual(scrape.types["moonwatch_tryon_coins_spent"], "gauge")
        XCTAssertEqual(scrape.types["moonwatch_request_duration_seconds"], "histogram")
        let duration = ["service": "metastudio"]
        XCTAssertEqual(scrape.value("moonwatch_request_duration_seconds_count", duration), 3)
        XCTAssertEqual(scrape.value("moonwatch_request_duration_seconds_bucket", duration.merging(["le": "0.005"]) { $1 }), 1)
        XCTAssertEqual(scrape.value("moonwatch_request_duration_seconds_bucket", duration.merging(["le": "60.0"]) { $1 }), 2)
        XCTAssertEqual(scrape.value("moonwatch_request_duration_seconds_bucket", duration.merging(["le": "+Inf"]) { $1 }), 3)
    }

    func testANameOutsideTheFixedSetCountsAsOther() throws {
        let registry = MetricsRegistry()
        let counters = RunCounters(metrics: registry.factory)
        counters.countRequest("https://example.com/secret?X-Amz-Signature=abc")
        counters.countError("job-42", kind: .server)
        let text = registry.exposition()
        let scrape = try Exposition(parsing: text)
        XCTAssertEqual(scrape.value("moonwatch_requests_total", ["service": "other"]), 1)
        XCTAssertEqual(scrape.value("moonwatch_service_errors_total", ["service": "other", "kind": "server"]), 1)
        XCTAssertFalse(text.contains("example.com") || text.contains("job-42"), text)
        XCTAssertEqual(counters.snapshot.requests.count, 1, "the summary keeps the name it was given")
    }

    func testWithoutAFactoryNothingIsRecorded() {
        let counters = RunCounters()
        counters.countRequest("tryon")
        counters.countError("tryon", kind: .auth)
        XCTAssertEqual(counters.snapshot.requests["tryon"], 1)
    }
}
