import Batch
import Foundation
import Journal
import Report
import Services

/// The table printed when a batch ends (docs/contract.md §1): items by outcome,
/// the largest failure groups, then the run's ``ServiceSummary``.
struct BatchSummaryTable {
    var counts: ItemCounts
    var counters: BatchCounters
    var requests: RunCounters.Snapshot
    var elapsed: Double
    var failureGroups: [FailureGroup] = []
    /// Where `report.html` was written, named on the last line.
    var pagePath: String?

    /// Failure groups shown; the rest are counted on one line.
    static let groupsShown = 5

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
        if !failureGroups.isEmpty {
            lines.append("failures by kind and code")
            for group in failureGroups.prefix(Self.groupsShown) {
                lines.append(Format.pad("  ×" + String(group.items.count), 10) + Self.oneLine(group.title))
            }
            let rest = failureGroups.dropFirst(Self.groupsShown)
            if !rest.isEmpty {
                lines.append("  \(rest.count) more (\(rest.reduce(0) { $0 + $1.items.count }) items)" + (pagePath.map { ": see \($0)" } ?? ""))
            }
            lines.append("")
        }
        // Downloads as `run` counts them: the downloader's, which --metrics serves too.
        lines += ServiceSummary(
            requests: requests, bytesDownloaded: Int(requests.downloadBytes),
            filesDownloaded: requests.downloadsFinished - requests.downloadsSkipped, elapsed: elapsed
        ).lines
        if let pagePath { lines.append("report           \(pagePath)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A group's title cut to one readable line.
    private static func oneLine(_ title: String) -> String {
        let flat = title.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > 100 ? String(flat.prefix(99)) + "…" : flat
    }

    private func row(_ name: String, _ value: Int, detail: String?) -> String {
        Format.pad(name, 14) + Format.pad(String(value), 8, right: true) + (detail.map { "   (\($0))" } ?? "")
    }

}
