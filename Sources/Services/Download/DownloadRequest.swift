/// What the finished file must look like; every given check must pass.
package struct DownloadChecks: Sendable, Equatable {
    /// Lower-case hex SHA-256.
    package var sha256: String?
    /// Lower-case hex MD5.
    package var md5: String?
    /// Size in bytes.
    package var size: Int64?

    package init(sha256: String? = nil, md5: String? = nil, size: Int64? = nil) {
        self.sha256 = sha256?.lowercased()
        self.md5 = md5?.lowercased()
        self.size = size
    }

    /// Whether nothing is checked.
    package var isEmpty: Bool { sha256 == nil && md5 == nil && size == nil }
}

/// One call of `http.download`.
package struct DownloadRequest: Sendable, Equatable {
    /// An `http` or `https` URL.
    package var url: String
    /// The destination, relative to the out directory.
    package var destination: String
    package var checks: DownloadChecks
    /// Replace a complete file already at the destination instead of skipping it.
    package var overwrite: Bool
    /// Whether the caller can renew an expired signed URL. With it, an expired
    /// URL ends the call with ``DownloadOutcome/urlExpired(receivedBytes:)``;
    /// without, it is a `download` error.
    package var canRefresh: Bool

    package init(
        url: String, destination: String, checks: DownloadChecks = DownloadChecks(), overwrite: Bool = false,
        canRefresh: Bool = false
    ) {
        self.url = url
        self.destination = destination
        self.checks = checks
        self.overwrite = overwrite
        self.canRefresh = canRefresh
    }
}

/// A complete, verified file at its destination.
package struct DownloadResult: Sendable, Equatable {
    /// The out directory joined with the destination, as the run names it.
    package var path: String
    package var bytes: Int64
    /// Lower-case hex SHA-256 of the file.
    package var sha256: String
    /// Part of the file came from a `.part` left by an earlier attempt, call or run.
    package var resumed: Bool
    /// The file was already there (and passed the checks given); nothing was fetched.
    package var skipped: Bool

    package init(path: String, bytes: Int64, sha256: String, resumed: Bool, skipped: Bool) {
        self.path = path
        self.bytes = bytes
        self.sha256 = sha256
        self.resumed = resumed
        self.skipped = skipped
    }
}

/// How one ``Downloader/download(_:)`` call ended without an error.
package enum DownloadOutcome: Sendable, Equatable {
    case finished(DownloadResult)
    /// The signed URL has expired (the request had `canRefresh`): the `.part`
    /// is kept; call again with a fresh URL to continue it. `receivedBytes` is
    /// what this call added to the `.part`, so callers can tell a URL that
    /// expired mid-transfer from one that was stale from the start.
    case urlExpired(receivedBytes: Int64)
}
