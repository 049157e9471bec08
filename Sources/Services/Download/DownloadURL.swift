import Foundation
import Transport

/// A URL a download may fetch: `http` or `https` with a host.
struct DownloadURL: Sendable {
    let url: URL
    /// The URL without user info, query or fragment, for messages and logs:
    /// signed URLs carry their credentials in the query.
    let shown: String

    /// - Throws: `download` for anything but an absolute http(s) URL.
    init(_ text: String) throws(ServiceError) {
        guard let url = URL(string: text) else {
            throw ServiceError(.download, "'\(Self.shorten(text))' is not a URL", retryable: false)
        }
        try self.init(url: url, original: text)
    }

    /// Where a redirect's `Location` leads from here.
    func following(_ location: String) throws(ServiceError) -> DownloadURL {
        guard let next = URL(string: location, relativeTo: url)?.absoluteURL else {
            throw ServiceError(.download, "\(shown) redirected to '\(Self.shorten(location))', which is not a URL", retryable: false)
        }
        return try DownloadURL(url: next, original: location)
    }

    private init(url: URL, original: String) throws(ServiceError) {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            let scheme = url.scheme.map { "'\($0)'" } ?? "no scheme"
            throw ServiceError(
                .download, "'\(Self.shorten(original))' has \(scheme); only http and https URLs can be downloaded",
                retryable: false)
        }
        guard let host = url.host, !host.isEmpty else {
            throw ServiceError(.download, "'\(Self.shorten(original))' has no host", retryable: false)
        }
        self.url = url
        let port = url.port.map { ":\($0)" } ?? ""
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        shown = "\(scheme)://\(bracketed)\(port)\(url.path)"
    }

    /// At most 100 characters and never a query: the text may be a signed URL.
    private static func shorten(_ text: String) -> String {
        let head = text.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? text
        return head.count > 100 ? String(head.prefix(100)) + "..." : head
    }
}
