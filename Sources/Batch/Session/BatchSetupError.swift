/// A problem found before any item is claimed: the script does not compile, the
/// input cannot be read, or the journal belongs to another input or is in use.
/// The batch exits with 2.
package struct BatchSetupError: Error, Sendable, CustomStringConvertible {
    package var message: String

    init(_ message: String) { self.message = message }

    package var description: String { message }
}
