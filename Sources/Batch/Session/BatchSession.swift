import Foundation
import Journal
import Logging
import PostgresJournal
import Lua
import Report
import Runtime
import Services

/// One `moonwatch batch` run in this process: opening it compiles the script,
/// opens the journal and loads the input; ``run()`` works through the items and
/// settles the exit code.
package final class BatchSession: Sendable {
    /// Live counts, for a progress line.
    package let counters: BatchCounters
    private let journal: any JournalStore
    private let shared: BatchShared
    private let workers: BatchRun
    private let maxFailures: FailureLimit
    private let redactor: Redactor
    private let hub: ServiceHub
    private let commandLine: String
    private let inputPath: String

    /// - Throws: ``BatchSetupError`` (exit 2) for a script that does not compile,
    ///   an unreadable input or a journal that cannot be used; what writing
    ///   `records.jsonl` threw otherwise.
    package init(_ settings: BatchSettings) throws {
        do throws(ScriptError) {
            try Runtime(scriptPath: settings.scriptPath, options: settings.runtimeOptions).compile()
        } catch {
            throw BatchSetupError(error.message)
        }
        let logger = settings.logger
        let journal: any JournalStore
        let counts: ItemCounts
        do throws(JournalError) {
            let file = try InputFile(path: settings.inputPath)
            journal = try settings.journal.open(logger: logger)
            let prepared = try journal.prepare(input: file.identity) { file.rows() }
            if case .resumed = prepared { logger.info("resuming the batch of \(file.identity) from \(journal.location)") }
            if settings.retryFailed {
                let retried = try journal.retryFailed()
                logger.info("--retry-failed: \(retried) failed item(s) to redo")
            }
            counts = try journal.counts()
        } catch {
            throw BatchSetupError(error.message)
        }
        try Self.reportBadRows(journal, logger: logger)

        let output = BatchOutput(outDirectory: settings.outDirectory)
        try output.rewriteRecords(from: journal)
        let counters = BatchCounters(total: counts.total, doneBefore: counts[.done], failedBefore: counts[.failed])
        let shared = BatchShared(
            journal: journal, isShared: settings.journal.isShared, leaseSeconds: settings.leaseSeconds, output: output,
            counters: counters, logger: logger, concurrency: settings.concurrency, workerCount: settings.workers)
        if let postgres = journal as? PostgresJournal {
            // Every machine of the batch charges the same coins.
            settings.hub.budget.share(through: JournalCoinLedger(journal: postgres))
        }
        workers = BatchRun(
            shared: shared,
            recipe: RuntimeRecipe(
                scriptPath: settings.scriptPath, options: settings.runtimeOptions, hub: settings.hub, downloader: settings.downloader))
        self.counters = counters
        self.shared = shared
        self.journal = journal
        maxFailures = settings.maxFailures
        redactor = settings.redactor
        hub = settings.hub
        commandLine = settings.commandLine
        inputPath = settings.inputPath
    }

    /// When the session was opened.
    package var started: Date { shared.started }

    /// `report.jsonl`, written when ``run()`` ends.
    package var reportPath: String { shared.output.reportPath }

    /// `report.html`, written when ``run()`` ends.
    package var pagePath: String { shared.output.pagePath }

    /// Runs the workers until no item is left or the batch stops, then writes
    /// `report.jsonl` and `report.html`.
    package func run() throws -> BatchResult {
        let outcomes = workers.run()
        // What this run claimed but did not finish (a stop, an interrupt) is pending again.
        _ = try journal.releaseAll(owner: shared.owner)
        let counts = try journal.counts()
        let (exitCode, problems) = settle(outcomes, counts: counts)
        try shared.output.writeReport(from: journal)
        let ended = Date()
        let header = ReportHeader(
            command: redactor.redact(commandLine), started: shared.started, ended: ended, exitStatus: exitCode,
            version: MoonwatchVersion.current, details: [("input", inputPath), ("journal", journal.location)])
        let page = try shared.output.writePage(from: journal, header: header, counters: hub.snapshot)
        return BatchResult(
            counts: counts, counters: counters, elapsed: ended.timeIntervalSince(shared.started),
            exitCode: exitCode, problems: problems, failureGroups: page.failureGroups)
    }

    /// SIGINT/SIGTERM: no new items; every VM cancels its tasks. Any thread.
    package func interrupt() { workers.interrupt() }

    /// The exit code (130 interrupted; 2 configuration; 1 a script error outside
    /// `handle`, or failed items past the limit; else 0) and the problems behind it.
    private func settle(_ outcomes: [BatchRun.WorkerOutcome], counts: ItemCounts) -> (Int32, [String]) {
        var code: Int32 = 0
        var problems: [String] = []
        var reported = Set<String>()
        for outcome in outcomes {
            switch outcome {
            case .notStarted(let error):
                if reported.insert(error.message).inserted { problems.append(error.message) }
                code = max(code, 2)
            case .finished(let report):
                if case .failed(_, let traceback, _) = report.outcome, reported.insert(traceback).inserted {
                    problems.append(redactor.redact(traceback))
                }
                if report.outcome == .interrupted { return (130, problems) }
                code = max(code, report.exitCode)
            }
        }
        if let problem = shared.configurationError.withLock({ $0 }) {
            problems.append("\(redactor.redact(problem)) (the batch stopped; run it again once this is fixed)")
            code = max(code, 2)
        }
        if code == 0, maxFailures.isExceeded(failed: counts[.failed], total: counts.total) {
            problems.append(
                "\(counts[.failed]) of \(counts.total) items failed, past --max-failures \(maxFailures.description) (see \(reportPath))")
            code = 1
        }
        return (code, problems)
    }

    /// Bad rows were stored as failed items when the journal was created; they
    /// are named on every run until the input is fixed.
    private static func reportBadRows(_ journal: any JournalStore, logger: Logger) throws {
        try journal.forEachItem { item in
            if item.status == .failed, item.attempts == 0, let error = item.error {
                logger.warning("bad row: \(error.message)")
            }
        }
    }
}
