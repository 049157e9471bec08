/// Sends one HTTP request and returns the whole answer.
///
/// Implementations map failures to ``ServiceError``: network problems to
/// `network` (retryable), timeouts to `timeout`, task cancellation to `canceled`.
/// Any HTTP status is a normal answer, not an error.
public protocol HTTPTransport: Sendable {
    func send(_ request: ServiceRequest) async throws -> ServiceResponse
}

/// Header fields in order; names compare case-insensitively.
public struct HTTPFields: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var fields: [(name: String, value: String)] = []

    public init() {}
    public init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements { fields.append((name, value)) }
    }
    public init(_ pairs: [(String, String)]) {
        for (name, value) in pairs { fields.append((name, value)) }
    }

    /// The first value of `name` (case-insensitive); setting replaces every value.
    public subscript(name: String) -> String? {
        get {
            fields.first { Self.sameName($0.name, name) }?.value
        }
        set {
            let position = fields.firstIndex { Self.sameName($0.name, name) }
            fields.removeAll { Self.sameName($0.name, name) }
            if let newValue { fields.insert((name, newValue), at: Swift.min(position ?? fields.count, fields.count)) }
        }
    }

    /// ASCII case-insensitive equality without allocating (header lookups run on every request).
    static func sameName(_ lhs: String, _ rhs: String) -> Bool {
        guard lhs.utf8.count == rhs.utf8.count else { return false }
        return zip(lhs.utf8, rhs.utf8).allSatisfy { a, b in
            a == b || (a | 0x20 == b | 0x20 && (a | 0x20) >= 0x61 && (a | 0x20) <= 0x7A)
        }
    }

    public mutating func append(_ name: String, _ value: String) { fields.append((name, value)) }

    public var count: Int { fields.count }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    public static func == (lhs: HTTPFields, rhs: HTTPFields) -> Bool {
        lhs.fields.map { "\($0.name.lowercased()):\($0.value)" } == rhs.fields.map { "\($0.name.lowercased()):\($0.value)" }
    }
}

/// One request as the services send it.
public struct ServiceRequest: Sendable, Equatable {
    public var method: String
    public var url: ServiceURL
    public var headers: HTTPFields
    public var body: [UInt8]
    /// Overrides the transport's total timeout for this request, in seconds.
    public var timeout: Double?

    public init(method: String, url: ServiceURL, headers: HTTPFields = [:], body: [UInt8] = [], timeout: Double? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// A complete answer.
public struct ServiceResponse: Sendable, Equatable {
    public var status: Int
    public var headers: HTTPFields
    public var body: [UInt8]

    public init(status: Int, headers: HTTPFields = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Convenience for tests and fakes: a body given as text.
    public init(status: Int, headers: HTTPFields = [:], text: String) {
        self.init(status: status, headers: headers, body: Array(text.utf8))
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
