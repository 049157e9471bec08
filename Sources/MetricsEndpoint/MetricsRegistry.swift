import CoreMetrics
import Prometheus
import Synchronization

/// The metrics of one run, in a Prometheus registry of its own, and the text
/// a scrape reads.
///
/// The factory is handed to whatever records (``factory``) instead of being
/// installed with `MetricsSystem.bootstrap`: that holds once per process, and
/// a process may hold many runs (the tests run hundreds), each with its own counts.
package final class MetricsRegistry: Sendable {
    /// What the recording layers make their counters, gauges and timers from.
    package let factory: any MetricsFactory
    private let registry: PrometheusCollectorRegistry
    private let refreshers = Mutex<[@Sendable () -> Void]>([])

    /// The buckets of every timer (request durations), in seconds: from a
    /// quick local answer (5 ms) to a request that spent its whole timeout (60 s).
    package static let durationBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        .seconds(30), .seconds(60),
    ]

    /// The content type of the text exposition format.
    package static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    package init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.durationBuckets
        self.registry = registry
        self.factory = factory
    }

    /// Calls `refresh` before each scrape: for gauges of values that are read
    /// rather than counted (a batch's items by outcome), set when someone looks.
    package func refreshBeforeEachScrape(_ refresh: @escaping @Sendable () -> Void) {
        refreshers.withLock { $0.append(refresh) }
    }

    /// Every metric in the Prometheus text exposition format, refreshed first.
    package func exposition() -> String {
        for refresh in refreshers.withLock({ $0 }) { refresh() }
        return registry.emitToString()
    }
}
