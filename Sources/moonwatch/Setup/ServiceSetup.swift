import CoreMetrics
import Emulator
import Foundation
import Logging
import RunConfiguration
import Services
import Transport

/// The services of one run: the configuration, the HTTP transport, the hub of
/// clients, the downloader and, with `--emulator`, the in-process emulator they talk to.
final class ServiceSetup {
    let configuration: MoonwatchConfiguration
    let hub: ServiceHub
    let downloader: Downloader
    private let transport: HTTP1Transport
    private let emulator: RunningEmulator?

    /// - Parameters:
    ///   - metrics: the run's metrics factory (`--metrics`), which the hub's counters record into.
    ///   - listsDownloads: the downloader keeps every finished file (`moonwatch run`'s report).
    /// - Throws: a `config` ServiceError naming the file, key or variable at fault.
    init(
        options: ServiceOptions, outFlag: String?, redactor: Redactor, logger: Logger, metrics: (any MetricsFactory)? = nil,
        listsDownloads: Bool = false
    ) throws {
        var environment = ProcessInfo.processInfo.environment
        let flags = outFlag.map { [(key: "out", value: $0)] } ?? []
        if options.emulator {
            let speed = options.emulatorSpeed
            let running = try blocking { try await Emulator.start(EmulatorOptions(speed: speed)) }
            emulator = running
            environment.merge(Self.demoEnvironment) { _, demo in demo }
            logger.info("emulator serving on \(running.baseURL)")
            configuration = try MoonwatchConfiguration.load(
                toml: running.configTOML, file: "the emulator's configuration", profile: options.profile,
                environment: environment, flags: flags)
        } else {
            emulator = nil
            let path = options.config ?? (FileManager.default.fileExists(atPath: "moonwatch.toml") ? "moonwatch.toml" : nil)
            if let path {
                configuration = try MoonwatchConfiguration.load(
                    contentsOf: path, profile: options.profile, environment: environment, flags: flags)
            } else {
                configuration = try MoonwatchConfiguration.load(
                    toml: nil, file: "moonwatch.toml", profile: options.profile, environment: environment, flags: flags)
            }
        }
        transport = HTTP1Transport()
        hub = ServiceHub(
            configuration: configuration, environment: environment, transport: transport,
            tryonBlockBackoff: BlockBackoff(cooldown: options.tryonCooldown), logger: logger, redactor: redactor,
            metrics: metrics)
        downloader = Downloader(
            outDirectory: configuration.out, options: DownloadOptions(maxConcurrent: options.maxDownloads),
            counters: hub.counters, redactor: redactor, logger: logger, listsFinished: listsDownloads)
    }

    /// The services for running `script`, with the configuration and credential
    /// problems of those it uses reported before any request.
    /// - Throws: a `config` ServiceError (the setup is shut down then), or what setting up threw.
    static func forScript(
        _ script: String, options: ServiceOptions, outFlag: String?, redactor: Redactor, logger: Logger,
        metrics: (any MetricsFactory)? = nil, listsDownloads: Bool = false
    ) throws -> ServiceSetup {
        let setup = try ServiceSetup(
            options: options, outFlag: outFlag, redactor: redactor, logger: logger, metrics: metrics, listsDownloads: listsDownloads)
        do throws(ServiceError) {
            try setup.checkServices(usedBy: script)
        } catch {
            setup.shutdown()
            throw error
        }
        return setup
    }

    /// Reports the configuration and credential problems of the services the
    /// script uses, before any request.
    /// - Throws: one `config` ServiceError listing them, one per line.
    private func checkServices(usedBy script: String) throws(ServiceError) {
        let problems = hub.problems(for: ScriptServices.used(inScriptAt: script))
        guard let first = problems.first else { return }
        var error = first
        error.message = problems.map(\.message).joined(separator: "\nmoonwatch: ")
        throw error
    }

    /// The environment variables the emulator's configuration names, with its demo credentials.
    static let demoEnvironment = [
        "TRYON_OPEN_ID": DemoCredentials.tryOnOpenID,
        "TRYON_API_KEY": DemoCredentials.tryOnAPIKey,
        "CLOUD_SDK_AK": DemoCredentials.accessKey,
        "CLOUD_SDK_SK": DemoCredentials.secretKey,
    ]

    /// Closes connections and stops the emulator.
    func shutdown() {
        let transport = self.transport
        let downloader = self.downloader
        let emulator = self.emulator
        try? blocking {
            try? await transport.shutdown()
            try? await downloader.shutdown()
            await emulator?.shutdown()
        }
    }
}
