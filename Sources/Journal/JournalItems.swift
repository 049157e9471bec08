/// Where an item stands in the journal.
package enum ItemStatus: String, Sendable, CaseIterable {
    /// Not started, or to be redone (its last run died, or `--retry-failed`).
    case pending
    /// Claimed under a lease by a worker.
    case running
    /// Finished; its records and downloads are stored with it.
    case done
    /// `handle` raised, or the row could not be read.
    case failed
}

/// The input file a journal belongs to: a journal is never reused for other content.
package struct InputIdentity: Sendable, Equatable, CustomStringConvertible {
    package var path: String
    package var size: Int
    /// Hex SHA-256 of the file's bytes.
    package var sha256: String

    package init(path: String, size: Int, sha256: String) {
        self.path = path
        self.size = size
        self.sha256 = sha256
    }

    package var description: String { "\(path) (\(size) bytes, sha256 \(sha256.prefix(12))…)" }
}

/// One row of the input, as stored in the journal.
package struct InputRow: Sendable, Equatable {
    /// The line of the input file where the row starts (1-based).
    package var line: Int
    /// The row as a JSON object; nil for a row that could not be read.
    package var json: String?
    /// Why the row could not be read (it then counts as a failed item).
    package var problem: String?

    package init(line: Int, json: String) {
        self.line = line
        self.json = json
    }

    package init(line: Int, problem: String) {
        self.line = line
        self.problem = problem
    }
}

/// An item a worker claimed: it owns it until its lease expires.
package struct ClaimedItem: Sendable, Equatable {
    package var line: Int
    /// The row as a JSON object.
    package var json: String
    /// 1 on the first try, then one more for every claim (crashes and retries included).
    package var attempt: Int

    package init(line: Int, json: String, attempt: Int) {
        self.line = line
        self.json = json
        self.attempt = attempt
    }
}

/// A file an item downloaded, stored with the item when it is marked done.
package struct DownloadRecord: Sendable, Equatable {
    package var path: String
    package var bytes: Int
    package var sha256: String?

    package init(path: String, bytes: Int, sha256: String?) {
        self.path = path
        self.bytes = bytes
        self.sha256 = sha256
    }
}

/// Items by status.
package struct ItemCounts: Sendable, Equatable {
    package var byStatus: [ItemStatus: Int] = [:]

    package init() {}

    package subscript(status: ItemStatus) -> Int {
        get { byStatus[status] ?? 0 }
        set { byStatus[status] = newValue }
    }

    package var total: Int { byStatus.values.reduce(0, +) }
}

/// Why an item failed: the error `handle` raised, as one line, with the error
/// table's `kind` and the service's `code` where it had them, so that reports
/// can group failures (docs/report.md §2).
package struct ItemError: Sendable, Equatable {
    package var message: String
    package var kind: String?
    package var code: String?

    package init(_ message: String, kind: String? = nil, code: String? = nil) {
        self.message = message
        self.kind = kind
        self.code = code
    }
}

/// One item as reports see it: its line in `report.jsonl`, and its row for `report.html`.
package struct ItemReport: Sendable, Equatable {
    package var line: Int
    package var status: ItemStatus
    package var attempts: Int
    /// The last failure's message, kind and code.
    package var error: ItemError?
    /// The row as a JSON object; nil for a row that could not be read.
    package var row: String?

    package init(line: Int, status: ItemStatus, attempts: Int, error: ItemError?, row: String? = nil) {
        self.line = line
        self.status = status
        self.attempts = attempts
        self.error = error
        self.row = row
    }
}

/// What opening a journal on an input found.
package enum PrepareOutcome: Sendable, Equatable {
    /// A new journal: every row was stored as pending (bad rows as failed).
    case created(rows: Int)
    /// The journal already belonged to this input: its items carry on.
    case resumed
}
