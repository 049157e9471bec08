import ArgumentParser
import Batch
import Journal
import Logging
import Services

/// `moonwatch report --state URL --out DIR`: `records.jsonl` and `report.jsonl`
/// of a batch, written from its journal by any machine at any time: every
/// record exactly once, whichever machine emitted it.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write records.jsonl and report.jsonl of a batch from its journal (any machine, any time)."
    )

    @OptionGroup var journal: JournalOptions

    @Option(name: .long, help: "Where records.jsonl and report.jsonl go.")
    var out: String

    func run() throws {
        let redactor = Redactor()
        let logger = Logger(label: "moonwatch") { _ in ConsoleLogHandler(level: .warning, format: .text, redactor: redactor) }
        let configuration = try journal.configuration()
        let store = try journal.open(configuration: configuration, redactor: redactor, logger: logger)
        let output = BatchOutput(outDirectory: out)
        do {
            try output.rewriteRecords(from: store)
            try output.writeReport(from: store)
            let counts = try store.counts()
            Console.error("moonwatch: \(counts.total) items (done \(counts[.done]), failed \(counts[.failed]), "
                + "not finished \(counts[.pending] + counts[.running])) → \(output.recordsPath), \(output.reportPath)")
        } catch let error as JournalError {
            Console.error("moonwatch: \(redactor.redact(error.message))")
            throw ExitCode(1)
        }
    }
}
