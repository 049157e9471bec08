import Foundation
import Journal
import Services

/// The table printed when a batch ends (SPEC §1): items by outcome, polls per
/// service, coins spent, bytes downloaded, retries, elapsed.
struct SummaryTable {
    var counts: ItemCounts
    var counters: BatchCounters
    var requests: RunCounters.Snapshot
    var elapsed: Double

    var text: String {
        let doneNow = counters.done.load(ordering: .relaxed)
        let failedNow = counters.failed.load(ordering: .relaxed)
        var lines = ["", "items            \(counts.total)"]
        lines.append(row("  done", counts[.done], detail: "\(doneNow) this run"))
        lines.append(row("  failed", counts[.failed], detail: "\(failedNow) this run"))
        lines.append(row("  not finished", counts[.pending] + counts[.running], detail: nil))
        lines.append("")
        lines.append("service          polls   retries  throttled")
        let services = Set(requests.requests.keys).union(requests.retries.keys).sorted()
        if services.isEmpty { lines.append("  (none)") }
        for service in services {
            lines.append(
                pad("  " + service, 14) + pad(String(requests.requests[service] ?? 0), 8, right: true)
                    + pad(String(requests.retries[service] ?? 0), 10, right: true)
                    + pad(String(requests.throttled[service] ?? 0), 11, right: true))
        }
        lines.append("")
        lines.append("coins spent      \(String(format: "%.1f", requests.coinsSpent))")
        let files = counters.filesDownloaded.load(ordering: .relaxed)
        lines.append("downloaded       \(Format.bytes(counters.bytesDownloaded.load(ordering: .relaxed))) (\(files) files)")
        lines.append("retries          \(requests.totalRetries)")
        lines.append("elapsed          \(Format.duration(elapsed))")
        return lines.joined(separator: "\n") + "\n"
    }

    private func row(_ name: String, _ value: Int, detail: String?) -> String {
        pad(name, 14) + pad(String(value), 8, right: true) + (detail.map { "   (\($0))" } ?? "")
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }
}
