import Foundation
import XCTest

/// The first SIGINT or SIGTERM ends a run within `--grace` seconds (plus the
/// one second of closing time) even when the Lua thread never returns to the
/// scheduler: inside one long C call, or a loop with no instruction budget.
final class StuckScriptTests: XCTestCase {
    private func startStuck(_ code: String, _ options: [String]) throws -> (BinaryHarness, Process, URL) {
        let harness = try BinaryHarness()
        try harness.write("stuck.lua", "log.info('stuck now')\n" + code)
        let (process, _, err) = try harness.start(["run"] + options + ["stuck.lua"])
        let deadline = Date().addingTimeInterval(20)
        while !harness.text(of: err).contains("stuck now") && Date() < deadline && process.isRunning {
            usleep(20_000)
        }
        // The Lua thread is past the log line and inside the stuck call.
        usleep(200_000)
        return (harness, process, err)
    }

    /// Sends `signal` to a run stuck in `code` and checks that the hard stop
    /// ends it, with its message, `grace` + 1 s later (no sooner, and not much later).
    private func checkHardStop(_ signal: Int32, stuckIn code: String, grace: Double) throws {
        let (harness, process, err) = try startStuck(code, ["--instruction-budget", "0", "--grace", "\(grace)"])
        let signaled = Date()
        kill(process.processIdentifier, signal)
        let exited = harness.waitForExit(process, within: 15)
        let seconds = Date().timeIntervalSince(signaled)
        XCTAssertTrue(exited, "still running 15 s after the signal")
        XCTAssertEqual(process.terminationStatus, 130)
        XCTAssertGreaterThan(seconds, grace + 0.5, "the grace is honoured before the hard stop")
        XCTAssertLessThan(seconds, grace + 3, "ended within --grace + 1 s")
        XCTAssertTrue(harness.text(of: err).contains("did not stop within \(grace + 1) s"), harness.text(of: err))
    }

    func testSIGTERMEndsALoopThatHasNoInstructionBudget() throws {
        try checkHardStop(SIGTERM, stuckIn: "while true do end\n", grace: 1)
    }

    /// Stuck inside one C call (a backtracking pattern, unbounded with no budget).
    func testSIGINTEndsAScriptStuckInsideOneLibraryCall() throws {
        try checkHardStop(SIGINT, stuckIn: #"local s = ("a"):rep(100000):match(("a-"):rep(30) .. "b")"# + "\n", grace: 0)
    }

    /// A script that stops in time is not cut short by the hard stop.
    func testAScriptThatStopsInTimeEndsNormally() throws {
        let (harness, process, err) = try startStuck("task.sleep(600)\n", ["--grace", "5"])
        kill(process.processIdentifier, SIGTERM)
        XCTAssertTrue(harness.waitForExit(process, within: 15))
        XCTAssertEqual(process.terminationStatus, 130)
        XCTAssertFalse(harness.text(of: err).contains("did not stop"), harness.text(of: err))
    }
}

extension BinaryHarness {
    func text(of file: URL) -> String { (try? String(contentsOf: file, encoding: .utf8)) ?? "" }

    /// Waits for `process` to exit; kills it and returns false after `seconds`,
    /// so that no test can hang on a child that does not stop.
    func waitForExit(_ process: Process, within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        guard process.isRunning else { return true }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return false
    }
}
