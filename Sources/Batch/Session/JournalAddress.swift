import Foundation
import Journal
import Logging
import PostgresJournal

/// Where a batch's journal is: a SQLite file (one machine) or a PostgreSQL
/// database (a batch shared by many machines), as `--state` or `[journal] url` names it.
package enum JournalAddress: Sendable, CustomStringConvertible {
    case sqlite(path: String)
    /// `password` is used when the URL holds none.
    case postgres(PostgresLocation, password: String?)

    /// - Parameter text: a `postgres://` URL, or a path (`:memory:` keeps nothing).
    package init(_ text: String, password: String?) throws(JournalError) {
        self = PostgresLocation.isURL(text) ? .postgres(try PostgresLocation(url: text), password: password) : .sqlite(path: text)
    }

    /// Whether other processes may work on the same batch at the same time.
    package var isShared: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// How it is named in messages (never with a password).
    package var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let location, _): location.description
        }
    }

    /// Opens the journal for a run; ``JournalStore/prepare(input:rows:)`` binds it to the input.
    package func open(logger: Logger) throws(JournalError) -> any JournalStore {
        switch self {
        case .sqlite(let path): try SQLiteJournal(path: path)
        case .postgres(let location, let password): try PostgresJournal(location: location, password: password, logger: logger)
        }
    }

    /// Opens a journal that already holds a batch, to read it (`moonwatch report`,
    /// `moonwatch status`): the only batch in it, or the one whose input SHA-256
    /// starts with `sha256Prefix`.
    package func openExisting(batch sha256Prefix: String?, logger: Logger) throws(JournalError) -> any JournalStore {
        switch self {
        case .sqlite(let path):
            guard path != ":memory:", FileManager.default.fileExists(atPath: path) else {
                throw JournalError("no journal at \(path) (moonwatch batch writes it; --state names another)")
            }
            do {
                return try SQLiteJournal(path: path)
            } catch {
                // The running batch holds its SQLite file exclusively (docs/journal.md §4).
                throw JournalError(error.message + "; a SQLite journal can be read once its batch has stopped "
                    + "(its progress line shows it meanwhile), a PostgreSQL one at any time")
            }
        case .postgres(let location, let password):
            let journal = try PostgresJournal(location: location, password: password, logger: logger)
            try journal.select(sha256Prefix: sha256Prefix)
            return journal
        }
    }
}
