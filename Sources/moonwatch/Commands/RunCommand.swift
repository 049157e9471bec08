import ArgumentParser
import Foundation
import Bindings
import Lua
import Runtime
import Services
import Transport

/// `moonwatch run SCRIPT [ARG ...]`
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one workflow script; ARGs reach it as `args`."
    )

    @OptionGroup var options: ScriptOptions
    @OptionGroup var services: ServiceOptions

    @Argument(help: "The Lua script.")
    var script: String

    @Argument(parsing: .captureForPassthrough, help: "Arguments for the script.")
    var arguments: [String] = []

    func run() throws {
        let redactor = Redactor()
        let logger = options.logger(redactor: redactor)
        let metrics = RunMetrics(options.metrics)
        let setup: ServiceSetup
        do {
            setup = try ServiceSetup.forScript(
                script, options: services, outFlag: options.out, redactor: redactor, logger: logger,
                metrics: metrics?.registry.factory)
        } catch let error as ServiceError {
            Console.error("moonwatch: \(error.message)")
            throw ExitCode(2)
        }
        defer { setup.shutdown() }

        let runtime: Runtime
        do throws(ScriptError) {
            runtime = try Runtime(scriptPath: script, options: options.runtimeOptions(logger: logger))
            try ScriptEnvironment.install(in: runtime, outDirectory: setup.configuration.out, arguments: arguments)
            try APIModule.install(in: runtime, hub: setup.hub)
            try HTTPModule.install(in: runtime, downloader: setup.downloader)
        } catch {
            Console.error("moonwatch: \(error.message)")
            throw ExitCode(2)
        }
        // Once the script compiled: from here on the run goes ahead.
        try metrics?.start(logger: logger)
        defer { metrics?.stop() }
        let signals = InterruptSignals(grace: options.grace, onInterrupt: runtime.interrupter)
        defer { withExtendedLifetime(signals) {} }
        let started = Date()
        let line = RunProgressLine(requests: setup.hub.counters, started: started)
        let progress = options.progressReporter(command: "run") { line.text() }
        let report: RunReport
        do throws(ScriptError) {
            report = try runtime.run(arguments: arguments)
        } catch {
            progress.stop()
            Console.error(error.message)
            throw ExitCode(2)
        }
        progress.stop()
        printSummary(setup.hub.snapshot, elapsed: Date().timeIntervalSince(started))
        switch report.outcome {
        case .failed(_, let traceback, _):
            Console.error("moonwatch: \(redactor.redact(traceback))")
        case .interrupted:
            Console.error("moonwatch: interrupted")
        case .succeeded:
            break
        }
        if report.unobservedFailures > 0 {
            Console.error("moonwatch: \(report.unobservedFailures) task(s) failed and nobody waited for them (see the log above)")
        }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }

    /// The service summary, when the script used a service or downloaded anything.
    private func printSummary(_ requests: RunCounters.Snapshot, elapsed: Double) {
        guard requests.totalRequests > 0 || requests.downloadsFinished > 0 else { return }
        let summary = ServiceSummary(
            requests: requests, bytesDownloaded: Int(requests.downloadBytes),
            filesDownloaded: requests.downloadsFinished - requests.downloadsSkipped, elapsed: elapsed)
        Console.error("\n" + summary.lines.joined(separator: "\n"))
    }
}
