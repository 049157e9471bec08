import Batch
import Foundation
import Journal
import Services

/// The table printed when a batch ends (docs/contract.md §1): items by outcome, then the
/// run's ``ServiceSummary``.
struct BatchSummaryTable {
    var counts: ItemCounts
    var counters: BatchCounters
    var requests: RunCounters.Snapshot
    var elapsed: Double

    var text: String {
        let doneNow = counters.done.load(ordering: .relaxed)
        let failedNow = counters.failed.load(ordering: .relaxed)
        // A shared batch: the counts are every machine's, the details this one's share.
        let share = counters.batchWide.withLock { $0 } == nil ? "this run" : "by this machine, this run"
        var lines = ["", "items            \(counts.total)"]
        lines.append(row("  done", counts[.done], detail: "\(doneNow) \(share)"))
        lines.append(row("  failed", counts[.failed], detail: "\(failedNow) \(share)"))
        lines.append(row("  not finished", counts[.pending] + counts[.running], detail: nil))
        lines.append("")
        // Downloads as `run` counts them: the downloader's, which --metrics serves too.
        lines += ServiceSummary(
            requests: requests, bytesDownloaded: Int(requests.downloadBytes),
            filesDownloaded: requests.downloadsFinished - requests.downloadsSkipped, elapsed: elapsed
        ).lines
        return lines.joined(separator: "\n") + "\n"
    }

    private func row(_ name: String, _ value: Int, detail: String?) -> String {
        Format.pad(name, 14) + Format.pad(String(value), 8, right: true) + (detail.map { "   (\($0))" } ?? "")
    }

}
