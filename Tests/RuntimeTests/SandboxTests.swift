import Foundation
import Lua
import Runtime
import XCTest

/// docs/contract.md §2.6: what scripts can reach, and the limits that stop them.
final class SandboxTests: XCTestCase {
    func testDangerousLibrariesAreAbsent() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            emit({
              io = type(io), debug = type(debug), package_loadlib = type(package.loadlib),
              execute = type(os.execute), getenv = type(os.getenv), remove = type(os.remove),
              rename = type(os.rename), exit = type(os.exit), tmpname = type(os.tmpname),
              time = type(os.time), clock = type(os.clock), date = type(os.date), difftime = type(os.difftime),
              string = type(string), utf8 = type(utf8), coroutine = type(coroutine), math = type(math),
            })
            """)
        XCTAssertEqual(report.outcome, .succeeded)
        XCTAssertEqual(try harness.records(), [
            #"{"clock":"function","coroutine":"table","date":"function","debug":"nil","difftime":"function","execute":"nil","exit":"nil","getenv":"nil","io":"nil","math":"table","package_loadlib":"nil","remove":"nil","rename":"nil","string":"table","time":"function","tmpname":"nil","utf8":"table"}"#,
        ])
    }

    func testLoadingIsConfinedToTheScriptFolderAndText() throws {
        let harness = try ScriptHarness()
        try harness.write("lib/util.lua", "local M = {} function M.double(x) return x * 2 end return M")
        try harness.write("helper.lua", "return 7")
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("moonwatch-outside-\(UUID().uuidString).lua")
        try "return 'secret'".write(to: outside, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: harness.folder.appendingPathComponent("escape.lua").path, withDestinationPath: outside.path)
        let report = try harness.run("""
            local util = require("lib.util")
            assert(require("lib.util") == util, "modules are cached")
            local abs_ok, abs_err = pcall(dofile, "\(outside.path)")
            local up_ok, up_err = pcall(dofile, "../x.lua")
            local link_fn, link_err = loadfile("escape.lua")
            local req_ok, req_err = pcall(require, "nothing.here")
            local bin_fn, bin_err = load(string.dump(function() return 1 end))
            emit({
              double = util.double(21), helper = dofile("helper.lua"),
              abs = abs_ok, up = up_ok, link = link_fn == nil and link_err:find("outside") ~= nil,
              req = req_ok, req_kind = req_err.kind, bin = bin_fn == nil and bin_err:find("binary") ~= nil,
            })
            """)
        XCTAssertEqual(report.outcome, .succeeded, "\(report)")
        XCTAssertEqual(try harness.records(), [
            #"{"abs":false,"bin":true,"double":42,"helper":7,"link":true,"req":false,"req_kind":"invalid_argument","up":false}"#,
        ])
    }

    func testRunawayLoopIsStoppedByTheInstructionBudget() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            local n = 0
            while true do
              n = n + 1
            end
            """, limits: LuaLimits(memory: 64 << 20, instructions: 10_000_000))
        XCTAssertEqual(report.exitCode, 1)
        let message = try XCTUnwrap(report.failureMessage)
        XCTAssertTrue(message.hasPrefix("main.lua:3: instruction budget exceeded"), message)
        XCTAssertTrue(message.hasSuffix("[sandbox]"), message)
    }

    /// The error metatable is locked: a script that could rewrite it would
    /// change every later error (and once could raise through host code).
    func testTheErrorMetatableIsLocked() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            local _, err = pcall(task.sleep, -1)
            assert(getmetatable(err) == "moonwatch.error", tostring(getmetatable(err)))
            local ok, problem = pcall(setmetatable, err, {__tostring = function() return "hijacked" end})
            assert(not ok and problem:find("protected metatable"), tostring(problem))
            local _, later = pcall(task.sleep, -1)
            assert(tostring(later):find("bad argument #1 to 'task.sleep'"), tostring(later))
            while true do end
            """, limits: LuaLimits(memory: 64 << 20, instructions: 5_000_000))
        let message = try XCTUnwrap(report.failureMessage)
        XCTAssertTrue(message.hasPrefix("main.lua:7: instruction budget exceeded"), message)
    }

    func testPcallCannotSwallowTheBudgetAndYieldsResetIt() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            -- Work that yields often never hits the budget.
            for i = 1, 30 do for j = 1, 100000 do end task.sleep(0) end
            while true do pcall(function() while true do end end) end
            """, limits: LuaLimits(memory: 64 << 20, instructions: 5_000_000))
        let message = try XCTUnwrap(report.failureMessage)
        XCTAssertTrue(message.contains("instruction budget exceeded"), message)
    }

    func testBudgetStopsALoopInsideANonYieldableCall() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            table.sort({3, 2, 1}, function(a, b) while true do end end)
            """, limits: LuaLimits(memory: 64 << 20, instructions: 5_000_000))
        let message = try XCTUnwrap(report.failureMessage)
        XCTAssertTrue(message.contains("instruction budget exceeded"), message)
    }

    func testMemoryBombIsStoppedByTheCapWithAClearError() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            local t = {}
            for i = 1, 1e9 do
              t[i] = string.rep("x", 64) .. i
            end
            """, limits: LuaLimits(memory: 32 << 20, instructions: nil))
        XCTAssertEqual(report.exitCode, 1)
        let message = try XCTUnwrap(report.failureMessage)
        XCTAssertTrue(message.hasPrefix("main.lua:3: memory limit of 32 MiB exceeded"), message)
        XCTAssertTrue(message.hasSuffix("[sandbox]"), message)
    }

    func testLogEmitAndArgs() throws {
        let harness = try ScriptHarness()
        let report = try harness.run("""
            log.info("job %s is %d%% done", "j-1", 50)
            log.warn("careful")
            local ok, err = pcall(log.info, "%d", "not a number")
            local emit_ok, emit_err = pcall(emit, {f = print})
            emit({args = args, varargs = {...}, ok = ok, kind = err.kind, emit_kind = emit_err.kind})
            """)
        XCTAssertEqual(report.outcome, .succeeded, "\(report)")
        XCTAssertEqual(try harness.records(), [
            #"{"args":["a1","a2"],"emit_kind":"invalid_argument","kind":"invalid_argument","ok":false,"varargs":["a1","a2"]}"#,
        ])
        XCTAssertTrue(harness.logs.all.contains("info: job j-1 is 50% done at=main.lua:1"), "\(harness.logs.all)")
        XCTAssertTrue(harness.logs.all.contains("warning: careful at=main.lua:2"), "\(harness.logs.all)")
    }
}
