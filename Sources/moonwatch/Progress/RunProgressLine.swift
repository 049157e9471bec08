import Foundation
import Report
import Services

/// The one-line state of a running script: polls, retries, downloads, poll rate, elapsed.
struct RunProgressLine: Sendable {
    let requests: RunCounters
    let started: Date

    func text(now: Date = Date()) -> String {
        let snapshot = requests.snapshot
        let elapsed = now.timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(snapshot.totalRequests) / elapsed : 0
        let files = snapshot.downloadsFinished
        return "polls \(snapshot.totalRequests) · retries \(snapshot.totalRetries)"
            + " · downloaded \(Format.bytes(Int(snapshot.downloadBytes))) (\(files) files, \(snapshot.downloadsActive) active)"
            + " · \(String(format: "%.1f", rate)) polls/s · \(Format.duration(elapsed))"
    }
}
