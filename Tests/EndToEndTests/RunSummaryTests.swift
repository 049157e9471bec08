import Emulator
import Foundation
import XCTest

/// What `moonwatch run` tells about the services while and after a script runs (docs/contract.md §1).
final class RunSummaryTests: XCTestCase {
    func testProgressLinesAndTheSummaryCountPollsAndRetries() async throws {
        let session = try await EmulatorSession.start(speed: 20)
        defer { Task { await session.shutdown() } }
        try session.emulator.addFaults([FaultRule(route: "metastudio.job", kind: .error, status: 503, requests: [1])])
        try session.harness.write("wait.lua", """
            local ids = {}
            for i = 1, 3 do ids[i] = "demo-job-" .. i end
            task.map(ids, function(id) api.metastudio.wait{job_id = id, min_delay = 0.2, max_delay = 0.2} end)
            task.sleep(0.5)
            """)
        let result = try await session.run("wait.lua", options: ["--progress-interval", "0.2"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let polls = session.emulator.counters().requests(.metaStudioJob)
        XCTAssertTrue(result.stderr.contains("moonwatch run: polls "), "plain progress lines without a terminal: \(result.stderr)")
        let row = try XCTUnwrap(result.stderr.split(separator: "\n").first { $0.hasPrefix("  metastudio") }, result.stderr)
        XCTAssertEqual(row.split(separator: " ").map(String.init), ["metastudio", String(polls), "1", "0"], "polls (the refused one too), retries, throttled")
        XCTAssertTrue(result.stderr.contains("retries          1"), result.stderr)
    }

    func testNoSummaryWhenNoServiceWasUsed() throws {
        let harness = try BinaryHarness()
        try harness.write("quiet.lua", "emit({ok = true})")
        let result = try harness.run("run", "quiet.lua")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stderr.contains("service "), result.stderr)
    }
}
