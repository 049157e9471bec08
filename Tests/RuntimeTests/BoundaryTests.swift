import Lua
import Runtime
import XCTest

/// Each hole a script could reach at the Lua boundary (docs/lua-boundary.md),
/// closed: every test here fails (or crashes the VM) without its fix.
final class BoundaryTests: XCTestCase {
    /// A small budget keeps the runaway cases fast.
    private let tight = LuaLimits(memory: 64 << 20, instructions: 10_000_000)

    // MARK: Stack room

    /// A waiter that already holds many values receives a task's 999,000
    /// results: the copy needs more room than a Lua stack has.
    func testTooManyResultsFromAFinishedTaskAreAnError() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            local h = task.spawn(function() return table.unpack({}, 1, 999000) end)
            task.sleep(0)
            local function hold(...) return pcall(h.wait, h) end
            local ok, err = hold(table.unpack({}, 1, 5000))
            assert(not ok, "the results were copied past the stack")
            assert(err.kind == "sandbox" and err.message:find("too many results"), tostring(err))
            emit({where = err.where})
            """)
        XCTAssertEqual(report.outcome, .succeeded, report.failureMessage ?? "")
        XCTAssertEqual(try harness.records(), [#"{"where":"main.lua:3"}"#])
    }

    /// The same when the waiter was suspended before the task finished.
    func testTooManyResultsForASuspendedWaiterAreAnError() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            local h = task.spawn(function() task.sleep(0.01) return table.unpack({}, 1, 999000) end)
            local function hold(...) return pcall(h.wait, h) end
            local ok, err = hold(table.unpack({}, 1, 5000))
            assert(not ok, "the results were copied past the stack")
            assert(err.kind == "sandbox" and err.message:find("too many results"), tostring(err))
            -- The waiter's own stack is intact.
            emit({kind = err.kind, after = select("#", hold(1, 2, 3))})
            """)
        XCTAssertEqual(report.outcome, .succeeded, report.failureMessage ?? "")
        XCTAssertEqual(try harness.records(), [#"{"after":999001,"kind":"sandbox"}"#])
    }

    // MARK: Finalizers

    func testMetatablesWithGCAreRefusedNamingTheLine() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            local ok, err = pcall(setmetatable, {}, {__gc = function() end})
            assert(not ok and err.kind == "sandbox" and err.message:find("__gc"), tostring(err))
            local ok2, err2 = pcall(setmetatable, {}, {__gc = false})
            assert(not ok2 and err2.kind == "sandbox", tostring(err2))
            -- Everything else setmetatable does is unchanged.
            local t = setmetatable({}, {__index = function(_, k) return k .. "!" end})
            assert(t.x == "x!")
            assert(select(2, pcall(setmetatable, 1, {})):find("table expected"))
            emit({where = err.where})
            setmetatable({}, {__gc = function() while true do end end})
            """)
        XCTAssertEqual(report.exitCode, 1)
        let message = try XCTUnwrap(report.failureMessage)
        XCTAssertTrue(message.hasPrefix("main.lua:10: setmetatable: a metatable with a __gc field is not allowed"), message)
        XCTAssertTrue(message.hasSuffix("[sandbox]"), message)
        XCTAssertEqual(try harness.records(), [#"{"where":"main.lua:1"}"#])
    }

    // MARK: Script code run by the host is capped

    /// An error object's `__tostring` runs when the host describes the error:
    /// under the memory cap, so a huge string is refused, not allocated.
    func testAnErrorsTostringRunsUnderTheMemoryCap() throws {
        let harness = try ScriptHarness()
        let runtime = try harness.makeRuntime("""
            error(setmetatable({}, {__tostring = function() return string.rep("x", 1 << 20):rep(128) end}))
            """, limits: tight)
        let report = try runtime.run(arguments: [])
        XCTAssertEqual(report.failureMessage, "(error object is a table value)")
        XCTAssertLessThan(runtime.state.peakMemory, 80 << 20, "the __tostring ran past the cap")
    }

    func testAnErrorsTostringRunsUnderTheBudget() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            error(setmetatable({}, {__tostring = function() while true do end end}))
            """, limits: tight)
        XCTAssertEqual(report.failureMessage, "(error object is a table value)")
    }

    /// `<close>` handlers of a canceled task run under the cap and a fresh budget.
    func testCloseHandlersOfACanceledTaskRunUnderTheLimits() throws {
        let harness = try ScriptHarness()
        let runtime = try harness.makeRuntime("""
            local greedy = task.spawn(function()
              local big <close> = setmetatable({}, {__close = function() local s = string.rep("x", 1 << 20):rep(128) end})
              task.sleep(60)
            end)
            local spinning = task.spawn(function()
              local stuck <close> = setmetatable({}, {__close = function() while true do end end})
              task.sleep(60)
            end)
            task.sleep(0)
            greedy:cancel()
            spinning:cancel()
            emit({after = "cancel"})
            """, limits: tight)
        let report = try runtime.run(arguments: [])
        XCTAssertEqual(report.outcome, .succeeded, report.failureMessage ?? "")
        XCTAssertEqual(try harness.records(), [#"{"after":"cancel"}"#])
        XCTAssertLessThan(runtime.state.peakMemory, 80 << 20, "the __close ran past the cap")
        let logs = harness.logs.all
        XCTAssertTrue(logs.contains { $0.contains("task 2: error while closing its variables: not enough memory") }, "\(logs)")
        XCTAssertTrue(logs.contains { $0.contains("task 3: error while closing its variables") && $0.contains("instruction budget exceeded") }, "\(logs)")
    }

    // MARK: Locked metatables

    func testTaskHandleMetatablesAreLocked() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            local h = task.spawn(function() return 1 end)
            assert(getmetatable(h) == "moonwatch.task", tostring(getmetatable(h)))
            assert(not pcall(setmetatable, h, {}))
            assert(tostring(h) == "task: 2", tostring(h))
            assert(h:wait() == 1)
            local ok, err = pcall(h.wait, {})
            assert(not ok and err.message == "bad argument #1 to 'wait' (task handle expected, got table)", err.message)
            """)
        XCTAssertEqual(report.outcome, .succeeded, report.failureMessage ?? "")
    }

    // MARK: Coroutines the host drives

    /// A script resuming a task's coroutine, or one suspended in a host call,
    /// would hand the host call made-up results and run the task outside the scheduler.
    func testScriptsCannotResumeTheHostsCoroutines() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            local co
            local sleeper = task.spawn(function() co = coroutine.running() task.sleep(60) end)
            task.sleep(0)
            local ok, err = coroutine.resume(co, true, "fake")
            assert(not ok and err:find("task's coroutine"), tostring(err))

            local inner = coroutine.create(function() task.sleep(0.05) return "real" end)
            local h = task.spawn(function() return select(2, coroutine.resume(inner)) end)
            task.sleep(0)
            local ok2, err2 = coroutine.resume(inner, true, "fake")
            assert(not ok2 and err2:find("waits for a host operation"), tostring(err2))

            local f = coroutine.wrap(function() task.sleep(0.05) return "real" end)
            local h2 = task.spawn(function() return f() end)
            task.sleep(0)
            local ok3, err3 = pcall(f, true, "fake")
            assert(not ok3 and err3:find("waits for a host operation"), tostring(err3))

            emit({h:wait(), h2:wait()})
            sleeper:cancel()
            """)
        XCTAssertEqual(report.outcome, .succeeded, report.failureMessage ?? "")
        XCTAssertEqual(try harness.records(), [#"["real","real"]"#])
    }

    // MARK: Work inside one C call

    /// Library calls whose work the count hook cannot see: each is charged to
    /// the budget before it starts, and the task ends with the budget's error
    /// at the script's line instead of running for minutes or hours.
    func testLibraryCallsThatWouldRunUnboundedEndWithTheBudgetError() throws {
        let cases = [
            #"local s = string.rep("", 1e18)"#,
            #"local s = ("ab"):rep(math.maxinteger)"#,
            #"local s = table.concat(setmetatable({}, {__index = rawlen}), "", 1, 1 << 40)"#,
            #"table.move(setmetatable({}, {__index = rawlen, __newindex = rawequal}), 1, 1 << 50, 2)"#,
            #"table.insert(setmetatable({}, {__len = function() return 1 << 50 end, __index = rawlen, __newindex = rawequal}), 1, 0)"#,
            #"table.remove(setmetatable({}, {__len = function() return 1 << 50 end, __index = rawlen, __newindex = rawequal}), 1)"#,
            #"table.sort(setmetatable({}, {__len = function() return (1 << 31) - 2 end, __index = rawlen, __newindex = rawequal}))"#,
            #"local m = ("a"):rep(100000):match(("a-"):rep(30) .. "b")"#,
            #"local n = select(2, ("a"):rep(100000):gsub((".-"):rep(150) .. "b", ""))"#,
            #"local i = string.find(("a"):rep(1000000), ("a"):rep(50000) .. "b", 1, true)"#,
        ]
        for code in cases {
            let harness = try ScriptHarness()
            let report = try harness.run("local before = 1\n" + code, limits: tight)
            let message = try XCTUnwrap(report.failureMessage, code)
            XCTAssertTrue(message.hasPrefix("main.lua:2: instruction budget exceeded"), "\(code): \(message)")
            XCTAssertTrue(message.hasSuffix("[sandbox]"), "\(code): \(message)")
        }
    }

    /// The guards charge what the call does, so ordinary use stays far inside the budget.
    func testOrdinaryLibraryUseIsUnaffected() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            local t = {}
            for i = 1, 1000 do table.insert(t, i) end
            table.insert(t, 1, 0)
            assert(table.remove(t, 1) == 0 and table.remove(t) == 1000)
            table.sort(t, function(a, b) return a > b end)
            assert(t[1] == 999 and #t == 999)
            assert(table.concat({1, 2, 3}, ",") == "1,2,3" and table.concat({}, ",") == "")
            assert(#table.move(t, 1, 10, 1, {}) == 10)
            assert(("ab"):rep(3, "-") == "ab-ab-ab" and string.rep("x", 0) == "")
            local ok, err = pcall(function() return table.concat({1, {}, 3}) end)
            assert(not ok and err:find("^main.lua:10: invalid value .*index 2.* for 'concat'"), err)
            local ok2, err2 = pcall(string.rep)
            assert(not ok2 and err2:find("bad argument #1 to"), err2)
            -- A format width Lua refuses ends at once, with the line.
            local ok3, err3 = pcall(function() return string.format("%99999d", 1) end)
            assert(not ok3 and err3:find("^main.lua:15: invalid conversion"), err3)
            """, limits: tight)
        XCTAssertEqual(report.outcome, .succeeded, report.failureMessage ?? "")
    }
}
