import Batch
import Foundation
import Report
import Services

/// The one-line state of a running batch: items done, failed and in flight,
/// polls, bytes downloaded, rate and ETA.
struct BatchProgressLine: Sendable {
    let counters: BatchCounters
    let requests: RunCounters
    let started: Date

    /// A shared batch (several machines) shows the whole batch, then this machine's share.
    func text(now: Date = Date()) -> String {
        let doneHere = counters.done.load(ordering: .relaxed)
        let failedHere = counters.failed.load(ordering: .relaxed)
        let elapsed = now.timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(counters.finishedThisRun) / elapsed : 0
        let head: String
        let eta: String
        if let batch = counters.batchWide.withLock({ $0 }) {
            let remaining = batch[.pending] + batch[.running]
            eta = rate > 0 ? "≤ " + Format.duration(Double(remaining) / rate) : "?"
            head = "batch done \(batch[.done])/\(batch.total) · failed \(batch[.failed])"
                + " · this machine done \(doneHere) · failed \(failedHere)"
        } else {
            eta = rate > 0 ? Format.duration(Double(counters.remaining) / rate) : "?"
            head = "done \(counters.doneBefore + doneHere)/\(counters.total) · failed \(counters.failedBefore + failedHere)"
        }
        let snapshot = requests.snapshot
        return head + " · in flight \(counters.inFlight.load(ordering: .relaxed))"
            + " · polls \(snapshot.totalRequests) · \(Format.bytes(Int(snapshot.downloadBytes)))"
            + " · \(String(format: "%.1f", rate)) items/s · ETA \(eta)"
    }
}
