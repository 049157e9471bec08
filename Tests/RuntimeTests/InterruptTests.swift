import Foundation
import Logging
import Lua
import Runtime
import Synchronization
import XCTest

/// SIGINT semantics (docs/contract.md §1; docs/concurrency.md §5): nothing new starts, operations in flight get a
/// grace period to finish, then everything is canceled and `<close>` runs.
final class InterruptTests: XCTestCase {
    /// Installs `slow(seconds, label)`: a host operation that sleeps off the VM's
    /// thread and returns its label; counts the ones started and finished.
    private final class SlowOperations: Sendable {
        let started = Atomic<Int>(0)
        let finished = Atomic<Int>(0)

        func install(in runtime: Runtime) throws {
            try runtime.state.install(LuaModule("host", functions: [
                ("slow", { [unowned runtime, self] call throws(ScriptError) in
                    let seconds = try call.number(1)
                    let label = try call.string(2)
                    return try runtime.perform(call) { () async throws(ScriptError) -> [LuaValue] in
                        self.started.add(1, ordering: .relaxed)
                        do {
                            try await Task.sleep(for: .seconds(seconds))
                        } catch {
                            throw ScriptError(.canceled, "slow \(label) canceled")
                        }
                        self.finished.add(1, ordering: .relaxed)
                        return [.string(label)]
                    }
                }),
            ]))
        }
    }

    private func interrupted(_ code: String, grace: Double, after delay: Double) throws -> (RunReport, ScriptHarness, SlowOperations, Double) {
        let harness = try ScriptHarness()
        let runtime = try harness.makeRuntime(code, interruptGrace: grace)
        let operations = SlowOperations()
        try operations.install(in: runtime)
        let interrupt = runtime.interrupter
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) { interrupt() }
        let started = Date()
        let report = try runtime.run(arguments: [])
        return (report, harness, operations, Date().timeIntervalSince(started))
    }

    func testOperationsInFlightFinishAndNothingNewStarts() throws {
        let (report, harness, operations, seconds) = try interrupted("""
            local sleeper = task.spawn(function()
              local c <close> = setmetatable({}, {__close = function() emit({closed = "sleeper"}) end})
              task.sleep(60)
            end)
            local results = task.map({1, 2, 3}, function(i)
              local label = host.slow(0.5, "first " .. i)
              emit({done = label})
              return host.slow(0.5, "second " .. i)   -- after the interrupt: never starts
            end)
            emit({never = "reached"})
            """, grace: 5, after: 0.2)
        XCTAssertEqual(report.outcome, .interrupted)
        XCTAssertEqual(report.exitCode, 130)
        XCTAssertEqual(operations.started.load(ordering: .relaxed), 3, "the second calls were not started")
        XCTAssertEqual(operations.finished.load(ordering: .relaxed), 3, "the calls in flight finished")
        XCTAssertEqual(try harness.records().sorted(), [
            #"{"closed":"sleeper"}"#, #"{"done":"first 1"}"#, #"{"done":"first 2"}"#, #"{"done":"first 3"}"#,
        ])
        XCTAssertLessThan(seconds, 3, "ends when nothing is in flight, well before the 5 s grace")
    }

    func testTheGracePeriodEndsWithCancellation() throws {
        let (report, harness, operations, seconds) = try interrupted("""
            local c <close> = setmetatable({}, {__close = function() emit({closed = "main"}) end})
            host.slow(30, "long")
            """, grace: 0.3, after: 0.2)
        XCTAssertEqual(report.outcome, .interrupted)
        XCTAssertEqual(operations.finished.load(ordering: .relaxed), 0)
        XCTAssertEqual(try harness.records(), [#"{"closed":"main"}"#])
        XCTAssertLessThan(seconds, 3, "canceled after the 0.3 s grace, not after 30 s")
        XCTAssertTrue(harness.logs.all.contains { $0.contains("canceling 1 operation(s) still in flight") }, "\(harness.logs.all)")
    }

    func testNoGraceCancelsAtOnce() throws {
        let (report, _, operations, seconds) = try interrupted("""
            host.slow(30, "long")
            """, grace: 0, after: 0.2)
        XCTAssertEqual(report.outcome, .interrupted)
        XCTAssertEqual(operations.finished.load(ordering: .relaxed), 0)
        XCTAssertLessThan(seconds, 1, "at once after the 0.2 s signal, not after a grace")
    }
}
