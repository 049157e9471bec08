import Lua
import Runtime
import XCTest

/// `Runtime.run(driver:)` and task-local values, which `moonwatch batch` builds on.
final class DriverTests: XCTestCase {
    private final class Tag {
        let name: String
        init(_ name: String) { self.name = name }
    }

    func testDriverGetsTheScriptChunkAndTaskLocalsAreInherited() throws {
        let harness = try ScriptHarness()
        let runtime = try harness.makeRuntime("function handle(x) return x * 2 end")
        var seen: [String] = []
        let report = try runtime.run(driver: """
            local host, script = ...
            script()
            local function work(name)
              host.tag(name)
              task.sleep(0)
              local child = task.spawn(function() task.sleep(0) host.seen() end)
              child:wait()
              host.seen()
            end
            local a, b = task.spawn(work, "a"), task.spawn(work, "b")
            a:wait() b:wait()
            host.seen()
            assert(handle(21) == 42)
            """, name: "test driver", host: [
                ("tag", { call throws(ScriptError) in
                    runtime.taskLocal = Tag(try call.string(1))
                    return .none
                }),
                ("seen", { _ throws(ScriptError) in
                    seen.append((runtime.taskLocal as? Tag)?.name ?? "none")
                    return .none
                }),
            ])
        XCTAssertEqual(report.outcome, .succeeded)
        XCTAssertEqual(seen.sorted(), ["a", "a", "b", "b", "none"])
    }

    func testScriptCompileErrorIsThrownBeforeTheDriverRuns() throws {
        let harness = try ScriptHarness()
        let runtime = try harness.makeRuntime("function handle(")
        XCTAssertThrowsError(try runtime.run(driver: "error('ran')", name: "test driver", host: []))
    }
}
