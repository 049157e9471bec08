import Synchronization

/// Live item counts of one batch run, shared by the workers and the progress line.
final class BatchCounters: Sendable {
    /// Items in the journal.
    let total: Int
    /// Items already done or failed when the run started.
    let doneBefore: Int
    let failedBefore: Int
    let done = Atomic<Int>(0)
    let failed = Atomic<Int>(0)
    let inFlight = Atomic<Int>(0)
    let bytesDownloaded = Atomic<Int>(0)
    let filesDownloaded = Atomic<Int>(0)

    init(total: Int, doneBefore: Int, failedBefore: Int) {
        self.total = total
        self.doneBefore = doneBefore
        self.failedBefore = failedBefore
    }

    /// Items this run finished, either way.
    var finishedThisRun: Int { done.load(ordering: .relaxed) + failed.load(ordering: .relaxed) }

    /// Items not yet finished (pending, or in flight).
    var remaining: Int { max(0, total - doneBefore - failedBefore - finishedThisRun) }
}
