/// Sends one HTTP request and returns the whole answer.
///
/// Implementations map failures to ``ServiceError``: network problems to
/// `network` (retryable), timeouts to `timeout`, task cancellation to `canceled`.
/// Any HTTP status is a normal answer, not an error.
package protocol HTTPTransport: Sendable {
    func send(_ request: ServiceRequest) async throws -> ServiceResponse
}

/// Header fields in order; names compare case-insensitively.
package struct HTTPFields: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    package private(set) var fields: [(name: String, value: String)] = []

    package init() {}
    package init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements { fields.append((name, value)) }
    }
    package init(_ pairs: [(String, String)]) {
        for (name, value) in pairs { fields.append((name, value)) }
    }

    /// The first value of `name` (case-insensitive); setting replaces every value.
    package subscript(name: String) -> String? {
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

    package mutating func append(_ name: String, _ value: String) { fields.append((name, value)) }

    package var count: Int { fields.count }

    package func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    package static func == (lhs: HTTPFields, rhs: HTTPFields) -> Bool {
        lhs.fields.map { "\($0.name.lowercased()):\($0.value)" } == rhs.fields.map { "\($0.name.lowercased()):\($0.value)" }
    }
}

/// One request as the services send it.
package struct ServiceRequest: Sendable, Equatable {
    package var method: String
    package var url: ServiceURL
    package var headers: HTTPFields
    package var body: [UInt8]
    /// Overrides the transport's total timeout for this request, in seconds (and its
    /// read timeout, when longer: a script that allows a slow answer gets one).
    package var timeout: Double?
    /// Overrides the transport's limit on the answer's body, in bytes.
    package var maxBodyBytes: Int?

    package init(
        method: String, url: ServiceURL, headers: HTTPFields = [:], body: [UInt8] = [], timeout: Double? = nil,
        maxBodyBytes: Int? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
    }
}

/// A complete answer.
package struct ServiceResponse: Sendable, Equatable {
    package var status: Int
    package var headers: HTTPFields
    package var body: [UInt8]

    package init(status: Int, headers: HTTPFields = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Convenience for tests and fakes: a body given as text.
    package init(status: Int, headers: HTTPFields = [:], text: String) {
        self.init(status: status, headers: headers, body: Array(text.utf8))
    }

    package var bodyText: String { String(decoding: body, as: UTF8.self) }
}
