import Lua
import Runtime
import XCTest

/// Scripts' own coroutines keep working when host functions yield inside them.
final class CoroutineTests: XCTestCase {
    func testHostCallInsideWrapAndResume() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            local gen = coroutine.wrap(function()
              for i = 1, 3 do task.sleep(0.005) coroutine.yield(i) end
              return "end"
            end)
            local got = {gen(), gen(), gen(), gen()}
            local co = coroutine.create(function(a)
              task.sleep(0.005)
              local b = coroutine.yield(a + 1)
              task.sleep(0.005)
              return b * 2
            end)
            local r1 = {coroutine.resume(co, 1)}
            local r2 = {coroutine.resume(co, 21)}
            local r3 = {coroutine.resume(co)}
            emit({got = got, r1 = r1, r2 = r2, dead = r3[1], status = coroutine.status(co)})
            """)
        XCTAssertEqual(report.outcome, .succeeded, "\(report)")
        XCTAssertEqual(try harness.records(), [
            #"{"dead":false,"got":[1,2,3,"end"],"r1":[true,2],"r2":[true,42],"status":"dead"}"#,
        ])
    }

    func testNestedCoroutinesAndErrorsAfterAHostYield() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            local outer = coroutine.wrap(function()
              local inner = coroutine.wrap(function()
                task.sleep(0.005)
                coroutine.yield("inner")
                task.sleep(0.005)
                error({kind = "inner failure"})
              end)
              coroutine.yield(inner())
              local ok, err = pcall(inner)
              return ok, err.kind
            end)
            local first = outer()
            local ok, kind = outer()
            local co = coroutine.create(function() task.sleep(0.005) error("late") end)
            local rok, rerr = coroutine.resume(co)
            emit({first = first, ok = ok, kind = kind, rok = rok, rerr = rerr})
            """)
        XCTAssertEqual(report.outcome, .succeeded, "\(report)")
        XCTAssertEqual(try harness.records(), [
            #"{"first":"inner","kind":"inner failure","ok":false,"rerr":"main.lua:14: late","rok":false}"#,
        ])
    }

    func testWaitingWhereLuaCannotYieldIsAClearError() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            local ok, err = pcall(table.sort, {3, 1, 2}, function(a, b) task.sleep(0) return a < b end)
            local gsub_ok, gsub_err = pcall(string.gsub, "ab", ".", function(c) task.sleep(0) end)
            local co_ok, co_err = pcall(table.sort, {2, 1}, function(a, b)
              local inner = coroutine.wrap(function() task.sleep(0) end)
              inner()
              return a < b
            end)
            emit({ok, err.kind, err.message, gsub_ok, gsub_err.kind, co_ok, co_err.kind})
            """)
        XCTAssertEqual(report.outcome, .succeeded, "\(report)")
        let record = try XCTUnwrap(harness.records().first)
        XCTAssertTrue(record.hasPrefix(#"[false,"sandbox","'task.sleep' cannot wait here"#), record)
        XCTAssertTrue(record.hasSuffix(#"false,"sandbox",false,"sandbox"]"#), record)
    }

    func testCancellingATaskClosesTheCoroutinesItWaitsIn() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            local function closer(name)
              return setmetatable({}, {__close = function() emit({closed = name}) end})
            end
            local h = task.spawn(function()
              local outer <close> = closer("task")
              local wrapped = coroutine.wrap(function()
                local middle <close> = closer("wrap")
                local inner = coroutine.create(function()
                  local innermost <close> = closer("resume")
                  task.sleep(60)
                end)
                assert(coroutine.resume(inner))
              end)
              wrapped()
            end)
            task.sleep(0.05)
            h:cancel()
            local broken = task.spawn(function()
              coroutine.wrap(function()
                local bad <close> = setmetatable({}, {__close = function() error("close failed") end})
                task.sleep(60)
              end)()
            end)
            task.sleep(0.05)
            broken:cancel()
            emit({after = "cancel"})
            """)
        XCTAssertEqual(report.outcome, .succeeded, report.failureMessage ?? "")
        XCTAssertEqual(try harness.records(), [
            #"{"closed":"resume"}"#, #"{"closed":"wrap"}"#, #"{"closed":"task"}"#, #"{"after":"cancel"}"#,
        ], "innermost first, then the task's own")
        XCTAssertTrue(harness.logs.all.contains { $0.contains("error while closing its variables") && $0.contains("close failed") },
            "\(harness.logs.all)")
    }

    func testCloseHandlersThatCloseTheTaskAndCollectGarbageAreSafe() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            local h = task.spawn(function()
              TASK = coroutine.running()
              coroutine.wrap(function()
                local middle <close> = setmetatable({}, {__close = function() emit({closed = "middle"}) end})
                local inner = coroutine.create(function()
                  local x <close> = setmetatable({}, {__close = function()
                    coroutine.close(TASK)  -- drops the last reference to the middle coroutine but one
                    collectgarbage()
                    collectgarbage()
                    emit({closed = "inner"})
                  end})
                  task.sleep(60)
                end)
                coroutine.resume(inner)
              end)()
            end)
            task.sleep(0.05)
            h:cancel()
            emit({after = "cancel"})
            """)
        XCTAssertEqual(report.outcome, .succeeded, report.failureMessage ?? "")
        XCTAssertEqual(try harness.records(), [#"{"closed":"inner"}"#, #"{"closed":"middle"}"#, #"{"after":"cancel"}"#])
    }
}
