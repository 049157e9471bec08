import AsyncHTTPClient
import Emulator
import Foundation
import NIOCore
import XCTest

@testable import JSON
@testable import RunConfiguration
@testable import Services
@testable import Transport

/// One emulator serving result files of known sizes, and a downloader writing
/// into a scratch out directory, with quick retries.
final class DownloadHarness: Sendable {
    /// Public try-on files (`/oss/result/ID/body.png`) by id, and their sizes.
    static let tryOnFiles: [Int64: Int] = [1: 1 << 20, 2: 256 << 10, 3: 96 << 10]
    /// The ModelArts sample behind a signed URL (`/obs/...`).
    static let sampleSize = 512 << 10

    static func scenario(sampleSize: Int = sampleSize) -> Scenario {
        Scenario(
            tryon: .init(jobs: tryOnFiles.map { id, size in
                TryOnJob(infID: id, timeline: [.init(state: 2)], files: .init(body: .init(size: size), show: .init(size: 10)))
            }),
            modelarts: .init(tasks: [
                ModelArtsTask(taskID: "t", versionID: "v", samples: [ModelArtsSample(resultProperty: 0, name: "sample.bin", size: sampleSize)])
            ]))
    }

    /// Retries come quickly in tests.
    static let quickRetries = RetryPolicy(maxAttempts: 4, baseDelay: 0.01, maxDelay: 0.05)

    let emulator: RunningEmulator
    let out: String
    let counters = RunCounters()
    let downloader: Downloader
    private let transport = HTTP1Transport()
    private let hub: ServiceHub

    init(options: DownloadOptions = DownloadOptions(retryPolicy: quickRetries), out: String? = nil, seed: UInt64 = 0) async throws {
        emulator = try await Emulator.start(EmulatorOptions(seed: seed, scenario: Self.scenario()))
        self.out = out ?? FileManager.default.temporaryDirectory.appendingPathComponent("moonwatch-dl-\(UUID().uuidString)").path
        downloader = Downloader(outDirectory: self.out, options: options, counters: counters)
        let environment = ["CLOUD_SDK_AK": DemoCredentials.accessKey, "CLOUD_SDK_SK": DemoCredentials.secretKey]
        let configuration = try MoonwatchConfiguration.load(toml: emulator.configTOML, environment: environment)
        hub = ServiceHub(configuration: configuration, environment: environment, transport: transport)
    }

    func shutdown() async throws {
        try await downloader.shutdown()
        try await transport.shutdown()
        await emulator.shutdown()
        try? FileManager.default.removeItem(atPath: out)
    }

    /// The public URL of try-on file `id`.
    func fileURL(_ id: Int64) -> String { emulator.baseURL + "/oss/result/\(id)/body.png" }

    /// A freshly signed URL of the ModelArts sample, from a results listing as scripts get it.
    func signedURL() async throws -> String {
        let page = try await hub.modelarts().results(.init(taskID: "t", versionID: "v"))
        guard let url = page.fields["results"]?.arrayValue?.first?["signed_new_source"]?.stringValue else {
            throw HarnessFailure("no signed_new_source in \(page.fields)")
        }
        return url
    }

    /// Size and digests of the object behind `url`, from the emulator's admin API.
    func info(_ url: String) async throws -> (size: Int64, sha256: String, md5: String) {
        let path = String(url.dropFirst(emulator.baseURL.count)).split(separator: "?")[0]
        let encoded = path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? String(path)
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: emulator.baseURL + "/_emulator/objects/info?path=" + encoded), timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 16)
        let info = try JSONParser.parse(Array(body.readableBytesView))
        guard let size = info["size"]?.int64Value, let sha256 = info["sha256"]?.stringValue, let md5 = info["md5"]?.stringValue else {
            throw HarnessFailure("unexpected object info \(info)")
        }
        return (size, sha256, md5)
    }

    func download(
        _ url: String, to destination: String, checks: DownloadChecks = DownloadChecks(), overwrite: Bool = false,
        canRefresh: Bool = false
    ) async throws -> DownloadOutcome {
        try await downloader.download(
            DownloadRequest(url: url, destination: destination, checks: checks, overwrite: overwrite, canRefresh: canRefresh))
    }

    /// Downloads and expects a finished file.
    func finished(
        _ url: String, to destination: String, checks: DownloadChecks = DownloadChecks(), overwrite: Bool = false,
        file: StaticString = #filePath, line: UInt = #line
    ) async throws -> DownloadResult {
        let outcome = try await download(url, to: destination, checks: checks, overwrite: overwrite)
        guard case .finished(let result) = outcome else {
            XCTFail("expected a finished download, got \(outcome)", file: file, line: line)
            throw HarnessFailure("not finished")
        }
        return result
    }

    /// Body bytes the emulator served on `route` (`tryon.file`, `obs.object`).
    func served(_ route: String) -> Int { emulator.counters().bytesServedByRoute[route] ?? 0 }

    /// Requests the emulator answered on `route`, by status.
    func requests(_ route: String) -> [String: Int] { emulator.counters().requests[route] ?? [:] }

    func path(_ destination: String) -> String { out + "/" + destination }

    func exists(_ destination: String) -> Bool { FileManager.default.fileExists(atPath: path(destination)) }

    func size(_ destination: String) -> Int64? {
        (try? FileManager.default.attributesOfItem(atPath: path(destination))[.size] as? NSNumber)?.int64Value
    }

    /// SHA-256 of a file in the out directory.
    func sha256(_ destination: String) -> String? {
        FileDigests.ofFile(path(destination), md5: false)?.finish().sha256
    }
}

struct HarnessFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
