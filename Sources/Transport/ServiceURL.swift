/// An `http`/`https` URL split into the parts the signer and the transport need.
///
/// `path` is kept percent-encoded exactly as it goes on the request line;
/// `query` holds decoded `(name, value)` pairs in order.
package struct ServiceURL: Sendable, Equatable, CustomStringConvertible {
    package var scheme: String
    /// Host name or IP literal (IPv6 without brackets).
    package var host: String
    package var port: Int?
    /// Percent-encoded path, starting with `/` (or empty for the root).
    package var path: String
    package var query: [QueryItem]

    /// One decoded query parameter.
    package struct QueryItem: Sendable, Equatable {
        package var name: String
        package var value: String
        package init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    package init(scheme: String, host: String, port: Int? = nil, path: String = "", query: [QueryItem] = []) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
        self.query = query
    }

    /// Parses an absolute `http` or `https` URL. A fragment is dropped.
    package init(parsing text: String) throws(ServiceError) {
        func bad(_ why: String) -> ServiceError {
            ServiceError(.invalidArgument, "invalid URL \"\(text)\": \(why)")
        }
        guard let schemeEnd = text.firstRange(of: "://") else { throw bad("expected scheme://host") }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { throw bad("only http and https are supported") }
        var rest = text[schemeEnd.upperBound...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        let pathAndQuery = rest[authorityEnd...]
        if authority.contains("@") { throw bad("user information in URLs is not supported") }
        var host: Substring
        var port: Int?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw bad("unterminated IPv6 address") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            authority = authority[authority.index(after: close)...]
            if authority.hasPrefix(":") { port = Int(authority.dropFirst()) ?? -1 } else if !authority.isEmpty { port = -1 }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            port = Int(authority[authority.index(after: colon)...]) ?? -1
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw bad("missing host") }
        if let port, !(1...65535).contains(port) { throw bad("invalid port") }
        let path: Substring
        var query: [QueryItem] = []
        if let questionMark = pathAndQuery.firstIndex(of: "?") {
            path = pathAndQuery[..<questionMark]
            query = Self.parseQuery(pathAndQuery[pathAndQuery.index(after: questionMark)...])
        } else {
            path = pathAndQuery
        }
        self.init(scheme: scheme, host: host.lowercased(), port: port, path: String(path), query: query)
    }

    /// Splits `a=1&b=2` into decoded pairs; `+` is taken literally.
    package static func parseQuery(_ text: Substring) -> [QueryItem] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            if let equals = pair.firstIndex(of: "=") {
                return QueryItem(
                    PercentEncoding.decode(pair[..<equals]),
                    PercentEncoding.decode(pair[pair.index(after: equals)...]))
            }
            return QueryItem(PercentEncoding.decode(pair), "")
        }
    }

    /// Whether the host is an IPv6 literal (bracketed in URLs and `Host`).
    /// Byte search: Foundation's `String.contains` is slow, and this runs on every request.
    var isIPv6: Bool { host.utf8.contains(UInt8(ascii: ":")) }

    /// The default port of the scheme.
    package var defaultPort: Int { scheme == "https" ? 443 : 80 }

    /// The port actually connected to.
    package var effectivePort: Int { port ?? defaultPort }

    /// The `Host` header: the host, with the port when it is not the scheme's default.
    package var hostHeader: String {
        let name = isIPv6 ? "[\(host)]" : host
        if let port, port != defaultPort { return "\(name):\(port)" }
        return name
    }

    /// The encoded query string (without `?`).
    package var encodedQuery: String {
        query.map { PercentEncoding.encode($0.name) + "=" + PercentEncoding.encode($0.value) }.joined(separator: "&")
    }

    /// The full URL text.
    package var description: String {
        let name = isIPv6 ? "[\(host)]" : host
        var text = "\(scheme)://\(name)"
        if let port { text += ":\(port)" }
        text += path.isEmpty ? "/" : path
        if !query.isEmpty { text += "?" + encodedQuery }
        return text
    }

    /// The URL for messages and logs: the query (where signed URLs and API keys
    /// travel) shown as `?…`.
    package var shownWithoutQuery: String {
        var copy = self
        copy.query = []
        return copy.description + (query.isEmpty ? "" : "?…")
    }

    /// A copy with `segments` appended to the path, each percent-encoded.
    package func appending(segments: [String]) -> ServiceURL {
        var copy = self
        var base = path
        while base.hasSuffix("/") { base.removeLast() }
        copy.path = base + segments.map { "/" + PercentEncoding.encode($0) }.joined()
        return copy
    }
}
