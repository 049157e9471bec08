import ArgumentParser
import Batch
import Foundation
import Journal
import Services
import Transport

/// `moonwatch batch SCRIPT --input FILE`: calls the script's `handle(item)` for
/// every row of FILE, durably: a journal records every item, so a run that is stopped or killed resumes.
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Call the script's handle(item) for every row of --input, resumably."
    )

    @OptionGroup var options: ScriptOptions
    @OptionGroup var services: ServiceOptions

    @Option(name: .long, help: "The items: .jsonl (one object per line) or .csv (a header row).")
    var input: String

    @Option(name: .long, help: "Items in flight per VM (default: the configuration's `concurrency`, 64).")
    var concurrency: Int?

    @Option(name: .long, help: "Lua VMs, each on its own thread (default: the number of cores).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: ArgumentHelp(
        "The journal: a SQLite path (default: OUT/.moonwatch/state.sqlite; :memory: keeps nothing), or postgres://USER@HOST[:PORT]/DB to share the batch between machines (default: [journal] url).",
        valueName: "path-or-url"))
    var state: String?

    @Option(name: .long, help: "Seconds a shared journal's item stays claimed without its worker's heartbeat (default: [journal] lease, 60).")
    var lease: Int?

    @Flag(name: .long, help: "Redo the items that failed in earlier runs.")
    var retryFailed = false

    @Option(name: .long, help: "Failed items tolerated before exiting with 1: a count N or a share P% (default 0).")
    var maxFailures: FailureLimit = .count(0)

    @Argument(help: "The Lua script; it defines handle(item), and may define setup() and done(summary).")
    var script: String

    func validate() throws {
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be 1 or more") }
        if let lease, lease < 4 { throw ValidationError("--lease must be 4 seconds or more") }
        guard workers >= 1 else { throw ValidationError("--workers must be 1 or more") }
    }

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
            throw usageFailure(error.message)
        }
        defer { setup.shutdown() }
        // Before the journal is opened, so an address that cannot be listened on changes nothing.
        try metrics?.start(logger: logger)
        defer { metrics?.stop() }
        let out = setup.configuration.out
        let journal: JournalAddress
        do {
            journal = try JournalAddress.of(state: state, configuration: setup.configuration, redactor: redactor)
        } catch {
            throw usageFailure(error.message)
        }
        if lease != nil && !journal.isShared {
            throw usageFailure("--lease is for a journal shared through PostgreSQL; \(journal) is a SQLite file, held by one run")
        }
        var settings = BatchSettings(
            scriptPath: script, inputPath: input, journal: journal, outDirectory: out,
            runtimeOptions: options.runtimeOptions(logger: logger), hub: setup.hub, downloader: setup.downloader,
            concurrency: concurrency ?? setup.configuration.concurrency, workers: workers, retryFailed: retryFailed,
            maxFailures: maxFailures, logger: logger, redactor: redactor)
        if journal.isShared { settings.leaseSeconds = Double(lease ?? setup.configuration.journal.leaseSeconds) }
        settings.commandLine = CommandLineText.current
        let session: BatchSession
        do {
            session = try BatchSession(settings)
        } catch let error as BatchSetupError {
            throw usageFailure(error.message)
        }

        if let registry = metrics?.registry {
            let gauges = BatchItemGauges(factory: registry.factory)
            let counters = session.counters
            registry.refreshBeforeEachScrape { gauges.update(from: counters) }
        }
        let line = BatchProgressLine(counters: session.counters, requests: setup.hub.counters, started: session.started)
        let progress = options.progressReporter(command: "batch") { line.text() }
        let signals = InterruptSignals(grace: options.grace, onInterrupt: { session.interrupt() })
        let result = try session.run()
        progress.stop()
        withExtendedLifetime(signals) {}

        Console.error(BatchSummaryTable(
            counts: result.counts, counters: result.counters, requests: setup.hub.snapshot, elapsed: result.elapsed,
            failureGroups: result.failureGroups, pagePath: session.pagePath).text)
        for problem in result.problems { Console.error("moonwatch: \(problem)") }
        if result.exitCode != 0 { throw ExitCode(result.exitCode) }
    }

    private func usageFailure(_ message: String) -> ExitCode {
        Console.error("moonwatch: \(message)")
        return ExitCode(2)
    }
}
