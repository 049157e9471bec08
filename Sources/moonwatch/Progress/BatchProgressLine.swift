import Batch
import Foundation
import Services

/// The one-line state of a running batch: items done, failed and in flight,
/// polls, bytes downloaded, rate and ETA.
struct BatchProgressLine: Sendable {
    let counters: BatchCounters
    let requests: RunCounters
    let started: Date

    func text(now: Date = Date()) -> String {
        let done = counters.doneBefore + counters.done.load(ordering: .relaxed)
        let failed = counters.failedBefore + counters.failed.load(ordering: .relaxed)
        let elapsed = now.timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(counters.finishedThisRun) / elapsed : 0
        let eta = rate > 0 ? Format.duration(Double(counters.remaining) / rate) : "?"
        return "done \(done)/\(counters.total) · failed \(failed) · in flight \(counters.inFlight.load(ordering: .relaxed))"
            + " · polls \(requests.snapshot.totalRequests) · \(Format.bytes(counters.bytesDownloaded.load(ordering: .relaxed)))"
            + " · \(String(format: "%.1f", rate)) items/s · ETA \(eta)"
    }
}
