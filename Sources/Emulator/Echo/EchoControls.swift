/// The query parameters that steer `/_emulator/echo`'s answer (``EchoRoute``), checked before
/// anything else happens, so a mistyped test fails with a 400 naming the parameter.
struct EchoControls: Equatable {
    enum Redirect: Equatable {
        /// This many more redirects before the echo.
        case hops(Int)
        /// A redirect to the very same URL, forever.
        case loop
    }

    /// `status=N`: the answer's status (default 200).
    var status = 200
    /// `delay_ms=N`: how long to wait before answering.
    var delayMs = 0
    /// `redirect=N|loop`
    var redirect: Redirect?
    /// `redirect_status=301|302|303|307|308` (default 302).
    var redirectStatus = 302
    /// `bytes=N`: the length of the `padding` field.
    var paddingBytes: Int?
    /// `content_type=TYPE`: the answer's Content-Type.
    var contentType: String?

    struct Problem: Error, Equatable {
        let message: String

        init(_ message: String) { self.message = message }
    }

    /// A 1xx cannot end an exchange (the client would wait for the final answer forever),
    /// so `status` starts at 200.
    static let statuses = 200...599
    static let maxDelayMs = 60_000
    static let maxRedirects = 20
    static let redirectStatuses = [301, 302, 303, 307, 308]
    static let maxPaddingBytes = 64 << 20

    init(_ query: QueryString) throws(Problem) {
        status = try Self.integer("status", in: Self.statuses, query) ?? status
        delayMs = try Self.integer("delay_ms", in: 0...Self.maxDelayMs, query) ?? delayMs
        if query["redirect"] == "loop" {
            redirect = .loop
        } else if let hops = try Self.integer("redirect", in: 1...Self.maxRedirects, query, or: "or loop") {
            redirect = .hops(hops)
        }
        if let code = query["redirect_status"] {
            guard let status = Int(code), Self.redirectStatuses.contains(status) else {
                throw Problem("redirect_status must be one of 301, 302, 303, 307, 308")
            }
            redirectStatus = status
        }
        paddingBytes = try Self.integer("bytes", in: 0...Self.maxPaddingBytes, query)
        if let type = query["content_type"] {
            // A header value: visible ASCII and spaces, nothing that could end the header.
            guard !type.isEmpty, type.utf8.allSatisfy({ $0 == 0x09 || (0x20..<0x7f).contains($0) }) else {
                throw Problem("content_type must be a non-empty header value")
            }
            contentType = type
        }
    }

    private static func integer(_ name: String, in range: ClosedRange<Int>, _ query: QueryString, or alternative: String? = nil) throws(Problem) -> Int? {
        guard let text = query[name] else { return nil }
        guard let value = Int(text), range.contains(value) else {
            let also = alternative.map { " \($0)" } ?? ""
            throw Problem("\(name) must be an integer in \(range.lowerBound)...\(range.upperBound)\(also)")
        }
        return value
    }
}
