/// Where `--metrics` serves: `PORT` alone (on 127.0.0.1, so nothing is
/// exposed beyond the machine unless asked for), `HOST:PORT`, or
/// `[IPv6]:PORT`. Port 0 asks the system for a free one.
package struct MetricsAddress: Sendable, Equatable, CustomStringConvertible {
    package var host: String
    package var port: Int

    package static let defaultHost = "127.0.0.1"

    package init(host: String = MetricsAddress.defaultHost, port: Int) {
        self.host = host
        self.port = port
    }

    /// - Throws: a ``MetricsAddressError`` saying what is wrong with `text`.
    package init(parsing text: String) throws(MetricsAddressError) {
        let host: Substring
        let port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw MetricsAddressError("an IPv6 address in brackets lacks its ']' (expected [ADDRESS]:PORT)")
            }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw MetricsAddressError("expected :PORT after the bracketed address") }
            port = rest.dropFirst()
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            port = text[text.index(after: colon)...]
            if host.contains(":") {
                throw MetricsAddressError("an IPv6 address goes in brackets, as in [::1]:9464")
            }
        } else {
            host = Substring(Self.defaultHost)
            port = Substring(text)
        }
        guard !host.isEmpty else { throw MetricsAddressError("the host before ':' is empty (PORT alone means 127.0.0.1:PORT)") }
        guard host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-_:%".contains($0)) }) else {
            throw MetricsAddressError("'\(host)' is not a host name or an IP address")
        }
        guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(port),
            number <= 65535
        else {
            throw MetricsAddressError("the port must be a number from 0 to 65535 (0 picks a free one), not '\(port)'")
        }
        self.init(host: String(host), port: number)
    }

    /// The host as a URL spells it: an IPv6 address in brackets.
    package var urlHost: String { host.contains(":") ? "[\(host)]" : host }

    /// `HOST:PORT`, as a URL spells it.
    package var description: String { "\(urlHost):\(port)" }
}

/// Why a `--metrics` value is not an address; the description is the reason alone,
/// for a message that names the flag and the value around it.
package struct MetricsAddressError: Error, Equatable, CustomStringConvertible {
    package var description: String

    package init(_ description: String) {
        self.description = description
    }
}
