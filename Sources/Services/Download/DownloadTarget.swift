import Transport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where one download goes: the destination inside the out directory, with
/// its `.part` (the bytes so far) and `.part.meta` (what the bytes belong to).
///
/// Resolving it creates the missing folders one at a time, checking each
/// existing component before going into it, so a symlink that leads out of the
/// out directory is refused before anything is created beyond it.
struct DownloadTarget: Sendable, Equatable {
    /// The out directory joined with the destination, as the run names it (results, messages).
    let path: String
    /// The real path of the folder that holds the file.
    let folder: String
    /// The real path of the file.
    let file: String

    var part: String { file + ".part" }
    var meta: String { file + ".part.meta" }

    /// - Throws: `sandbox` for an absolute path, a `..` component or a symlink
    ///   that leads out of `outDirectory`; `download` when a folder cannot be made.
    static func resolve(_ destination: String, in outDirectory: String) throws(ServiceError) -> DownloadTarget {
        let components = try components(of: destination)
        let root = try makeRoot(outDirectory)
        var current = root
        for component in components.dropLast() {
            current = try enter(current + "/" + component, root: root, destination: destination)
        }
        let file = current + "/" + components[components.count - 1]
        try checkFile(file, root: root, destination: destination)
        let shownRoot = outDirectory.hasSuffix("/") && outDirectory.count > 1 ? String(outDirectory.dropLast()) : outDirectory
        return DownloadTarget(path: shownRoot + "/" + components.joined(separator: "/"), folder: current, file: file)
    }

    /// The path's components, or `sandbox` if it is absolute, climbs with `..` or names nothing.
    static func components(of destination: String) throws(ServiceError) -> [String] {
        if destination.hasPrefix("/") {
            throw ServiceError(.sandbox, "destination '\(destination)' is absolute; destinations are relative to the out directory")
        }
        if destination.utf8.contains(0) {
            throw ServiceError(.sandbox, "destination '\(destination)' contains a zero byte")
        }
        let parts = destination.split(separator: "/").map(String.init).filter { $0 != "." }
        if parts.contains("..") {
            throw ServiceError(.sandbox, "destination '\(destination)' contains '..'; it must stay inside the out directory")
        }
        guard !parts.isEmpty, !destination.hasSuffix("/") else {
            throw ServiceError(.sandbox, "destination '\(destination)' names no file")
        }
        return parts
    }

    /// Creates the out directory if needed; returns its real path.
    private static func makeRoot(_ outDirectory: String) throws(ServiceError) -> String {
        var prefix = outDirectory.hasPrefix("/") ? "" : "."
        for component in outDirectory.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw ServiceError(.download, "cannot create the out directory \(prefix): \(errnoText())")
            }
        }
        guard let real = realPath(outDirectory.isEmpty ? "." : outDirectory) else {
            throw ServiceError(.download, "cannot resolve the out directory \(outDirectory): \(errnoText())")
        }
        return real
    }

    /// Goes into (creating if needed) one folder of the destination; returns its real path.
    private static func enter(_ path: String, root: String, destination: String) throws(ServiceError) -> String {
        var status = stat()
        if lstat(path, &status) != 0 {
            guard errno == ENOENT else { throw ServiceError(.download, "cannot inspect \(path): \(errnoText())") }
            if mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw ServiceError(.download, "cannot create folder \(path): \(errnoText())")
            }
            return try inside(path, root: root, destination: destination)
        }
        switch status.st_mode & S_IFMT {
        case S_IFDIR:
            return path
        case S_IFLNK:
            let real = try inside(path, root: root, destination: destination)
            var target = stat()
            guard stat(real, &target) == 0, target.st_mode & S_IFMT == S_IFDIR else {
                throw ServiceError(.download, "destination '\(destination)': \(path) is not a folder")
            }
            return real
        default:
            throw ServiceError(.download, "destination '\(destination)': \(path) is not a folder")
        }
    }

    /// The file itself may be missing or a regular file; a symlink must stay inside the out directory.
    private static func checkFile(_ file: String, root: String, destination: String) throws(ServiceError) {
        var status = stat()
        guard lstat(file, &status) == 0 else { return }
        switch status.st_mode & S_IFMT {
        case S_IFLNK:
            let real = try inside(file, root: root, destination: destination)
            var target = stat()
            if stat(real, &target) == 0, target.st_mode & S_IFMT == S_IFDIR {
                throw ServiceError(.download, "destination '\(destination)' is a folder")
            }
        case S_IFDIR:
            throw ServiceError(.download, "destination '\(destination)' is a folder")
        default:
            break
        }
    }

    /// The real path of `path`, or `sandbox` when it resolves outside `root` (or nowhere).
    private static func inside(_ path: String, root: String, destination: String) throws(ServiceError) -> String {
        guard let real = realPath(path) else {
            throw ServiceError(.sandbox, "destination '\(destination)': \(path) is a symlink that leads nowhere")
        }
        guard real == root || real.hasPrefix(root == "/" ? "/" : root + "/") else {
            throw ServiceError(.sandbox, "destination '\(destination)' leads out of the out directory (through a symlink to \(real))")
        }
        return real
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// The text of the current `errno`.
func errnoText(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}
