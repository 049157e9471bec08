import Foundation
import Journal
import PostgresNIO

extension PostgresJournal {
    package func status() throws(JournalError) -> BatchStatus {
        let batch = try batch()
        let input = try boundInput()
        let counts = try counts()
        let window = BatchStatus.recentWindow
        let location = location
        return try bridge.run("read the batch's status") { client in
            var now = Date()
            var finished = 0
            var earliest: Date?
            for try await (clock, count, first) in try await client.query("""
                SELECT now(), count(*), min(finished_at) FROM moonwatch.items
                WHERE batch = \(batch) AND finished_at > now() - make_interval(secs => \(window))
                """, logger: Self.quiet
            ).decode((Date, Int, Date?).self) {
                (now, finished, earliest) = (clock, count, first)
            }
            var workers: [BatchStatus.Worker] = []
            for try await (owner, started, heartbeat, stopped) in try await client.query(
                "SELECT owner, started_at, heartbeat_at, stopped_at FROM moonwatch.workers WHERE batch = \(batch) ORDER BY started_at",
                logger: Self.quiet
            ).decode((String, Date, Date, Date?).self) {
                workers.append(BatchStatus.Worker(owner: owner, started: started, lastHeartbeat: heartbeat, stopped: stopped))
            }
            var oldest: BatchStatus.Lease?
            for try await (line, owner, claimed, expires) in try await client.query("""
                SELECT line, lease_owner, claimed_at, lease_expires FROM moonwatch.items
                WHERE batch = \(batch) AND status = 'running' ORDER BY claimed_at LIMIT 1
                """, logger: Self.quiet
            ).decode((Int, String, Date, Date).self) {
                oldest = BatchStatus.Lease(line: line, owner: owner, claimed: claimed, expires: expires)
            }
            return BatchStatus(
                location: location, input: input, counts: counts, workers: workers, oldestLease: oldest,
                finishedRecently: finished, window: earliest.map { max(1, now.timeIntervalSince($0)) } ?? window, now: now)
        }
    }
}
