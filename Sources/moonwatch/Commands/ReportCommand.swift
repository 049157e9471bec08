import ArgumentParser
import Batch
import Foundation
import Journal
import Logging
import Report
import Services

/// `moonwatch report --state URL --out DIR`: `records.jsonl`, `report.jsonl` and
/// `report.html` of a batch, written from its journal by any machine at any time: every
/// record exactly once, whichever machine emitted it.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write records.jsonl, report.jsonl and report.html of a batch from its journal (any machine, any time)."
    )

    @OptionGroup var journal: JournalOptions

    @Option(name: .long, help: "Where records.jsonl, report.jsonl and report.html go.")
    var out: String

    func run() throws {
        let redactor = Redactor()
        let logger = Logger(label: "moonwatch") { _ in ConsoleLogHandler(level: .warning, format: .text, redactor: redactor) }
        let configuration = try journal.configuration()
        let store = try journal.open(configuration: configuration, redactor: redactor, logger: logger)
        let output = BatchOutput(outDirectory: out)
        do {
            let now = Date()
            try output.rewriteRecords(from: store)
            try output.writeReport(from: store)
            try output.writePage(
                from: store,
                header: ReportHeader(
                    command: redactor.redact(CommandLineText.current), started: nil, ended: now, exitStatus: nil,
                    version: MoonwatchVersion.current, details: [("journal", store.location)]),
                counters: nil,
                servicesNote: "Service figures are kept by each process, not in the journal: see the report.html each batch process wrote.")
            let counts = try store.counts()
            Console.error("moonwatch: \(counts.total) items (done \(counts[.done]), failed \(counts[.failed]), "
                + "not finished \(counts[.pending] + counts[.running])) → \(output.recordsPath), \(output.reportPath), \(output.pagePath)")
        } catch let error as JournalError {
            Console.error("moonwatch: \(redactor.redact(error.message))")
            throw ExitCode(1)
        }
    }
}
