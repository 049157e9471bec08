/// A journal or input problem, as one readable sentence.
package struct JournalError: Error, Sendable, CustomStringConvertible {
    package var message: String

    package init(_ message: String) { self.message = message }

    package var description: String { message }
}
