import CoreMetrics
import RunConfiguration
import Synchronization
import Transport

/// The swift-metrics handles ``RunCounters`` records into, made from the run's
/// own factory (never `MetricsSystem`'s global one: a process may hold many
/// runs, its tests do) and made once, so counting an event is a dictionary read
/// of an immutable table and an atomic add, with no factory lookup.
///
/// Label values come from fixed sets only (service names, error kinds): a
/// label never carries a URL, a job id or a message, which could hold a secret.
final class RunMetricHandles: Sendable {
    /// What one `service` label counts.
    struct PerService: Sendable {
        let requests: Counter
        let retries: Counter
        let throttled: Counter
        let requestDuration: CoreMetrics.Timer
    }

    /// The services' labels, and `other` for a name outside them.
    static let serviceLabels = (ServiceName.allCases + [.http]).map(\.rawValue) + [other]
    /// The downloader's label: it counts retries and errors, never requests.
    static let download = "download"
    static let other = "other"

    private let services: [String: PerService]
    private let downloadRetries: Counter
    private let factory: any MetricsFactory
    let coinsSpent: Gauge
    let downloadedBytes: Counter
    let downloadedFiles: Counter
    /// Errors are counted lazily: there are many (service, kind) pairs and
    /// most never happen, and an error is no hot path that a lock could slow.
    private let errors = Mutex<[String: Counter]>([:])

    init(factory: any MetricsFactory) {
        self.factory = factory
        var services: [String: PerService] = [:]
        for service in Self.serviceLabels {
            let label = [("service", service)]
            services[service] = PerService(
                requests: Counter(label: "moonwatch_requests_total", dimensions: label, factory: factory),
                retries: Counter(label: "moonwatch_retries_total", dimensions: label, factory: factory),
                throttled: Counter(label: "moonwatch_throttled_total", dimensions: label, factory: factory),
                requestDuration: CoreMetrics.Timer(label: "moonwatch_request_duration_seconds", dimensions: label, factory: factory))
        }
        self.services = services
        downloadRetries = Counter(label: "moonwatch_retries_total", dimensions: [("service", Self.download)], factory: factory)
        coinsSpent = Gauge(label: "moonwatch_tryon_coins_spent", factory: factory)
        downloadedBytes = Counter(label: "moonwatch_downloaded_bytes_total", factory: factory)
        downloadedFiles = Counter(label: "moonwatch_downloaded_files_total", factory: factory)
    }

    /// The handles of `service`, or of `other` for a name outside the fixed set.
    func service(_ service: String) -> PerService {
        services[service] ?? services[Self.other]!
    }

    /// The retry counter of `service`, the downloader's included.
    func retries(_ service: String) -> Counter {
        service == Self.download ? downloadRetries : self.service(service).retries
    }

    /// The error counter of (`service`, `kind`), made on first use.
    func errors(_ service: String, kind: ServiceError.Kind) -> Counter {
        let service = services[service] == nil && service != Self.download ? Self.other : service
        let key = service + " " + kind.rawValue
        return errors.withLock { made in
            if let counter = made[key] { return counter }
            let counter = Counter(
                label: "moonwatch_service_errors_total", dimensions: [("service", service), ("kind", kind.rawValue)],
                factory: factory)
            made[key] = counter
            return counter
        }
    }
}
