/// One entry of `[http] allow`: a host name (`hooks.slack.com`, `10.0.0.7`) or a
/// wildcard over the subdomains of one (`*.example.com` matches `a.example.com`
/// and `a.b.example.com`, not `example.com`). Hosts compare in lower case.
package struct HostPattern: Sendable, Equatable, CustomStringConvertible {
    /// The host, or the domain after `*.`.
    package let host: String
    package let coversSubdomains: Bool

    /// Parses a pattern, or nil with `problem` saying why.
    package init?(parsing text: String, problem: inout String) {
        let lowered = text.lowercased()
        let wildcard = lowered.hasPrefix("*.")
        let host = wildcard ? String(lowered.dropFirst(2)) : lowered
        if lowered.contains("://") || lowered.contains("/") {
            problem = "\"\(text)\" is a URL: give its host name only"
            return nil
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        let valid = !host.isEmpty && labels.allSatisfy { label in
            !label.isEmpty && label.utf8.allSatisfy { byte in
                (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x5F
            }
        }
        guard valid else {
            problem = "\"\(text)\" is not a host name or *.domain pattern"
            return nil
        }
        self.host = host
        self.coversSubdomains = wildcard
    }

    /// Whether `candidate` (a URL's host, already lower case) is covered.
    package func matches(_ candidate: String) -> Bool {
        guard coversSubdomains else { return candidate == host }
        return candidate.utf8.count > host.utf8.count + 1 && candidate.hasSuffix("." + host)
    }

    package var description: String { coversSubdomains ? "*." + host : host }
}
