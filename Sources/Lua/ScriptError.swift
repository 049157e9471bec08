/// An error as scripts see it: a table with `kind`, `message` and, where known,
/// `service`, `status`, `code`, `request_id`, `retryable` (docs/contract.md §2.5), whose
/// `tostring` is one readable line.
public struct ScriptError: Error, Sendable, Equatable {
    /// The error's class: one word from docs/contract.md §2.5 (errors).
    public struct Kind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let invalidArgument = Kind(rawValue: "invalid_argument")
        public static let sandbox = Kind(rawValue: "sandbox")
        public static let timeout = Kind(rawValue: "timeout")
        public static let canceled = Kind(rawValue: "canceled")
    }

    public var kind: Kind
    public var message: String
    /// Further fields of the error table, such as `service`, `status` or `code`.
    public var fields: [String: LuaValue]

    public init(_ kind: Kind, _ message: String, fields: [String: LuaValue] = [:]) {
        self.kind = kind
        self.message = message
        self.fields = fields
    }
}

extension ScriptError: CustomStringConvertible {
    public var description: String { "\(message) [\(kind)]" }
}
