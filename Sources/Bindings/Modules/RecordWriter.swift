#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Lua

/// Where `emit` sends each record, as JSON text.
public protocol RecordSink: AnyObject {
    /// The out directory: a record's `image` names a file under it.
    var outDirectory: String { get }

    /// Takes one record (with its `image`, already checked); an error is raised
    /// in the script at the `emit` call.
    func append(_ line: [UInt8], image: String?) throws(ScriptError)
}

/// Appends JSON lines to `OUT/records.jsonl`, creating the folder on first use.
///
/// Each record is one `write(2)` on a file opened with `O_APPEND`, so a crash
/// never leaves half a line behind another process's lines.
public final class RecordWriter: RecordSink {
    public let path: String
    public let outDirectory: String
    /// The `image` of every record written, for the run's report.
    public private(set) var images: [String] = []
    /// Records written so far.
    public private(set) var count = 0
    private var descriptor: Int32 = -1

    public init(outDirectory: String) {
        self.outDirectory = outDirectory
        path = outDirectory + "/records.jsonl"
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    public func append(_ line: [UInt8], image: String?) throws(ScriptError) {
        if descriptor < 0 {
            try makeDirectories(outDirectory)
            descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw failure("cannot open \(path)") }
        }
        var bytes = line
        bytes.append(UInt8(ascii: "\n"))
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw failure("cannot write to \(path)")
            }
            offset += written
        }
        count += 1
        if let image { images.append(image) }
    }

    private func makeDirectories(_ path: String) throws(ScriptError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw failure("cannot create \(prefix)")
            }
        }
    }

    private func failure(_ what: String) -> ScriptError {
        ScriptError(ScriptError.Kind(rawValue: "config"), "emit: \(what): \(String(cString: strerror(errno)))")
    }
}
