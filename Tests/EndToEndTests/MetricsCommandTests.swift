import Emulator
import Foundation
import MetricsTestSupport
import XCTest

/// `--metrics` through the binary (docs/contract.md §1): bad values are usage
/// errors, PORT alone is loopback, and the endpoint never holds a run up,
/// neither at its end nor after SIGINT, whatever a client does.
final class MetricsCommandTests: XCTestCase {
    func testBadValuesExitWith2NamingTheFlagAndTheValue() async throws {
        let harness = try BinaryHarness()
        try harness.write("quiet.lua", "emit({ran = true})")
        try harness.write("items.jsonl", #"{"id":1}"# + "\n")
        try harness.write("item.lua", "function handle(item) end")

        let word = try harness.run("run", "--metrics", "abc", "quiet.lua")
        XCTAssertEqual(word.status, 2, word.stderr)
        XCTAssertTrue(word.stderr.contains("'abc'") && word.stderr.contains("--metrics"), word.stderr)
        XCTAssertTrue(word.stderr.contains("the port must be a number from 0 to 65535"), word.stderr)

        let big = try harness.run("batch", "--metrics", "127.0.0.1:70000", "--input", "items.jsonl", "item.lua")
        XCTAssertEqual(big.status, 2, big.stderr)
        XCTAssertTrue(big.stderr.contains("'127.0.0.1:70000'") && big.stderr.contains("--metrics"), big.stderr)

        // A port something listens on already: here the emulator's.
        let emulator = try await Emulator.start(EmulatorOptions())
        let taken = "127.0.0.1:\(emulator.port)"
        let run = try harness.run("run", "--metrics", taken, "quiet.lua")
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("moonwatch: --metrics \(taken): cannot listen there"), run.stderr)
        XCTAssertTrue(run.stderr.lowercased().contains("address already in use"), run.stderr)
        XCTAssertEqual(harness.read("out/records.jsonl"), "", "the script did not run")
        let batch = try harness.run("batch", "--metrics", taken, "--input", "items.jsonl", "item.lua")
        XCTAssertEqual(batch.status, 2, batch.stderr)
        XCTAssertTrue(batch.stderr.contains("--metrics \(taken)"), batch.stderr)
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: harness.folder.appendingPathComponent("out/.moonwatch").path),
            "no journal was opened")
        await emulator.shutdown()
    }

    func testPortAloneServesOnLoopbackAndTheRunEndsDespiteAHalfSentRequest() async throws {
        let harness = try BinaryHarness()
        try harness.write("nap.lua", "task.sleep(1.5)")
        let (process, _, err) = try harness.start(["run", "--metrics", "0", "nap.lua"])
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let announcement = try await Scrape.announcedURL(inFile: err, of: process)
        let url = try XCTUnwrap(announcement, harness.read(err.lastPathComponent))
        XCTAssertTrue(url.hasPrefix("http://127.0.0.1:"), "loopback unless a host is given: \(url)")
        let scrape = try Exposition(parsing: try await Scrape.text(url))
        XCTAssertEqual(scrape.types["moonwatch_requests_total"], "counter")
        XCTAssertNil(scrape.types["moonwatch_items"], "items are batch's")

        let port = try XCTUnwrap(URL(string: url)?.port)
        let client = try HalfOpenRequest(port: port)
        defer { client.close() }
        let announced = Date()
        let ended = try await waitForExit(of: process, within: 20)
        XCTAssertTrue(ended, "the run ended although a client held a request open")
        XCTAssertLessThan(Date().timeIntervalSince(announced), 10, "the script's 1.5 s and the endpoint's bounded stop")
        XCTAssertEqual(process.terminationStatus, 0, harness.read(err.lastPathComponent))
    }

    func testSIGINTEndsARunWithMetricsWithinItsGrace() async throws {
        let harness = try BinaryHarness()
        try harness.write("long.lua", "task.sleep(60)")
        let (process, _, err) = try harness.start(["run", "--metrics", "127.0.0.1:0", "--grace", "1", "long.lua"])
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let announcement = try await Scrape.announcedURL(inFile: err, of: process)
        let url = try XCTUnwrap(announcement, harness.read(err.lastPathComponent))
        let client = try HalfOpenRequest(port: try XCTUnwrap(URL(string: url)?.port))
        defer { client.close() }
        let interrupted = Date()
        kill(process.processIdentifier, SIGINT)
        let ended = try await waitForExit(of: process, within: 20)
        XCTAssertTrue(ended, "SIGINT ended the run")
        XCTAssertLessThan(Date().timeIntervalSince(interrupted), 8, "within the grace, the closing time and the endpoint's stop")
        XCTAssertEqual(process.terminationStatus, 130, harness.read(err.lastPathComponent))
    }

    /// Whether `process` ended within `seconds`, polled without blocking a thread.
    private func waitForExit(of process: Process, within seconds: Double) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        return !process.isRunning
    }
}
