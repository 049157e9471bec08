import Transport

extension ServiceURL {
    /// Where a redirect's `Location` leads from this URL: an absolute URL, a
    /// scheme-relative `//host/...`, an absolute path or a path relative to this
    /// one's directory (RFC 3986 §5.2, without dot-segment removal beyond a
    /// leading `./`). A fragment is dropped.
    func following(_ location: String) throws(ServiceError) -> ServiceURL {
        var text = location
        if let hash = text.firstIndex(of: "#") { text = String(text[..<hash]) }
        if text.contains("://") { return try ServiceURL(parsing: text) }
        if text.hasPrefix("//") { return try ServiceURL(parsing: scheme + ":" + text) }
        var next = self
        let pathPart: Substring
        if let mark = text.firstIndex(of: "?") {
            pathPart = text[..<mark]
            next.query = Self.parseQuery(text[text.index(after: mark)...])
        } else {
            pathPart = text[...]
            next.query = pathPart.isEmpty ? query : []
        }
        if pathPart.hasPrefix("/") {
            next.path = String(pathPart)
        } else if !pathPart.isEmpty {
            let directory = path.lastIndex(of: "/").map { String(path[...$0]) } ?? "/"
            next.path = directory + (pathPart.hasPrefix("./") ? pathPart.dropFirst(2) : pathPart)
        }
        if next.path.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) {
            throw ServiceError(.badResponse, "redirect to a Location with spaces or control characters")
        }
        return next
    }

    /// `scheme://host[:port]`, which decides whether a redirect leaves the origin.
    var origin: String { "\(scheme)://\(hostHeader)" }
}
