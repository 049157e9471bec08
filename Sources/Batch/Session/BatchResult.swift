import Journal
import Report

/// How a batch run ended: the journal's final counts, what this run did, and
/// the exit code with the problems that explain it.
package struct BatchResult: Sendable {
    /// Items by status once the run is over.
    package var counts: ItemCounts
    package var counters: BatchCounters
    /// Seconds since the run started.
    package var elapsed: Double
    /// 130 interrupted; 2 configuration; 1 a script error outside `handle`, or
    /// failed items past the limit; else 0.
    package var exitCode: Int32
    /// One sentence per distinct problem, redacted, in the order found.
    package var problems: [String]
    /// The batch's failed items by kind and code, the largest group first.
    package var failureGroups: [FailureGroup]
}
