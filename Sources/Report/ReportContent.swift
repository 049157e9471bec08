import Foundation
import Journal

/// Everything `report.html` shows (docs/report.md): built from a batch's journal
/// or from what a `moonwatch run` did, then rendered by ``ReportPage``.
package struct ReportContent: Sendable {
    package var header: ReportHeader
    /// Items by status; nil for `moonwatch run`, which has no items.
    package var outcomes: ItemCounts?
    /// Failed items, grouped by kind and code, the largest group first.
    package var failureGroups: [FailureGroup]
    /// Per service: polls, retries, throttled answers, waits; empty when the
    /// figures are not known (`moonwatch report` reads only the journal).
    package var services: [ServiceFigures]
    /// Try-on coins this process spent.
    package var coinsSpent: Double?
    /// The files, grouped by item (or by folder for `moonwatch run`).
    package var gallery: [GalleryEntry]

    package init(
        header: ReportHeader, outcomes: ItemCounts?, failureGroups: [FailureGroup], services: [ServiceFigures],
        coinsSpent: Double?, gallery: [GalleryEntry]
    ) {
        self.header = header
        self.outcomes = outcomes
        self.failureGroups = failureGroups
        self.services = services
        self.coinsSpent = coinsSpent
        self.gallery = gallery
    }
}

/// The report's first lines: what ran, when, and how it ended.
package struct ReportHeader: Sendable {
    /// The command line, redacted.
    package var command: String
    /// When the run started; nil for a page written from a journal, which
    /// then shows only when it was written (``ended``).
    package var started: Date?
    package var ended: Date
    /// The process's exit status; nil when the report is written outside the
    /// run (`moonwatch report`).
    package var exitStatus: Int32?
    package var version: String
    /// Where the items came from and where the journal is, for a batch.
    package var details: [(name: String, value: String)]

    package init(
        command: String, started: Date?, ended: Date, exitStatus: Int32?, version: String,
        details: [(name: String, value: String)] = []
    ) {
        self.command = command
        self.started = started
        self.ended = ended
        self.exitStatus = exitStatus
        self.version = version
        self.details = details
    }
}
