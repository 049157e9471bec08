/// Where an item stands in the journal.
public enum ItemStatus: String, Sendable, CaseIterable {
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
public struct InputIdentity: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var size: Int
    /// Hex SHA-256 of the file's bytes.
    public var sha256: String

    public init(path: String, size: Int, sha256: String) {
        self.path = path
        self.size = size
        self.sha256 = sha256
    }

    public var description: String { "\(path) (\(size) bytes, sha256 \(sha256.prefix(12))…)" }
}

/// One row of the input, as stored in the journal.
public struct InputRow: Sendable, Equatable {
    /// The line of the input file where the row starts (1-based).
    public var line: Int
    /// The row as a JSON object; nil for a row that could not be read.
    public var json: String?
    /// Why the row could not be read (it then counts as a failed item).
    public var problem: String?

    public init(line: Int, json: String) {
        self.line = line
        self.json = json
    }

    public init(line: Int, problem: String) {
        self.line = line
        self.problem = problem
    }
}

/// An item a worker claimed: it owns it until its lease expires.
public struct ClaimedItem: Sendable, Equatable {
    public var line: Int
    /// The row as a JSON object.
    public var json: String
    /// 1 on the first try, then one more for every claim (crashes and retries included).
    public var attempt: Int
}

/// A file an item downloaded, stored with the item when it is marked done.
public struct DownloadRecord: Sendable, Equatable {
    public var path: String
    public var bytes: Int
    public var sha256: String?

    public init(path: String, bytes: Int, sha256: String?) {
        self.path = path
        self.bytes = bytes
        self.sha256 = sha256
    }
}

/// Items by status.
public struct ItemCounts: Sendable, Equatable {
    public var byStatus: [ItemStatus: Int] = [:]

    public init() {}

    public subscript(status: ItemStatus) -> Int {
        get { byStatus[status] ?? 0 }
        set { byStatus[status] = newValue }
    }

    public var total: Int { byStatus.values.reduce(0, +) }
}

/// One item's line in `report.jsonl`.
public struct ItemReport: Sendable, Equatable {
    public var line: Int
    public var status: ItemStatus
    public var attempts: Int
    public var error: String?
}

/// What opening a journal on an input found.
public enum PrepareOutcome: Sendable, Equatable {
    /// A new journal: every row was stored as pending (bad rows as failed).
    case created(rows: Int)
    /// The journal already belonged to this input: its items carry on.
    case resumed
}
