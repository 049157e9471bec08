import Foundation
import XCTest

/// Runs the built `moonwatch` binary in a scratch folder, with an environment of
/// the test's choosing (the emulator's demo credentials).
struct BatchHarness {
    let folder: URL
    var environment: [String: String] = ProcessInfo.processInfo.environment

    /// The binary next to the test bundle (override with MOONWATCH_BINARY).
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["MOONWATCH_BINARY"] { return path }
        return Bundle.main.bundleURL.appendingPathComponent("moonwatch").path
    }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("moonwatch-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func read(_ name: String) -> String {
        (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }

    /// The lines of a JSON-lines file, decoded.
    func jsonLines(_ name: String) throws -> [[String: Any]] {
        try read(name).split(separator: "\n").map { line in
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    struct Result {
        var status: Int32
        var stderr: String
        var killed: Bool
    }

    /// Starts the binary; standard error goes to a file read by ``finish(_:)``.
    func start(_ arguments: [String], standardOutput: FileHandle = .nullDevice) throws -> (Process, URL) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = environment
        let err = folder.appendingPathComponent("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = standardOutput
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        return (process, err)
    }

    /// Waits for the process; past `seconds` it is killed (the result says so),
    /// so a test never hangs on a stuck binary.
    func finish(_ started: (Process, URL), within seconds: Double) -> Result {
        let deadline = Date().addingTimeInterval(seconds)
        while started.0.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if started.0.isRunning { kill(started.0.processIdentifier, SIGKILL) }
        return finish(started)
    }

    func finish(_ started: (Process, URL)) -> Result {
        started.0.waitUntilExit()
        return Result(
            status: started.0.terminationStatus,
            stderr: (try? String(contentsOf: started.1, encoding: .utf8)) ?? "",
            killed: started.0.terminationReason == .uncaughtSignal)
    }

    func run(_ arguments: String...) throws -> Result {
        try run(arguments)
    }

    func run(_ arguments: [String]) throws -> Result {
        finish(try start(arguments))
    }

    /// Runs the binary to its end, keeping standard output too.
    func runWithOutput(_ arguments: String...) throws -> (status: Int32, stdout: String, stderr: String) {
        let output = folder.appendingPathComponent("stdout-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let started = try start(arguments, standardOutput: try FileHandle(forWritingTo: output))
        let result = finish(started)
        return (result.status, (try? String(contentsOf: output, encoding: .utf8)) ?? "", result.stderr)
    }
}
