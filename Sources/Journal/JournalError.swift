/// A journal or input problem, as one readable sentence.
public struct JournalError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
