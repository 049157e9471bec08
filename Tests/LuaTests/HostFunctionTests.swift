import CLua
@testable import Lua
import XCTest

/// Swift functions bound into Lua: arguments, results, errors, nesting.
final class HostFunctionTests: XCTestCase {
    var state: LuaState!

    override func setUp() {
        state = LuaState()
        XCTAssertNoThrow(try state.openSandbox())
    }

    override func tearDown() { state = nil }

    private func run(_ code: String) throws -> [LuaValue] {
        try state.load(Array(code.utf8), chunkName: "@test.lua")
        return try state.call()
    }

    func testArgumentsAndResults() throws {
        try state.install(LuaModule("host", functions: [
            ("add", { call throws(ScriptError) in
                try call.push(.integer(try call.integer(1) + call.integer(2)))
                return .results(1)
            }),
            ("echo", { call throws(ScriptError) in
                let count = call.argumentCount
                for index in 1...max(1, count) { try call.push(try call.value(index)) }
                return .results(count)
            }),
        ]))
        XCTAssertEqual(try run("return host.add(2, 40)"), [42])
        XCTAssertEqual(try run("return host.echo(1, 'a\\0b', {x = {1, 2}}, 2.5)"), [1, .string([97, 0, 98]), ["x": [1, 2]], 2.5])
    }

    func testArgumentErrorNamesFunctionArgumentAndScriptLine() throws {
        try state.install(LuaModule("task", functions: [("sleep", { call throws(ScriptError) in _ = try call.number(1); return .none })]))
        let results = try run("""
            local ok, err = pcall(task.sleep, "soon")
            return ok, err.kind, err.message, err.where, tostring(err)
            """)
        XCTAssertEqual(results[0], false)
        XCTAssertEqual(results[1], "invalid_argument")
        XCTAssertEqual(results[2], "bad argument #1 to 'task.sleep' (number expected, got string)")
        XCTAssertEqual(results[4], "test.lua:1: bad argument #1 to 'task.sleep' (number expected, got string) [invalid_argument]")
    }

    func testErrorTableSurvivesPcallIntact() throws {
        try state.install(LuaModule("api", functions: [("fail", { _ throws(ScriptError) in
            throw ScriptError(ScriptError.Kind(rawValue: "throttled"), "slow down", fields: [
                "service": "metastudio", "status": 429, "code": "APIG.0308", "request_id": "r-1", "retryable": true,
            ])
        })]))
        let results = try run("""
            local ok, err = pcall(api.fail)
            return ok, err.kind, err.message, err.service, err.status, err.code, err.request_id, err.retryable, err.where, tostring(err)
            """)
        XCTAssertEqual(results, [
            false, "throttled", "slow down", "metastudio", 429, "APIG.0308", "r-1", true, "test.lua:1",
            "test.lua:1: slow down [throttled, service=metastudio, status=429, code=APIG.0308, request_id=r-1]",
        ])
    }

    /// Lua -> Swift -> Lua -> Swift: the innermost Swift error crosses two Lua
    /// levels and one Swift level and arrives intact at the outer pcall.
    func testErrorsCrossNestedLuaAndSwiftFrames() throws {
        try state.install(LuaModule("host", functions: [
            ("inner", { (_: LuaCall) throws(ScriptError) -> HostResult in
                throw ScriptError(.timeout, "inner gave up", fields: ["code": "E-INNER"])
            }),
            ("outer", { (call: LuaCall) throws(ScriptError) -> HostResult in
                // Call the Lua function argument back, on the caller's own stack.
                let stack = call.stack
                lua_pushvalue(call.L, 1)
                do throws(LuaCallFailure) {
                    _ = try stack.call([])
                    return .none
                } catch {
                    guard case .table(let table) = error.value else { throw ScriptError(.sandbox, "lost the error: \(error)") }
                    throw ScriptError(.init(rawValue: table["kind"].stringValue ?? "?"),
                                      "outer saw: " + (table["message"].stringValue ?? "?"),
                                      fields: ["code": table["code"], "inner_where": table["where"]])
                }
            }),
        ]))
        let results = try run("""
            local depth = 0
            local ok, err = pcall(host.outer, function()
              depth = depth + 1
              local inner_ok, inner_err = pcall(host.inner)
              assert(not inner_ok and inner_err.code == "E-INNER")
              host.inner()
            end)
            return ok, err.kind, err.message, err.code, err.inner_where, depth
            """)
        XCTAssertEqual(results, [false, "timeout", "outer saw: inner gave up", "E-INNER", "test.lua:6", 1])
    }

    func testManyRaisedErrorsLeaveTheStackAndMemoryFlat() throws {
        try state.install(LuaModule("host", functions: [("fail", { _ throws(ScriptError) in throw ScriptError(.sandbox, "no") })]))
        _ = try run("for i = 1, 1000 do pcall(host.fail) end collectgarbage()")
        let before = state.memoryInUse
        _ = try run("for i = 1, 20000 do pcall(host.fail) end collectgarbage()")
        XCTAssertLessThan(state.memoryInUse, before + 4096)
        XCTAssertEqual(state.stack.top, 0)
    }

    func testWarningsReachTheHost() throws {
        var warnings: [String] = []
        state.onWarning = { warnings.append($0) }
        _ = try run("warn('a', 'b', 'c') warn('@off') warn('hidden') warn('@on') warn('shown')")
        XCTAssertEqual(warnings, ["abc", "shown"])
    }

    func testMemoryCapStopsScriptsButNotHost() throws {
        state = LuaState(limits: LuaLimits(memory: 8 << 20))
        try state.openSandbox()
        let results = try run("""
            local ok, err = pcall(function() local t = {} for i = 1, 1e8 do t[i] = i end end)
            collectgarbage()
            return ok, err
            """)
        XCTAssertEqual(results, [false, "not enough memory"])
        // Host pushes are never refused, even above the cap.
        try state.stack.push(.table(LuaTable(array: Array(repeating: .string(String(repeating: "x", count: 100)), count: 100_000))))
        XCTAssertGreaterThan(state.memoryInUse, 8 << 20)
        state.stack.pop()
    }
}
