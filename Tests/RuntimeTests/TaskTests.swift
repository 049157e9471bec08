import Foundation
import Lua
import Runtime
import XCTest

/// task.spawn / wait / all / map / sleep / timeout and cancellation.
final class TaskTests: XCTestCase {
    func testSpawnedTaskReturnsItsValuesToWait() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            local shared = {}
            local h = task.spawn(function(a, b) task.sleep(0.01) return a + b, shared, "x" end, 40, 2)
            local sum, same, x = h:wait()
            assert(sum == 42 and same == shared and x == "x", "wrong results")
            local again = h:wait()   -- a finished task answers at once, any number of times
            assert(again == 42)
            emit({sum = sum})
            """)
        XCTAssertEqual(report.outcome, .succeeded)
        XCTAssertEqual(try harness.records(), [#"{"sum":42}"#])
    }

    func testWaitRaisesTheTasksOwnErrorTable() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            local h = task.spawn(function() task.sleep(0.01) task.sleep("later") end)
            local ok, err = pcall(h.wait, h)
            assert(not ok)
            emit({kind = err.kind, where = err.where, text = tostring(err)})
            """)
        XCTAssertEqual(report.outcome, .succeeded)
        XCTAssertEqual(report.unobservedFailures, 0)
        let record = try XCTUnwrap(harness.records().first)
        XCTAssertTrue(record.contains(#""kind":"invalid_argument""#), record)
        XCTAssertTrue(record.contains(#""where":"main.lua:1""#), record)
    }

    func testAllAndMapKeepInputOrderAndTheConcurrencyLimit() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            local handles = {}
            for i = 1, 5 do handles[i] = task.spawn(function() task.sleep((6 - i) * 0.01) return i * 10 end) end
            local all = task.all(handles)
            local in_flight, most = 0, 0
            local squares = task.map({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, function(v, i)
              in_flight = in_flight + 1
              if in_flight > most then most = in_flight end
              task.sleep((11 - i) * 0.002)
              in_flight = in_flight - 1
              return v * v
            end, {concurrency = 3})
            emit({all = all, squares = squares, most = most})
            """)
        XCTAssertEqual(report.outcome, .succeeded)
        XCTAssertEqual(try harness.records(), [#"{"all":[10,20,30,40,50],"most":3,"squares":[1,4,9,16,25,36,49,64,81,100]}"#])
    }

    func testMapStopsStartingItemsAfterAnErrorAndRaisesIt() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            local started = 0
            local ok, err = pcall(task.map, {1, 2, 3, 4, 5, 6}, function(v)
              started = started + 1
              if v == 2 then error({kind = "job", v = v}) end
              task.sleep(0.01)
              return v
            end, {concurrency = 2})
            emit({ok = ok, v = err.v, started = started})
            """)
        XCTAssertEqual(report.outcome, .succeeded)
        XCTAssertEqual(try harness.records(), [#"{"ok":false,"started":2,"v":2}"#])
    }

    func testArgumentErrorsOfCombinators() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            local ok1, e1 = pcall(task.map, {1}, "f")
            local ok2, e2 = pcall(task.map, {1}, print, {concurrency = 0})
            local ok3, e3 = pcall(task.spawn, 5)
            emit({tostring(e1), tostring(e2), tostring(e3)})
            """)
        XCTAssertEqual(report.outcome, .succeeded)
        XCTAssertEqual(try harness.records(), [
            #"["main.lua:1: bad argument #2 to 'task.map' (function expected, got string) [invalid_argument]","main.lua:2: bad argument #3 to 'task.map' (option 'concurrency' must be an integer >= 1, got 0) [invalid_argument]","main.lua:3: bad argument #1 to 'task.spawn' (function expected, got number) [invalid_argument]"]"#,
        ])
    }

    func testTenThousandTasksSleepingOneSecondFinishUnderTwoSeconds() throws {
        let harness = try ScriptHarness()
        let started = Date()
        let report = try harness.run("""
            local handles = {}
            for i = 1, 10000 do handles[i] = task.spawn(function() task.sleep(1) return i end) end
            local results = task.all(handles)
            assert(#results == 10000 and results[10000] == 10000)
            """)
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(report.outcome, .succeeded)
        XCTAssertGreaterThanOrEqual(elapsed, 1.0)
        XCTAssertLessThan(elapsed, 2.0)
    }

    func testTimeoutCancelsASleepingTaskAndRunsItsCloseVariables() throws {
        let harness = try ScriptHarness()
        let started = Date()
        let report = try harness.run("""
            local closed = false
            local ok, err = pcall(task.timeout, 0.05, function()
              local guard <close> = setmetatable({}, {__close = function() closed = true end})
              task.sleep(30)
            end)
            local fast = task.timeout(1, function(x) task.sleep(0.01) return x end, "in time")
            emit({ok = ok, kind = err.kind, closed = closed, fast = fast})
            """)
        XCTAssertEqual(report.outcome, .succeeded)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertEqual(try harness.records(), [#"{"closed":true,"fast":"in time","kind":"timeout","ok":false}"#])
    }

    func testCancelStopsATaskItsChildrenAndTellsWaiters() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            local log = {}
            local parent = task.spawn(function()
              local child = task.spawn(function()
                local c <close> = setmetatable({}, {__close = function() log[#log + 1] = "child closed" end})
                task.sleep(30)
              end)
              local p <close> = setmetatable({}, {__close = function() log[#log + 1] = "parent closed" end})
              child:wait()
            end)
            task.sleep(0.01)
            parent:cancel()
            local ok, err = pcall(parent.wait, parent)
            emit({log = log, ok = ok, kind = err.kind})
            """)
        XCTAssertEqual(report.outcome, .succeeded)
        XCTAssertEqual(report.unobservedFailures, 0)
        XCTAssertEqual(try harness.records(), [#"{"kind":"canceled","log":["child closed","parent closed"],"ok":false}"#])
    }

    func testAFailedTaskNobodyWaitsForFailsTheRunWithItsTraceback() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            local function explode() error("background boom") end
            task.spawn(function() task.sleep(0.01) explode() end)
            task.sleep(0.05)
            """)
        XCTAssertEqual(report.outcome, .succeeded)
        XCTAssertEqual(report.unobservedFailures, 1)
        XCTAssertEqual(report.exitCode, 1)
        let line = try XCTUnwrap(harness.logs.all.first { $0.contains("nobody waited") })
        XCTAssertTrue(line.contains("main.lua:1: background boom"), line)
        XCTAssertTrue(line.contains("stack traceback"), line)
        XCTAssertTrue(line.contains("in upvalue 'explode'") || line.contains("in local 'explode'"), line)
    }

    func testMainFailureEndsTheRunAndCancelsOtherTasks() throws {
        let harness = try ScriptHarness()
        let started = Date()
        let report = try harness.run("""
            task.spawn(function()
              local c <close> = setmetatable({}, {__close = function() emit({closed = true}) end})
              task.sleep(60)
            end)
            task.sleep(0.01)
            error("main gives up")
            """)
        XCTAssertEqual(report.failureMessage, "main.lua:6: main gives up")
        XCTAssertTrue(report.traceback?.contains("in main chunk") ?? false)
        XCTAssertEqual(report.exitCode, 1)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertEqual(try harness.records(), [#"{"closed":true}"#])
    }

    func testDeadlockIsReportedInsteadOfHanging() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            local a
            local b = task.spawn(function() task.sleep(0) a:wait() end)
            a = task.spawn(function() b:wait() end)
            a:wait()
            """)
        XCTAssertEqual(report.exitCode, 1)
        XCTAssertTrue(harness.logs.all.contains { $0.contains("deadlock") }, "\(harness.logs.all)")
    }

    func testPlainYieldAtTopLevelLetsOthersRun() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            local order = {}
            local h = task.spawn(function() order[#order + 1] = "other" end)
            coroutine.yield()
            order[#order + 1] = "main"
            h:wait()
            emit(order)
            """)
        XCTAssertEqual(report.outcome, .succeeded)
        XCTAssertEqual(try harness.records(), [#"["other","main"]"#])
    }

    func testInterruptCancelsEverythingPromptly() throws {
        let harness = try ScriptHarness()
        let runtime = try harness.makeRuntime("""
            for i = 1, 100 do task.spawn(function() task.sleep(60) end) end
            local c <close> = setmetatable({}, {__close = function() emit({closed = "main"}) end})
            task.sleep(60)
            """)
        let interrupt = runtime.interrupter
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { interrupt() }
        let started = Date()
        let report = try runtime.run(arguments: [])
        XCTAssertEqual(report.outcome, .interrupted)
        XCTAssertEqual(report.exitCode, 130)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertEqual(try harness.records(), [#"{"closed":"main"}"#])
    }

    func testHugeDelaysWaitInsteadOfWrappingIntoThePast() throws {
        let harness = try ScriptHarness()
        let started = Date()
        let report = try harness.run("""
            local ok, err = pcall(task.timeout, 0.1, function() task.sleep(1e11) return "woke" end)
            emit({slept = ok and err or err.kind, endless = task.timeout(math.huge, function() return "done" end)})
            """)
        XCTAssertEqual(report.outcome, .succeeded, report.failureMessage ?? "")
        XCTAssertEqual(try harness.records(), [#"{"endless":"done","slept":"timeout"}"#])
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.1, "the long sleep waited for the timeout")
    }

    func testManyArgumentsToTasksAndToTheScriptFitOnTheStack() throws {
        let harness = try ScriptHarness()
        let runtime = try harness.makeRuntime("""
            local values = {}
            for i = 1, 5000 do values[i] = i end
            local function sum(...)
              local total = 0
              for _, v in ipairs({...}) do total = total + v end
              return total, select("#", ...)
            end
            local total, count = task.spawn(sum, table.unpack(values)):wait()
            local timed = task.timeout(10, sum, table.unpack(values))
            emit({total = total, count = count, timed = timed, args = select("#", ...), last = select(select("#", ...), ...)})
            """)
        let arguments = (1...3000).map { "arg\($0)" }
        let report = try runtime.run(arguments: arguments)
        XCTAssertEqual(report.outcome, .succeeded, report.failureMessage ?? "")
        XCTAssertEqual(try harness.records(), [#"{"args":3000,"count":5000,"last":"arg3000","timed":12502500,"total":12502500}"#])
    }
}
