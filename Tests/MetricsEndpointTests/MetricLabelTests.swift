import Emulator
import Foundation
import MetricsEndpoint
import MetricsTestSupport
import XCTest

@testable import RunConfiguration
@testable import Services
@testable import Transport

/// No label carries a URL, a signature, a key or a job id: after real calls
/// against the emulator, signed downloads among them, good and forged, every
/// label value of the scrape is a service name, an error kind or an outcome.
final class MetricLabelTests: XCTestCase {
    static let services = Set(ServiceName.allCases.map(\.rawValue) + ["http", "download", "other"])
    static let kinds = Set(ServiceError.Kind.allCases.map(\.rawValue))

    func testLabelsComeFromFixedSetsOnlyWithSignedURLsAndFailures() async throws {
        let scenario = Scenario(
            metastudio: .init(jobs: [MetaStudioJob(jobID: "job-secret-77", timeline: [TimelineStep(state: "SUCCEED")])]),
            modelarts: .init(tasks: [
                ModelArtsTask(taskID: "t", versionID: "v", samples: [ModelArtsSample(resultProperty: 0, name: "s.bin", size: 4096)])
            ]))
        let emulator = try await Emulator.start(EmulatorOptions(scenario: scenario))
        try emulator.addFaults([
            FaultRule(route: "metastudio.job", kind: .throttle, retryAfter: 0, requests: [1]),
            FaultRule(route: "metastudio.job", kind: .error, status: 500, requests: [3, 4]),
        ])
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("moonwatch-labels-\(UUID().uuidString)").path
        let registry = MetricsRegistry()
        let environment = ["CLOUD_SDK_AK": DemoCredentials.accessKey, "CLOUD_SDK_SK": DemoCredentials.secretKey]
        let configuration = try MoonwatchConfiguration.load(toml: emulator.configTOML, environment: environment)
        let transport = HTTP1Transport()
        let quick = RetryPolicy(maxAttempts: 2, baseDelay: 0.01, maxDelay: 0.02)
        let hub = ServiceHub(
            configuration: configuration, environment: environment, transport: transport,
            retryPolicies: [.metastudio: quick, .modelarts: quick], metrics: registry.factory)
        let downloader = Downloader(
            outDirectory: out, options: DownloadOptions(retryPolicy: quick), counters: hub.counters, redactor: hub.redactor)

        // A call that succeeds after a throttled answer, one that fails, a page of signed URLs.
        _ = try await hub.call(.metastudio) { () async throws(ServiceError) in try await hub.metastudio().job(jobID: "job-secret-77") }
        do {
            _ = try await hub.call(.metastudio) { () async throws(ServiceError) in try await hub.metastudio().job(jobID: "no-such-job") }
            XCTFail("the third and fourth queries fail: the call does, after its two attempts")
        } catch {}
        let page = try await hub.call(.modelarts) { () async throws(ServiceError) in
            try await hub.modelarts().results(.init(taskID: "t", versionID: "v"))
        }
        let signed = try XCTUnwrap(page.fields["results"]?.arrayValue?.first?["signed_new_source"]?.stringValue)
        XCTAssertTrue(signed.contains("Signature="), signed)
        // The signed URL as given, then forged, then with a token-looking query.
        _ = try await downloader.download(DownloadRequest(url: signed, destination: "s.bin"))
        let forged = signed.replacingOccurrences(of: "Signature=", with: "Signature=forged")
        let tokenURL = emulator.baseURL + "/obs/none/x.bin?X-Amz-Signature=deadbeef&token=abc"
        for url in [forged, tokenURL] {
            do {
                _ = try await downloader.download(DownloadRequest(url: url, destination: "bad.bin"))
                XCTFail("\(url) downloaded")
            } catch {}
        }

        let text = registry.exposition()
        let scrape = try Exposition(parsing: text)
        XCTAssertGreaterThan(scrape.sum("moonwatch_service_errors_total"), 2, "the failures were counted: \(text)")
        XCTAssertEqual(scrape.value("moonwatch_throttled_total", ["service": "metastudio"]), 1, text)
        XCTAssertEqual(scrape.value("moonwatch_downloaded_files_total"), 1, text)
        for sample in scrape.samples {
            for (name, value) in sample.labels {
                switch name {
                case "service": XCTAssertTrue(Self.services.contains(value), "\(sample)")
                case "kind": XCTAssertTrue(Self.kinds.contains(value), "\(sample)")
                case "le": XCTAssertNotNil(Double(value), "\(sample)")
                default: XCTFail("a label outside the fixed set: \(sample)")
                }
            }
        }
        for secret in [
            "://", "Signature", "X-Amz", "token", "AccessKeyId", "job-secret-77", "no-such-job", DemoCredentials.accessKey,
            emulator.baseURL,
        ] {
            XCTAssertFalse(text.contains(secret), "the scrape holds '\(secret)'")
        }

        try await downloader.shutdown()
        try await transport.shutdown()
        await emulator.shutdown()
        try? FileManager.default.removeItem(atPath: out)
    }
}
