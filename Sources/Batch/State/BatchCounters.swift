import Journal
import Synchronization

/// Live item counts of one batch run, shared by the workers and the progress line.
package final class BatchCounters: Sendable {
    /// Items in the journal.
    package let total: Int
    /// Items already done or failed when the run started.
    package let doneBefore: Int
    package let failedBefore: Int
    package let done = Atomic<Int>(0)
    package let failed = Atomic<Int>(0)
    package let inFlight = Atomic<Int>(0)
    /// The whole batch, every machine's work, as the journal last said; nil
    /// when this process is the only one working on it (a SQLite journal).
    package let batchWide = Mutex<ItemCounts?>(nil)

    package init(total: Int, doneBefore: Int, failedBefore: Int) {
        self.total = total
        self.doneBefore = doneBefore
        self.failedBefore = failedBefore
    }

    /// Items this run finished, either way.
    package var finishedThisRun: Int { done.load(ordering: .relaxed) + failed.load(ordering: .relaxed) }

    /// Items not yet finished (pending, or in flight).
    package var remaining: Int { max(0, total - doneBefore - failedBefore - finishedThisRun) }

    /// Items by status now, without asking the journal: for a shared batch,
    /// every machine's as the journal last said; else the counts at the start
    /// plus this run's, `running` being the items a `handle` works on (the
    /// journal's `running` also holds those claimed and not yet begun).
    package var liveCounts: ItemCounts {
        if let batch = batchWide.withLock({ $0 }) { return batch }
        var counts = ItemCounts()
        counts[.done] = doneBefore + done.load(ordering: .relaxed)
        counts[.failed] = failedBefore + failed.load(ordering: .relaxed)
        counts[.running] = inFlight.load(ordering: .relaxed)
        counts[.pending] = max(0, total - counts[.done] - counts[.failed] - counts[.running])
        return counts
    }
}
