import Batch
import Emulator
import Foundation
import Logging
import RunConfiguration
import Runtime
import Services
import Transport
import XCTest

/// Runs batches in this process through the `Batch` target, against an
/// emulator on a free loopback port, in the scratch folder of a ``BatchHarness``
/// (whose files the tests write and read).
final class InProcessBatch {
    let files: BatchHarness
    let emulator: RunningEmulator

    /// What a run left: its result, or the problem that kept it from starting,
    /// and everything logged (the script's `log`, bad rows, resumes).
    struct Outcome: Sendable {
        var result: BatchResult?
        var setupError: BatchSetupError?
        var log: String
    }

    init(scenario: Scenario? = nil) async throws {
        files = try BatchHarness()
        emulator = try await Emulator.start(EmulatorOptions(scenario: scenario))
    }

    func shutdown() async { await emulator.shutdown() }

    func path(_ name: String) -> String { files.folder.appendingPathComponent(name).path }

    /// Runs SCRIPT over INPUT (names in the folder) with fresh services, as one
    /// `moonwatch batch` would; the journal defaults to `out/.moonwatch/state.sqlite`.
    func run(
        _ script: String, input: String, state: String? = nil, workers: Int = 2, concurrency: Int = 8,
        retryFailed: Bool = false, maxFailures: FailureLimit = .count(0)
    ) async throws -> Outcome {
        let log = LogCapture()
        let logger = Logger(label: "batch-tests") { _ in log }
        let redactor = Redactor()
        var environment = ProcessInfo.processInfo.environment
        environment.merge([
            "TRYON_OPEN_ID": DemoCredentials.tryOnOpenID, "TRYON_API_KEY": DemoCredentials.tryOnAPIKey,
            "CLOUD_SDK_AK": DemoCredentials.accessKey, "CLOUD_SDK_SK": DemoCredentials.secretKey,
        ]) { _, demo in demo }
        let out = path("out")
        let configuration = try MoonwatchConfiguration.load(
            toml: emulator.configTOML, file: "the emulator's configuration", environment: environment, flags: [("out", out)])
        let transport = HTTP1Transport()
        let hub = ServiceHub(configuration: configuration, environment: environment, transport: transport, logger: logger, redactor: redactor)
        let downloader = Downloader(outDirectory: out, counters: hub.counters, redactor: redactor, logger: logger)
        let settings = BatchSettings(
            scriptPath: path(script), inputPath: path(input),
            journal: try JournalAddress(state ?? out + "/.moonwatch/state.sqlite", password: nil),
            outDirectory: out, runtimeOptions: RuntimeOptions(logger: logger), hub: hub, downloader: downloader,
            concurrency: concurrency, workers: workers, retryFailed: retryFailed, maxFailures: maxFailures,
            logger: logger, redactor: redactor)
        let outcome = try await Self.onItsOwnThread { () throws -> Outcome in
            do {
                let session = try BatchSession(settings)
                return Outcome(result: try session.run(), log: log.text)
            } catch let error as BatchSetupError {
                return Outcome(setupError: error, log: log.text)
            }
        }
        try await transport.shutdown()
        try await downloader.shutdown()
        return outcome
    }

    /// The session blocks its caller until the workers' threads are through:
    /// not on a thread of the concurrency pool, which the services need meanwhile.
    private static func onItsOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result(catching: body)) }
        }
    }
}

/// Every line logged, as text.
private final class LogCapture: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lock.withLock { lines.append("\(event.level) \(event.message)") }
    }

    var text: String { lock.withLock { lines.joined(separator: "\n") } }
}
