import Bindings
import Foundation
import Logging
import Lua
import Runtime
import Synchronization

/// Runs a script in-process with the full script environment, in a fresh folder.
struct ScriptHarness {
    let folder: URL
    let logs = LogCollector()

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("moonwatch-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ code: String) throws {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try code.write(to: url, atomically: true, encoding: .utf8)
    }

    var outDirectory: String { folder.appendingPathComponent("out").path }

    /// The emitted records, each re-encoded with sorted keys so tests can compare text.
    func records() throws -> [String] {
        let text = (try? String(contentsOfFile: outDirectory + "/records.jsonl", encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
            let sorted = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
            return String(decoding: sorted, as: UTF8.self)
        }
    }

    func makeRuntime(_ code: String, limits: LuaLimits? = nil, interruptGrace: Double = 10) throws -> Runtime {
        try write("main.lua", code)
        var options = RuntimeOptions(logger: Logger(label: "test") { _ in logs.handler() })
        if let limits { options.limits = limits }
        options.interruptGrace = interruptGrace
        // Scripts are named as users name them, relative to the working directory.
        FileManager.default.changeCurrentDirectoryPath(folder.path)
        let runtime = try Runtime(scriptPath: "main.lua", options: options)
        try ScriptEnvironment.install(in: runtime, arguments: ["a1", "a2"], records: RecordWriter(outDirectory: outDirectory))
        return runtime
    }

    /// Runs `code` as the main script.
    func run(_ code: String, limits: LuaLimits? = nil) throws -> RunReport {
        try makeRuntime(code, limits: limits).run(arguments: ["a1", "a2"])
    }
}

/// Keeps every log line for assertions.
final class LogCollector: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    func handler() -> some LogHandler { Handler(collector: self) }

    struct Handler: LogHandler {
        let collector: LogCollector
        var logLevel: Logger.Level = .debug
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let at = event.metadata?["at"].map { " at=\($0)" } ?? ""
            collector.lines.withLock { $0.append("\(event.level): \(event.message)\(at)") }
        }
    }
}

extension RunReport {
    var failureMessage: String? {
        if case .failed(let message, _, _) = outcome { return message }
        return nil
    }

    var traceback: String? {
        if case .failed(_, let traceback, _) = outcome { return traceback }
        return nil
    }
}
