#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files a script may load: Lua files in its own folder and below.
///
/// `require`, `loadfile` and `dofile` resolve through here; absolute paths,
/// `..` and symbolic links that lead out of the folder are refused.
struct ScriptFiles {
    /// The script's folder, fully resolved.
    let root: String

    init(scriptPath: String) throws(ScriptFileError) {
        guard let resolved = Self.realPath(scriptPath) else { throw .notFound(scriptPath) }
        root = String(resolved[..<(resolved.lastIndex(of: "/") ?? resolved.endIndex)])
    }

    /// The path of module `name` (`a.b` is `a/b.lua` or `a/b/init.lua`).
    func modulePath(_ name: String) throws(ScriptFileError) -> String {
        let allowed = name.utf8.allSatisfy { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
            || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        guard allowed, !name.isEmpty, !name.hasPrefix("."), !name.hasSuffix("."), !name.contains("..") else {
            throw .invalidName(name)
        }
        let relative = name.replacingDots()
        let candidates = ["\(relative).lua", "\(relative)/init.lua"]
        for candidate in candidates {
            if let path = try? confined(candidate) { return path }
        }
        throw .moduleNotFound(name, candidates.map { "\(root)/\($0)" })
    }

    /// The resolved path of `relative` inside the folder.
    func confined(_ relative: String) throws(ScriptFileError) -> String {
        guard !relative.hasPrefix("/") else { throw .outside(relative) }
        guard let resolved = Self.realPath("\(root)/\(relative)") else { throw .notFound(relative) }
        guard resolved.hasPrefix(root + "/") else { throw .outside(relative) }
        return resolved
    }

    /// The bytes of a file.
    static func read(_ path: String) throws(ScriptFileError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(path, String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path, String(cString: strerror(errno)))
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[..<count])
        }
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// Why a script file could not be used.
enum ScriptFileError: Error, CustomStringConvertible {
    case notFound(String)
    case outside(String)
    case invalidName(String)
    case moduleNotFound(String, [String])
    case unreadable(String, String)

    var description: String {
        switch self {
        case .notFound(let path): return "cannot open \(path): no such file"
        case .outside(let path): return "\(path) is outside the script's folder; scripts may load only files beside them"
        case .invalidName(let name): return "invalid module name '\(name)'"
        case .moduleNotFound(let name, let tried): return "module '\(name)' not found; tried \(tried.joined(separator: ", "))"
        case .unreadable(let path, let reason): return "cannot read \(path): \(reason)"
        }
    }
}

extension String {
    fileprivate func replacingDots() -> String { String(map { $0 == "." ? "/" : $0 }) }
}
