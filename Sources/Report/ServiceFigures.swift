import Services

/// What one service did in the run: the summary table's columns, and how long
/// the waiters took to reach an answer.
package struct ServiceFigures: Sendable, Equatable {
    package var name: String
    package var polls: Int
    package var retries: Int
    package var throttled: Int
    package var waits: WaitFigures

    /// One row per service that sent a request, retried or waited, by name.
    package static func of(_ counters: RunCounters.Snapshot) -> [ServiceFigures] {
        let names = Set(counters.requests.keys).union(counters.retries.keys).union(counters.waits.keys).sorted()
        return names.map { name in
            ServiceFigures(
                name: name, polls: counters.requests[name] ?? 0, retries: counters.retries[name] ?? 0,
                throttled: counters.throttled[name] ?? 0, waits: WaitFigures(counters.waits[name] ?? []))
        }
    }
}

/// The distribution of waits: percentiles and a histogram over fixed buckets.
package struct WaitFigures: Sendable, Equatable {
    package var count: Int
    package var p50: Double?
    package var p90: Double?
    package var p99: Double?
    package var max: Double?
    /// Waits per bucket of ``bucketBounds`` (the last bucket: longer than every bound).
    package var histogram: [Int]

    /// Upper bounds in seconds: a poll every few seconds up to an hour-long job.
    package static let bucketBounds: [Double] = [1, 5, 15, 60, 300, 900, 3600]
    package static let bucketNames = ["≤ 1 s", "≤ 5 s", "≤ 15 s", "≤ 1 min", "≤ 5 min", "≤ 15 min", "≤ 1 h", "> 1 h"]

    package init(_ seconds: [Double]) {
        let sorted = seconds.filter(\.isFinite).sorted()
        count = sorted.count
        // Nearest rank: the smallest wait that at least p% of the waits do not exceed.
        func percentile(_ p: Double) -> Double? {
            guard !sorted.isEmpty else { return nil }
            let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
            return sorted[Swift.max(0, Swift.min(sorted.count - 1, rank - 1))]
        }
        p50 = percentile(50)
        p90 = percentile(90)
        p99 = percentile(99)
        max = sorted.last
        var histogram = [Int](repeating: 0, count: Self.bucketBounds.count + 1)
        for wait in sorted {
            histogram[Self.bucketBounds.firstIndex { wait <= $0 } ?? Self.bucketBounds.count] += 1
        }
        self.histogram = histogram
    }
}
