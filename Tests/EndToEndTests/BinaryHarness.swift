import Foundation
import XCTest

/// Runs the built `moonwatch` binary in a scratch folder.
struct BinaryHarness {
    let folder: URL

    /// The binary next to the test bundle (override with MOONWATCH_BINARY).
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["MOONWATCH_BINARY"] { return path }
        return Bundle.main.bundleURL.appendingPathComponent("moonwatch").path
    }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("moonwatch-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ code: String) throws {
        try code.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func read(_ name: String) -> String {
        (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var seconds: Double
    }

    /// Starts the binary; the caller waits for it.
    /// - Parameters:
    ///   - environment: the child's whole environment (default: this process's).
    ///   - onExit: called on another thread when the child has exited.
    func start(
        _ arguments: [String], environment: [String: String]? = nil, onExit: (@Sendable (Process) -> Void)? = nil
    ) throws -> (Process, URL, URL) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        if let environment { process.environment = environment }
        process.terminationHandler = onExit
        let out = folder.appendingPathComponent("stdout-\(UUID().uuidString)")
        let err = folder.appendingPathComponent("stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        return (process, out, err)
    }

    /// Runs the binary to its end without blocking a thread of the test: an
    /// emulator in the test process answers the child from the same threads.
    func run(_ arguments: [String], environment: [String: String]) async throws -> Result {
        let started = Date()
        var files: (URL, URL)?
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            do {
                let (_, out, err) = try start(arguments, environment: environment) { process in
                    continuation.resume(returning: process.terminationStatus)
                }
                files = (out, err)
            } catch {
                continuation.resume(throwing: error)
            }
        }
        return Result(
            status: status,
            stdout: files.flatMap { try? String(contentsOf: $0.0, encoding: .utf8) } ?? "",
            stderr: files.flatMap { try? String(contentsOf: $0.1, encoding: .utf8) } ?? "",
            seconds: Date().timeIntervalSince(started)
        )
    }

    func run(_ arguments: String...) throws -> Result { try run(arguments) }

    func run(_ arguments: [String]) throws -> Result {
        let started = Date()
        let (process, out, err) = try start(arguments)
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "",
            seconds: Date().timeIntervalSince(started)
        )
    }
}
