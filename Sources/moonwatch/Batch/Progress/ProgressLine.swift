import Foundation
import Services

/// The one-line state of a running batch: items done, failed and in flight,
/// polls, bytes downloaded, rate and ETA.
struct ProgressLine {
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

/// Numbers as people read them.
enum Format {
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let total = Int(seconds.rounded())
        if total < 60 { return seconds < 10 ? String(format: "%.1f s", seconds) : "\(total) s" }
        let hours = total / 3600, minutes = total / 60 % 60, rest = total % 60
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, rest) : String(format: "%d:%02d", minutes, rest)
    }

    static func bytes(_ count: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }
}
