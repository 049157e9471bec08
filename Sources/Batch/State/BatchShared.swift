import Foundation
import Journal
import Logging
import Synchronization

/// What the workers of one batch share: the journal, the output files, the
/// counters, and the flags that stop the batch.
final class BatchShared: Sendable {
    let journal: any JournalStore
    let output: BatchOutput
    let counters: BatchCounters
    let logger: Logger
    /// The lease owner of this process.
    let owner: String
    /// Lua tasks per VM working on items.
    let concurrency: Int
    let workerCount: Int
    /// Renewed every quarter of it meanwhile (see `BatchRun`).
    let leaseSeconds: Double
    /// Other processes work on the same batch: the progress line reads the whole batch from the journal.
    let isShared: Bool
    let started = Date()
    /// Set to stop claiming items: a signal, or a failure that every item would share.
    let stopping = Atomic<Bool>(false)
    /// A configuration error an item ran into: the batch stops and exits with 2.
    let configurationError = Mutex<String?>(nil)
    let lanesFinished: WorkerBarrier

    init(
        journal: any JournalStore, isShared: Bool, leaseSeconds: Double, output: BatchOutput, counters: BatchCounters,
        logger: Logger, concurrency: Int, workerCount: Int
    ) {
        self.journal = journal
        self.isShared = isShared
        self.leaseSeconds = leaseSeconds
        self.output = output
        self.counters = counters
        self.logger = logger
        self.concurrency = concurrency
        self.workerCount = workerCount
        lanesFinished = WorkerBarrier(count: workerCount)
        owner = "\(Self.hostName()):\(getpid()):\(UUID().uuidString.prefix(8))"
    }

    /// This machine's name, without the resolver lookup `ProcessInfo.hostName` may do.
    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Items a worker claims at once: enough to keep its lanes busy without one
    /// transaction per item, few enough that workers share the tail evenly.
    var claimChunk: Int { max(1, min(concurrency, 32)) }

    func stop() { stopping.store(true, ordering: .relaxed) }
    var isStopping: Bool { stopping.load(ordering: .relaxed) }
}
