import Lua
import Bindings
import Journal
import Runtime

/// `emit` in a batch: inside `handle` (and the tasks it spawns) the record waits
/// with its item until the item commits; outside any item (`setup`, `done`) it is
/// stored and written at once.
final class ItemRecordSink: RecordSink {
    private unowned let runtime: Runtime
    private let shared: BatchShared

    init(runtime: Runtime, shared: BatchShared) {
        self.runtime = runtime
        self.shared = shared
    }

    var outDirectory: String { shared.output.outDirectory }

    /// The image needs no bookkeeping: it is in the record, which the report reads from the journal.
    func append(_ line: [UInt8], image: String?) throws(ScriptError) {
        let record = String(decoding: line, as: UTF8.self)
        if let context = runtime.taskLocal as? ItemContext {
            guard !context.finished else {
                throw ScriptError(.invalidArgument, "emit: the item of line \(context.line) has already finished")
            }
            context.records.append(record)
            return
        }
        do throws(JournalError) {
            try shared.journal.addRecords([record])
        } catch {
            throw ScriptError(ScriptError.Kind(rawValue: "journal"), error.message)
        }
        try shared.output.append([record])
    }
}
