import RunConfiguration
import Synchronization

/// The normalized status vocabulary of docs/contract.md §2.1.
package enum JobStatus: String, Sendable, CaseIterable {
    case queued, starting, running, stopping, stopped, succeeded, partial, failed, canceled, unknown

    /// Whether the job will not change state by itself any more.
    /// `unknown` is not terminal: a waiter keeps polling.
    package var isTerminal: Bool {
        switch self {
        case .stopped, .succeeded, .partial, .failed, .canceled: true
        case .queued, .starting, .running, .stopping, .unknown: false
        }
    }
}

/// Reports each state a service sent that the host does not know, once per
/// (service, state) per run. Never throws, never crashes.
package final class UnknownStateReporter: Sendable {
    private let seen = Mutex<Set<String>>([])
    private let report: @Sendable (ServiceName, String) -> Void

    package init(_ report: @escaping @Sendable (ServiceName, String) -> Void = { _, _ in }) {
        self.report = report
    }

    /// Records `state`; calls the report function the first time only.
    package func note(_ service: ServiceName, _ state: String) {
        let isNew = seen.withLock { $0.insert("\(service.rawValue)\u{0}\(state)").inserted }
        if isNew { report(service, state) }
    }
}
