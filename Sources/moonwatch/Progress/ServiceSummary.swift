import Report
import Services

/// What a run did with the services, for the summary at its end (docs/contract.md §1):
/// polls, retries and throttled answers per service, coins spent, bytes
/// downloaded, retries, elapsed.
struct ServiceSummary {
    var requests: RunCounters.Snapshot
    var bytesDownloaded: Int
    var filesDownloaded: Int
    var elapsed: Double

    var lines: [String] {
        var lines = ["service          polls   retries  throttled"]
        let services = Set(requests.requests.keys).union(requests.retries.keys).sorted()
        if services.isEmpty { lines.append("  (none)") }
        for service in services {
            lines.append(
                Format.pad("  " + service, 14) + Format.pad(String(requests.requests[service] ?? 0), 8, right: true)
                    + Format.pad(String(requests.retries[service] ?? 0), 10, right: true)
                    + Format.pad(String(requests.throttled[service] ?? 0), 11, right: true))
        }
        lines.append("")
        lines.append("coins spent      \(String(format: "%.1f", requests.coinsSpent))")
        lines.append("downloaded       \(Format.bytes(bytesDownloaded)) (\(filesDownloaded) files)")
        lines.append("retries          \(requests.totalRetries)")
        lines.append("elapsed          \(Format.duration(elapsed))")
        return lines
    }
}
