import Foundation
import XCTest

/// Headless Chromium for the report's tests: `MOONWATCH_TEST_CHROMIUM`, else
/// `chromium` on the PATH. scripts/test installs it and sets
/// `MOONWATCH_REQUIRE_CHROMIUM=1`, so there a missing browser fails the test
/// instead of skipping it.
struct Chromium {
    let binary: String

    static func located() throws -> Chromium {
        let environment = ProcessInfo.processInfo.environment
        let candidates = [environment["MOONWATCH_TEST_CHROMIUM"]].compactMap { $0 } + ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return Chromium(binary: found) }
        if environment["MOONWATCH_REQUIRE_CHROMIUM"] == "1" {
            XCTFail("no chromium at \(candidates.joined(separator: ", ")) (scripts/test installs Debian's chromium)")
        }
        throw XCTSkip("no chromium: install Debian's chromium, or run scripts/test")
    }

    /// The DOM once the page has loaded and run its script; `settle` lets the
    /// tasks that script queued (events) run first.
    func dumpDOM(of page: URL, settle: Bool = false) throws -> String {
        try run((settle ? ["--virtual-time-budget=2000"] : []) + ["--dump-dom", page.absoluteString])
    }

    func screenshot(of page: URL, to file: URL, width: Int = 1200, height: Int = 1800) throws {
        _ = try run(["--hide-scrollbars", "--window-size=\(width),\(height)", "--screenshot=\(file.path)", page.absoluteString])
    }

    /// Runs the browser headless in a throwaway profile; killed after 90 s.
    private func run(_ arguments: [String]) throws -> String {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("moonwatch-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            "--user-data-dir=\(profile.path)",
        ] + arguments
        let output = profile.appendingPathExtension("out")
        let errors = profile.appendingPathExtension("err")
        defer {
            try? FileManager.default.removeItem(at: output)
            try? FileManager.default.removeItem(at: errors)
        }
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        let deadline = Date().addingTimeInterval(90)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            kill(-process.processIdentifier, SIGKILL)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            XCTFail("chromium did not finish within 90 s: \(arguments)")
        }
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            let problem = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw ChromiumFailure(message: "chromium exited with \(process.terminationStatus): \(problem.suffix(2000))")
        }
        return text
    }

    struct ChromiumFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
