import ArgumentParser
import Foundation
import JSON
import Journal
import Logging
import Report
import Services

/// `moonwatch status --state URL|PATH [--json]`: where a whole batch stands,
/// every machine's work: items by outcome, the workers and their heartbeats,
/// the oldest lease, the recent rate and the ETA.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show where a batch stands across every machine: items, workers, oldest lease, rate, ETA."
    )

    @OptionGroup var journal: JournalOptions

    @Flag(name: .long, help: "One JSON object on standard output, for scripts.")
    var json = false

    func run() throws {
        let redactor = Redactor()
        let logger = Logger(label: "moonwatch") { _ in ConsoleLogHandler(level: .warning, format: .text, redactor: redactor) }
        let configuration = try journal.configuration()
        let store = try journal.open(configuration: configuration, redactor: redactor, logger: logger)
        let status: BatchStatus
        do throws(JournalError) {
            status = try store.status()
        } catch {
            Console.error("moonwatch: \(redactor.redact(error.message))")
            throw ExitCode(1)
        }
        // A worker renews its heartbeat every quarter lease.
        let period = Double(configuration.journal.leaseSeconds) / 4
        print(json ? Self.json(status, heartbeatPeriod: period).serialized : Self.text(status, heartbeatPeriod: period))
    }

    static func text(_ status: BatchStatus, heartbeatPeriod: Double) -> String {
        let counts = status.counts
        var lines = [
            "batch         \(status.input)",
            "journal       \(status.location)",
            "items         \(counts.total): done \(counts[.done]) · failed \(counts[.failed]) · running \(counts[.running])"
                + " · pending \(counts[.pending])",
        ]
        let alive = status.workers.filter { status.isAlive($0, heartbeatPeriod: heartbeatPeriod) }
        if !status.workers.isEmpty {
            lines.append("workers       \(alive.count) alive, \(status.workers.count - alive.count) stopped or gone")
            for worker in status.workers {
                let state = status.isAlive(worker, heartbeatPeriod: heartbeatPeriod)
                    ? "alive" : worker.stopped == nil ? "gone (no heartbeat)" : "stopped"
                lines.append("  \(worker.owner)   \(state), last heartbeat \(age(worker.lastHeartbeat, status)) ago")
            }
        }
        if let lease = status.oldestLease {
            let left = lease.expires.timeIntervalSince(status.now)
            lines.append("oldest lease  line \(lease.line) by \(lease.owner), held \(age(lease.claimed, status)), "
                + (left >= 0 ? "expires in \(Format.duration(left))" : "expired \(Format.duration(-left)) ago"))
        }
        let eta = status.eta.map(Format.duration) ?? "? (nothing finished in the last \(Format.duration(status.window)))"
        lines.append("rate          \(String(format: "%.2f", status.rate)) items/s (recent) · ETA \(eta)")
        return lines.joined(separator: "\n")
    }

    private static func age(_ date: Date, _ status: BatchStatus) -> String {
        Format.duration(max(0, status.now.timeIntervalSince(date)))
    }

    static func json(_ status: BatchStatus, heartbeatPeriod: Double) -> JSONValue {
        let counts = status.counts
        var items: JSONObject = ["total": .integer(Int64(counts.total))]
        for state in ItemStatus.allCases { items[state.rawValue] = .integer(Int64(counts[state])) }
        let workers: [JSONValue] = status.workers.map { worker in
            .object([
                "owner": .string(worker.owner),
                "alive": .bool(status.isAlive(worker, heartbeatPeriod: heartbeatPeriod)),
                "stopped": .bool(worker.stopped != nil),
                "seconds_since_heartbeat": .number(status.now.timeIntervalSince(worker.lastHeartbeat)),
            ])
        }
        let lease: JSONValue = status.oldestLease.map { lease in
            .object([
                "line": .integer(Int64(lease.line)), "owner": .string(lease.owner),
                "held_seconds": .number(status.now.timeIntervalSince(lease.claimed)),
                "expires_in_seconds": .number(lease.expires.timeIntervalSince(status.now)),
            ])
        } ?? .null
        return .object([
            "journal": .string(status.location),
            "input": .string(status.input),
            "items": .object(items),
            "workers": .array(workers),
            "oldest_lease": lease,
            "rate_per_second": .number(status.rate),
            "eta_seconds": status.eta.map(JSONValue.number) ?? .null,
        ])
    }
}
