import ArgumentParser
import Foundation
import Bindings
import Lua
import Report
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
                metrics: metrics?.registry.factory, listsDownloads: true)
        } catch let error as ServiceError {
            Console.error("moonwatch: \(error.message)")
            throw ExitCode(2)
        }
        defer { setup.shutdown() }

        let runtime: Runtime
        let records = RecordWriter(outDirectory: setup.configuration.out)
        do throws(ScriptError) {
            runtime = try Runtime(scriptPath: script, options: options.runtimeOptions(logger: logger))
            try ScriptEnvironment.install(in: runtime, arguments: arguments, records: records)
            try APIModule.install(in: runtime, hub: setup.hub)
            try HTTPModule.install(in: runtime, downloader: setup.downloader, hub: setup.hub)
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
        let ended = Date()
        printSummary(setup.hub.snapshot, elapsed: ended.timeIntervalSince(started))
        writePage(
            ReportHeader(
                command: redactor.redact(CommandLineText.current), started: started, ended: ended, exitStatus: report.exitCode,
                version: MoonwatchVersion.current),
            setup: setup, records: records)
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

    /// `OUT/report.html`: what the run did and a gallery of its files, once the
    /// run has used OUT or a service (a script that only computes and logs gets
    /// no page, as it gets no summary table). A failure to write it is reported,
    /// and does not change the run's exit status.
    private func writePage(_ header: ReportHeader, setup: ServiceSetup, records: RecordWriter) {
        let out = setup.configuration.out
        let counters = setup.hub.snapshot
        guard counters.totalRequests > 0 || counters.downloadsFinished > 0 || records.count > 0 else { return }
        let content = ReportContent.run(
            header: header, counters: counters, downloads: setup.downloader.finished,
            emittedImages: records.images, outDirectory: out)
        do {
            try ReportPage(content: content, directory: out).write()
        } catch {
            Console.error("moonwatch: cannot write \(out)/\(ReportPage.fileName): \(error.localizedDescription)")
        }
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
