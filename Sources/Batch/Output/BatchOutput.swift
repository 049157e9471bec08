import Bindings
import Foundation
import JSON
import Journal
import Lua
import Report
import Services
import Synchronization

/// The batch's files in OUT: `records.jsonl`, `report.jsonl` and `report.html`,
/// all derived from the journal so that a crash never duplicates or loses a line.
///
/// `records.jsonl` is rewritten from the journal when the run starts, then a done
/// item's records are appended after its transaction commits: a crash between
/// the commit and the append is repaired by the next start's rewrite.
/// `report.jsonl` and `report.html` are written whole (to a temporary file, then
/// renamed) when the run ends.
package final class BatchOutput: Sendable {
    let outDirectory: String
    private let writer: Mutex<RecordWriter>

    package init(outDirectory: String) {
        self.outDirectory = outDirectory
        writer = Mutex(RecordWriter(outDirectory: outDirectory))
    }

    package var recordsPath: String { outDirectory + "/records.jsonl" }
    package var reportPath: String { outDirectory + "/report.jsonl" }

    /// Replaces `records.jsonl` with the records the journal holds.
    package func rewriteRecords(from journal: any JournalStore) throws {
        var bytes: [UInt8] = []
        try journal.forEachRecord { _, record in
            bytes += record.utf8
            bytes.append(UInt8(ascii: "\n"))
        }
        try write(bytes, to: recordsPath)
    }

    /// Appends committed records.
    func append(_ records: [String]) throws(ScriptError) {
        try writer.withLock { writer throws(ScriptError) in
            for record in records { try writer.append(Array(record.utf8), image: nil) }
        }
    }

    /// Writes one line per item:
    /// `{"line":N,"outcome":"failed","attempts":1,"error":"...","kind":"server","code":"MSS.00000004"}`
    /// (`error`, `kind` and `code` null when unknown).
    package func writeReport(from journal: any JournalStore) throws {
        var bytes: [UInt8] = []
        try journal.forEachItem { item in
            func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
            let line: JSONValue = .object([
                "line": .integer(Int64(item.line)),
                "outcome": .string(item.status.rawValue),
                "attempts": .integer(Int64(item.attempts)),
                "error": text(item.error?.message),
                "kind": text(item.error?.kind),
                "code": text(item.error?.code),
            ])
            bytes += line.serialized.utf8
            bytes.append(UInt8(ascii: "\n"))
        }
        try write(bytes, to: reportPath)
    }

    /// Writes `report.html` from the journal; returns what it showed.
    /// - Parameter counters: this process's service figures (nil: not known).
    @discardableResult
    package func writePage(
        from journal: any JournalStore, header: ReportHeader, counters: RunCounters.Snapshot?, servicesNote: String? = nil
    ) throws -> ReportContent {
        let content = try ReportContent.batch(journal: journal, header: header, counters: counters, outDirectory: outDirectory)
        var page = ReportPage(content: content, directory: outDirectory)
        if let servicesNote { page.servicesNote = servicesNote }
        try page.write()
        return content
    }

    package var pagePath: String { outDirectory + "/" + ReportPage.fileName }

    private func write(_ bytes: [UInt8], to path: String) throws {
        try FileManager.default.createDirectory(atPath: outDirectory, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
