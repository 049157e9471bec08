/// One item's files in the gallery (or, for `moonwatch run`, one folder's).
package struct GalleryEntry: Sendable, Equatable {
    /// `line 12 · demo-job-3`, or the folder.
    package var title: String
    /// The item's status (`done`, `failed`, ...); nil for a run's folder.
    package var status: String?
    package var files: [ReportFile]

    package init(title: String, status: String?, files: [ReportFile]) {
        self.title = title
        self.status = status
        self.files = files
    }
}

/// A file the report shows: downloaded (with the digest the download
/// verified) or named by `emit{image = ...}`.
package struct ReportFile: Sendable, Equatable {
    /// Where the file is, as the run named it (the out directory joined with
    /// the destination).
    package var path: String
    package var bytes: Int
    package var sha256: String?
    /// Named by `emit{image = ...}` rather than downloaded.
    package var emitted: Bool

    package init(path: String, bytes: Int, sha256: String?, emitted: Bool = false) {
        self.path = path
        self.bytes = bytes
        self.sha256 = sha256
        self.emitted = emitted
    }

    /// The extensions browsers show in an `<img>`.
    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "webp", "gif"]

    /// Shown as a picture (by its extension) rather than listed.
    package var isImage: Bool {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return false }
        return Self.imageExtensions.contains(path[path.index(after: dot)...].lowercased())
    }

    /// The last component of ``path``.
    package var name: String { path.split(separator: "/").last.map(String.init) ?? path }
}
