import Foundation
import Bindings
import Journal
import Lua
import Runtime
import Services

/// One Lua VM of a batch, on its own thread: it claims its own items from the
/// journal and commits each when `handle` returns.
///
/// Everything here runs on the worker's thread, which owns the VM.
final class BatchWorker {
    let index: Int
    private let shared: BatchShared
    private let runtime: Runtime
    private var claimed: [ClaimedItem] = []
    private var next = 0

    /// Builds the VM: sandbox, `log`/`emit`/`args`, `api`.
    init(index: Int, shared: BatchShared, recipe: RuntimeRecipe) throws(ScriptError) {
        self.index = index
        self.shared = shared
        runtime = try Runtime(scriptPath: recipe.scriptPath, options: recipe.options)
        try ScriptEnvironment.install(in: runtime, arguments: [], records: ItemRecordSink(runtime: runtime, shared: shared))
        try APIModule.install(in: runtime, hub: recipe.hub)
        try HTTPModule.install(in: runtime, downloader: recipe.downloader, hub: recipe.hub)
    }

    var interrupter: @Sendable () -> Void { runtime.interrupter }

    /// Runs the batch driver until this VM's lanes (and, for the first VM, `done`) are through.
    func run() throws(ScriptError) -> RunReport {
        try runtime.run(driver: BatchDriver.source, name: "batch", host: hostFunctions())
    }

    /// The next item for this VM, claiming a chunk from the journal when its own are used up.
    private func nextItem() throws(ScriptError) -> ClaimedItem? {
        if shared.isStopping { return nil }
        if next == claimed.count {
            do throws(JournalError) {
                claimed = try shared.journal.claim(owner: shared.owner, limit: shared.claimChunk, leaseSeconds: shared.leaseSeconds)
            } catch {
                throw ScriptError(ScriptError.Kind(rawValue: "journal"), error.message)
            }
            next = 0
            if claimed.isEmpty { return nil }
        }
        defer { next += 1 }
        return claimed[next]
    }

    /// Commits the outcome of the item the calling task worked on.
    private func finish(_ context: ItemContext, ok: Bool, message: String?, kind: String?, code: String?) throws(ScriptError) {
        context.finished = true
        let journal = shared.journal
        let counters = shared.counters
        counters.inFlight.subtract(1, ordering: .relaxed)
        do throws(JournalError) {
            if ok {
                guard try journal.complete(line: context.line, owner: shared.owner, records: context.records, downloads: context.downloads) else {
                    return shared.logger.warning("line \(context.line): its lease was lost; another worker redoes it")
                }
                counters.done.add(1, ordering: .relaxed)
            } else if kind == "config" {
                // Every other item would fail the same way: stop, and let the next run redo this one.
                _ = try journal.release(line: context.line, owner: shared.owner)
                shared.configurationError.withLock { $0 = $0 ?? (message ?? "configuration error") }
                shared.stop()
            } else {
                let error = message ?? "failed"
                guard try journal.fail(line: context.line, owner: shared.owner, error: ItemError(error, kind: kind, code: code)) else { return }
                counters.failed.add(1, ordering: .relaxed)
                shared.logger.warning("line \(context.line) failed (attempt \(context.attempt)): \(error)")
            }
        } catch {
            throw ScriptError(ScriptError.Kind(rawValue: "journal"), error.message)
        }
        // Only after the commit: a crash before this line is repaired by the next
        // run's rewrite of records.jsonl from the journal.
        if ok { try shared.output.append(context.records) }
    }

    private func hostFunctions() -> [(String, HostFunction.Body)] {
        let shared = self.shared
        let runtime = self.runtime
        return [
            Runtime.raiseFunction,
            ("concurrency", { call throws(ScriptError) in
                try call.push(.integer(Int64(shared.concurrency)))
                return .results(1)
            }),
            /// next_item() -> line, row JSON, attempt; nothing when no item is left.
            ("next_item", { [unowned self] call throws(ScriptError) in
                guard let item = try nextItem() else { return .none }
                try call.push(.integer(Int64(item.line)))
                try call.push(.string(item.json))
                try call.push(.integer(Int64(item.attempt)))
                return .results(3)
            }),
            /// begin_item(line, attempt): the calling task now works on this item.
            ("begin_item", { [unowned runtime] call throws(ScriptError) in
                runtime.taskLocal = ItemContext(line: Int(try call.integer(1)), attempt: Int(try call.integer(2)))
                shared.counters.inFlight.add(1, ordering: .relaxed)
                return .none
            }),
            /// finish_item(ok, message, kind, code): commits the calling task's item.
            ("finish_item", { [unowned self, unowned runtime] call throws(ScriptError) in
                guard let context = runtime.taskLocal as? ItemContext else {
                    throw ScriptError(.invalidArgument, "finish_item outside an item")
                }
                runtime.taskLocal = nil
                let ok = try call.value(1).isTruthy
                let message = call.type(2) == .string ? try call.string(2) : nil
                let kind = call.type(3) == .string ? try call.string(3) : nil
                let code = call.type(4) == .string ? try call.string(4) : nil
                try finish(context, ok: ok, message: message, kind: kind, code: code)
                return .none
            }),
            /// record_download(path, bytes, sha256): a file the calling task's item downloaded.
            ("record_download", { [unowned runtime] call throws(ScriptError) in
                guard let context = runtime.taskLocal as? ItemContext, !context.finished,
                      call.type(1) == .string, call.type(2) == .number else { return .none }
                let bytes = Int(try call.number(2))
                let sha256 = call.type(3) == .string ? try call.string(3) : nil
                context.downloads.append(DownloadRecord(path: try call.string(1), bytes: bytes, sha256: sha256))
                return .none
            }),
            /// lanes_finished() -> the summary table for `done`, in the first VM once
            /// every VM is through; nil in the others.
            ("lanes_finished", { [unowned self, unowned runtime] call throws(ScriptError) in
                shared.lanesFinished.arrive(index)
                guard index == 0, !shared.isStopping else { return .none }
                return try runtime.perform(call) { () async throws(ScriptError) -> [LuaValue] in
                    await shared.lanesFinished.wait()
                    return [try Self.summary(shared)]
                }
            }),
        ]
    }

    /// The table `done(summary)` receives.
    private static func summary(_ shared: BatchShared) throws(ScriptError) -> LuaValue {
        let counts: ItemCounts
        do throws(JournalError) {
            counts = try shared.journal.counts()
        } catch {
            throw ScriptError(ScriptError.Kind(rawValue: "journal"), error.message)
        }
        let counters = shared.counters
        return [
            "total": .integer(Int64(counts.total)),
            "done": .integer(Int64(counts[.done])),
            "failed": .integer(Int64(counts[.failed])),
            "pending": .integer(Int64(counts[.pending] + counts[.running])),
            "done_this_run": .integer(Int64(counters.done.load(ordering: .relaxed))),
            "failed_this_run": .integer(Int64(counters.failed.load(ordering: .relaxed))),
            "elapsed": .number(Date().timeIntervalSince(shared.started)),
        ]
    }
}
