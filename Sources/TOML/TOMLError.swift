/// What is wrong with a TOML text, as `FILE:LINE: problem`.
package struct TOMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problem, naming the file and the line.
    package var message: String

    package init(_ message: String) { self.message = message }

    package var description: String { message }
}
