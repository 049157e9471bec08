import Foundation

/// Where a whole batch stands, for `moonwatch status`: every machine's work, read from the journal.
package struct BatchStatus: Sendable, Equatable {
    /// A process working (or that worked) on the batch, by its lease owner name.
    package struct Worker: Sendable, Equatable {
        package var owner: String
        package var started: Date
        package var lastHeartbeat: Date
        /// When it said it was stopping; nil while it runs (or if it died without saying).
        package var stopped: Date?

        package init(owner: String, started: Date, lastHeartbeat: Date, stopped: Date?) {
            self.owner = owner
            self.started = started
            self.lastHeartbeat = lastHeartbeat
            self.stopped = stopped
        }
    }

    /// The item held longest under one lease.
    package struct Lease: Sendable, Equatable {
        package var line: Int
        package var owner: String
        package var claimed: Date
        package var expires: Date

        package init(line: Int, owner: String, claimed: Date, expires: Date) {
            self.line = line
            self.owner = owner
            self.claimed = claimed
            self.expires = expires
        }
    }

    /// The journal, as `--state` shows it (never a password).
    package var location: String
    /// The input the batch was made from.
    package var input: String
    package var counts: ItemCounts
    package var workers: [Worker]
    package var oldestLease: Lease?
    /// Items finished (done or failed) within the last ``window`` seconds, and that window.
    package var finishedRecently: Int
    package var window: Double
    /// The journal's own clock when this was read: ages are measured against it, not this machine's.
    package var now: Date

    package init(
        location: String, input: String, counts: ItemCounts, workers: [Worker], oldestLease: Lease?,
        finishedRecently: Int, window: Double, now: Date
    ) {
        self.location = location
        self.input = input
        self.counts = counts
        self.workers = workers
        self.oldestLease = oldestLease
        self.finishedRecently = finishedRecently
        self.window = window
        self.now = now
    }

    /// How far back "recent" reaches for the rate: long enough to smooth bursts, short enough to follow a change.
    package static let recentWindow: Double = 300

    /// Items per second over the recent window; 0 when nothing finished in it.
    package var rate: Double { window > 0 ? Double(finishedRecently) / window : 0 }

    /// Seconds until every item is finished at the recent rate; nil when nothing is moving.
    package var eta: Double? {
        let remaining = counts[.pending] + counts[.running]
        if remaining == 0 { return 0 }
        return rate > 0 ? Double(remaining) / rate : nil
    }

    /// A worker whose heartbeat is older than this is taken for dead.
    package func isAlive(_ worker: Worker, heartbeatPeriod: Double) -> Bool {
        worker.stopped == nil && now.timeIntervalSince(worker.lastHeartbeat) <= 2 * heartbeatPeriod + 5
    }
}
