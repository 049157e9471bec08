import CoreMetrics
import Synchronization
import Transport

/// Run-wide counters for the summary table: requests (polls) sent, retries and
/// throttled answers per service, try-on coins spent, and downloads (bytes,
/// files, and the time spent downloading, for the rate).
///
/// Given a metrics factory (`--metrics`), each count also goes to its metric,
/// from the same call, so a scrape and the end summary agree by construction;
/// service errors and request durations are only metrics.
package final class RunCounters: Sendable {
    /// A consistent copy of the counters.
    package struct Snapshot: Sendable, Equatable {
        /// Requests sent, per service name (each retry is a request).
        package var requests: [String: Int] = [:]
        /// Retries scheduled, per service name.
        package var retries: [String: Int] = [:]
        /// Throttled answers (429 / `APIG.0308`), per service name.
        package var throttled: [String: Int] = [:]
        /// Seconds from a waiter's start to its answer (a terminal state or the
        /// one it waited for), per service, in the order they ended.
        package var waits: [String: [Double]] = [:]
        /// Try-on coins charged (0.1 per query sent), in thousandths.
        package var milliCoinsSpent: Int = 0

        /// Body bytes written by downloads (resumed bytes are not counted twice).
        package var downloadBytes: Int64 = 0
        /// Downloads that ended with a complete file, fetched or skipped.
        package var downloadsFinished: Int = 0
        /// Of those, the ones skipped because the file was already complete.
        package var downloadsSkipped: Int = 0
        /// Downloads in progress (holding one of the run's download slots).
        package var downloadsActive: Int = 0
        /// Monotonic seconds during which at least one download was active, up to
        /// ``downloadBusySince``.
        package var downloadBusySeconds: Double = 0
        /// When the current busy stretch began (nil while no download is active).
        package var downloadBusySince: Double?

        package var coinsSpent: Double { Double(milliCoinsSpent) / 1000 }

        /// Bytes per second while downloads were running, at monotonic time `now`.
        package func downloadRate(now: Double) -> Double {
            let seconds = downloadBusySeconds + (downloadBusySince.map { max(0, now - $0) } ?? 0)
            return seconds > 0 ? Double(downloadBytes) / seconds : 0
        }
        package var totalRequests: Int { requests.values.reduce(0, +) }
        package var totalRetries: Int { retries.values.reduce(0, +) }
    }

    private let state = Mutex(Snapshot())
    private let metrics: RunMetricHandles?

    /// - Parameter metrics: the run's metrics factory; nil records no metrics.
    package init(metrics: (any MetricsFactory)? = nil) {
        self.metrics = metrics.map { RunMetricHandles(factory: $0) }
    }

    package var snapshot: Snapshot { state.withLock { $0 } }

    package func countRequest(_ service: String) {
        state.withLock { $0.requests[service, default: 0] += 1 }
        metrics?.service(service).requests.increment()
    }
    package func countRetry(_ service: String) {
        state.withLock { $0.retries[service, default: 0] += 1 }
        metrics?.retries(service).increment()
    }
    package func countThrottled(_ service: String) {
        state.withLock { $0.throttled[service, default: 0] += 1 }
        metrics?.service(service).throttled.increment()
    }
    package func countWait(_ service: String, seconds: Double) { state.withLock { $0.waits[service, default: []].append(seconds) } }
    func addMilliCoins(_ amount: Int) {
        state.withLock {
            $0.milliCoinsSpent += amount
            // Set under the lock, so two charges cannot store their totals out of order;
            // a gauge of the exact total rather than a float counter summing 0.1s.
            metrics?.coinsSpent.record($0.coinsSpent)
        }
    }

    /// A service call failed as the script sees it: after retries, with this kind.
    package func countError(_ service: String, kind: ServiceError.Kind) {
        metrics?.errors(service, kind: kind).increment()
    }

    /// One request to `service` took `seconds`, from sending to its answer or failure.
    package func recordRequestDuration(_ service: String, seconds: Double) {
        metrics?.service(service).requestDuration.recordSeconds(max(0, seconds))
    }

    func addDownloadedBytes(_ count: Int) {
        state.withLock { $0.downloadBytes += Int64(count) }
        metrics?.downloadedBytes.increment(by: count)
    }

    func countDownloadFinished(skipped: Bool) {
        state.withLock {
            $0.downloadsFinished += 1
            if skipped { $0.downloadsSkipped += 1 }
        }
        // The summary's files: those fetched, not those found complete already.
        if !skipped { metrics?.downloadedFiles.increment() }
    }

    /// A download took a slot at monotonic time `now`.
    func downloadStarted(now: Double) {
        state.withLock {
            if $0.downloadsActive == 0 { $0.downloadBusySince = now }
            $0.downloadsActive += 1
        }
    }

    /// A download gave its slot back at monotonic time `now`.
    func downloadEnded(now: Double) {
        state.withLock {
            $0.downloadsActive -= 1
            if $0.downloadsActive == 0, let since = $0.downloadBusySince {
                $0.downloadBusySeconds += max(0, now - since)
                $0.downloadBusySince = nil
            }
        }
    }
}
