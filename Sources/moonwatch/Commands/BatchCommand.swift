import ArgumentParser
import Foundation
import Journal
import Logging
import Lua
import Runtime
import Services
import Transport

/// `moonwatch batch SCRIPT --input FILE`: calls the script's `handle(item)` for
/// every row of FILE, durably (docs/contract.md §1, §2.4; docs/journal.md).
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

    @Option(name: .long, help: "The journal (default: OUT/.moonwatch/state.sqlite; :memory: keeps nothing).")
    var state: String?

    @Flag(name: .long, help: "Redo the items that failed in earlier runs.")
    var retryFailed = false

    @Option(name: .long, help: "Failed items tolerated before exiting with 1: a count N or a share P% (default 0).")
    var maxFailures: FailureLimit = .count(0)


    @Argument(help: "The Lua script; it defines handle(item), and may define setup() and done(summary).")
    var script: String

    func validate() throws {
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be 1 or more") }
        guard workers >= 1 else { throw ValidationError("--workers must be 1 or more") }
    }

    func run() throws {
        let redactor = Redactor()
        let logger = options.logger(redactor: redactor)
        let setup: ServiceSetup
        do {
            setup = try ServiceSetup.forScript(script, options: services, outFlag: options.out, redactor: redactor, logger: logger)
        } catch let error as ServiceError {
            throw usageFailure(error.message)
        }
        defer { setup.shutdown() }
        let out = setup.configuration.out
        let runtimeOptions = options.runtimeOptions(logger: logger)

        // Compile errors exit with 2 before any item is claimed.
        do throws(ScriptError) {
            try Runtime(scriptPath: script, options: runtimeOptions).compile()
        } catch {
            throw usageFailure(error.message)
        }

        let journal: SQLiteJournal
        let counts: ItemCounts
        do throws(JournalError) {
            let file = try InputFile(path: input)
            journal = try SQLiteJournal(path: state ?? out + "/.moonwatch/state.sqlite")
            let prepared = try journal.prepare(input: file.identity) { file.rows() }
            if case .resumed = prepared { logger.info("resuming the batch of \(file.identity) from \(journal.path)") }
            if retryFailed {
                let retried = try journal.retryFailed()
                logger.info("--retry-failed: \(retried) failed item(s) to redo")
            }
            counts = try journal.counts()
        } catch {
            throw usageFailure(error.message)
        }
        try reportBadRows(journal, logger: logger)

        let output = BatchOutput(outDirectory: out)
        try output.rewriteRecords(from: journal)
        let counters = BatchCounters(total: counts.total, doneBefore: counts[.done], failedBefore: counts[.failed])
        let shared = BatchShared(
            journal: journal, output: output, counters: counters, logger: logger,
            concurrency: concurrency ?? setup.configuration.concurrency, workerCount: workers)
        let batch = BatchRun(
            shared: shared, recipe: RuntimeRecipe(scriptPath: script, options: runtimeOptions, hub: setup.hub, downloader: setup.downloader))
        let line = BatchProgressLine(counters: counters, requests: setup.hub.counters, started: shared.started)
        let progress = options.progressReporter(command: "batch") { line.text() }
        let signals = InterruptSignals(grace: options.grace, onInterrupt: { batch.interrupt() })
        let outcomes = batch.run()
        progress.stop()
        withExtendedLifetime(signals) {}

        // What this run claimed but did not finish (a stop, an interrupt) is pending again.
        _ = try journal.releaseAll(owner: shared.owner)
        try output.writeReport(from: journal)
        let final = try journal.counts()
        Console.error(BatchSummaryTable(
            counts: final, counters: counters, requests: setup.hub.snapshot,
            elapsed: Date().timeIntervalSince(shared.started)).text)
        let code = exitCode(outcomes, counts: final, shared: shared, redactor: redactor)
        if code != 0 { throw ExitCode(code) }
    }

    /// docs/contract.md §1: 130 interrupted; 2 configuration; 1 a script error outside
    /// `handle`, or failed items past `--max-failures`; else 0.
    private func exitCode(_ outcomes: [BatchRun.WorkerOutcome], counts: ItemCounts, shared: BatchShared, redactor: Redactor) -> Int32 {
        var code: Int32 = 0
        var reported = Set<String>()
        for outcome in outcomes {
            switch outcome {
            case .notStarted(let error):
                if reported.insert(error.message).inserted { Console.error("moonwatch: \(error.message)") }
                code = max(code, 2)
            case .finished(let report):
                if case .failed(_, let traceback, _) = report.outcome, reported.insert(traceback).inserted {
                    Console.error("moonwatch: \(redactor.redact(traceback))")
                }
                if report.outcome == .interrupted { return 130 }
                code = max(code, report.exitCode)
            }
        }
        if let problem = shared.configurationError.withLock({ $0 }) {
            Console.error("moonwatch: \(redactor.redact(problem)) (the batch stopped; run it again once this is fixed)")
            code = max(code, 2)
        }
        if code == 0, maxFailures.isExceeded(failed: counts[.failed], total: counts.total) {
            Console.error("moonwatch: \(counts[.failed]) of \(counts.total) items failed, past --max-failures \(maxFailures.description) (see \(shared.output.reportPath))")
            code = 1
        }
        return code
    }

    /// Bad rows were stored as failed items when the journal was created; they
    /// are named on every run until the input is fixed.
    private func reportBadRows(_ journal: any JournalStore, logger: Logger) throws {
        try journal.forEachItem { item in
            if item.status == .failed, item.attempts == 0, let error = item.error {
                logger.warning("bad row: \(error)")
            }
        }
    }

    private func usageFailure(_ message: String) -> ExitCode {
        Console.error("moonwatch: \(message)")
        return ExitCode(2)
    }
}
