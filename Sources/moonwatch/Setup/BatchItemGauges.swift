import Batch
import CoreMetrics
import Journal

/// A batch's items as gauges, `moonwatch_items{outcome=}` and
/// `moonwatch_items_in_flight`: values read rather than counted, so they are
/// set from the batch's counters when a scrape asks, not on every item.
struct BatchItemGauges: Sendable {
    private let byOutcome: [(ItemStatus, Gauge)]
    private let inFlight: Gauge

    init(factory: any MetricsFactory) {
        byOutcome = [ItemStatus.done, .failed, .pending, .running].map { status in
            (status, Gauge(label: "moonwatch_items", dimensions: [("outcome", status.rawValue)], factory: factory))
        }
        inFlight = Gauge(label: "moonwatch_items_in_flight", factory: factory)
    }

    func update(from counters: BatchCounters) {
        let counts = counters.liveCounts
        for (status, gauge) in byOutcome { gauge.record(counts[status]) }
        inFlight.record(counters.inFlight.load(ordering: .relaxed))
    }
}
