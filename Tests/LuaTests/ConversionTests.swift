import CLua
@testable import Lua
import XCTest

/// Values survive the trip Swift -> Lua -> Swift, and Lua's own view of them is right.
final class ConversionTests: XCTestCase {
    var state: LuaState!

    override func setUp() {
        state = LuaState()
        XCTAssertNoThrow(try state.openSandbox())
    }

    override func tearDown() { state = nil }

    /// Pushes `value`, hands it to a Lua function that returns it with a
    /// description computed in Lua, and reads both back.
    private func roundTrip(_ value: LuaValue, describe: String = "return math.type(...) or type(...)") throws -> (LuaValue, String) {
        try state.load(Array("local v = ... ; local f = function(...) \(describe) end ; return v, f(v)".utf8), chunkName: "=test")
        let results = try state.call([value])
        XCTAssertEqual(results.count, 2)
        return (results[0], results[1].stringValue ?? "")
    }

    func testScalarsKeepTheirLuaTypes() throws {
        let cases: [(LuaValue, String)] = [
            (.nil, "nil"), (.boolean(true), "boolean"), (.boolean(false), "boolean"),
            (.integer(42), "integer"), (.integer(.min), "integer"), (.integer(.max), "integer"),
            (.number(1.0), "float"), (.number(-0.5), "float"), (.number(.infinity), "float"),
            (.string("hello"), "string"),
        ]
        for (value, type) in cases {
            let (back, luaType) = try roundTrip(value)
            XCTAssertEqual(back, value)
            XCTAssertEqual(luaType, type, "\(value)")
        }
    }

    func testIntegerValuedFloatStaysFloat() throws {
        let (back, type) = try roundTrip(.number(3.0))
        XCTAssertEqual(back, .number(3.0))
        XCTAssertNotEqual(back, .integer(3))
        XCTAssertEqual(type, "float")
        try state.load(Array("return 3, 3.0, 2^53, 7 // 2, 7 / 2".utf8), chunkName: "=test")
        XCTAssertEqual(try state.call(), [.integer(3), .number(3.0), .number(9007199254740992.0), .integer(3), .number(3.5)])
    }

    func testStringsAreBinarySafe() throws {
        let bytes: [UInt8] = [0, 1, 0, 255, 0xC3, 0x28, 0]  // zero bytes and invalid UTF-8
        let (back, length) = try roundTrip(.string(bytes), describe: "return tostring(#(...))")
        XCTAssertEqual(back, .string(bytes))
        XCTAssertEqual(length, "7")
        try state.load(Array("local s = ... ; return #s, s:byte(4), s:sub(2, 2)".utf8), chunkName: "=test")
        XCTAssertEqual(try state.call([.string(bytes)]), [.integer(7), .integer(255), .string([1])])
        try state.load(Array(#"return "a\0b\0""#.utf8), chunkName: "=test")
        XCTAssertEqual(try state.call(), [.string([97, 0, 98, 0])])
    }

    func testArraysMapsAndMixedTables() throws {
        let array: LuaValue = [1, "two", 3.5, true]
        let (backArray, length) = try roundTrip(array, describe: "return tostring(#(...))")
        XCTAssertEqual(backArray, array)
        XCTAssertEqual(length, "4")

        let map: LuaValue = ["name": "job", "count": 3, "ratio": 0.25, "done": false]
        let (backMap, field) = try roundTrip(map, describe: "return (...).name .. (...).count")
        XCTAssertEqual(backMap, map)
        XCTAssertEqual(field, "job3")

        try state.load(Array("return {10, 20, n = 2, [1.5] = 'x', [true] = 'yes', [100] = 'far'}".utf8), chunkName: "=test")
        let mixed = try XCTUnwrap(state.call().first?.tableValue)
        XCTAssertEqual(mixed.array, [10, 20])
        XCTAssertEqual(mixed.fields[.string("n")], 2)
        XCTAssertEqual(mixed.fields[.number(1.5)], "x")
        XCTAssertEqual(mixed.fields[.boolean(true)], "yes")
        XCTAssertEqual(mixed.fields[.integer(100)], "far")
    }

    func testTableWithHolesKeepsEveryKey() throws {
        try state.load(Array("return {1, nil, 3}".utf8), chunkName: "=test")
        let table = try XCTUnwrap(state.call().first?.tableValue)
        var all: [LuaKey: LuaValue] = table.fields
        for (index, value) in table.array.enumerated() { all[.integer(Int64(index + 1))] = value }
        XCTAssertEqual(all, [.integer(1): 1, .integer(3): 3])
    }

    func testDeepNestingBothWays() throws {
        var value: LuaValue = "bottom"
        for level in 0..<150 { value = ["level": .integer(Int64(level)), "inner": value] }
        let (back, depth) = try roundTrip(value, describe: "local t, d = ..., 0 while type(t) == 'table' do t = t.inner d = d + 1 end return tostring(d)")
        XCTAssertEqual(back, value)
        XCTAssertEqual(depth, "150")

        let deep = Array("local t = {} for i = 1, 1000 do t = {t} end return t".utf8)
        try state.load(deep, chunkName: "=test")
        lua_callk(state.L, 0, 1, 0, nil)
        XCTAssertThrowsError(try state.stack.value(at: -1)) { error in
            XCTAssertTrue("\(error)".contains("nests deeper"), "\(error)")
        }
        state.stack.pop()
        // A result that cannot be converted comes back as nil from call.
        try state.load(deep, chunkName: "=test")
        XCTAssertEqual(try state.call(results: 1), [.nil])
        XCTAssertEqual(state.stack.top, 0)
    }

    func testCyclesAreRejectedNotLooped() throws {
        try state.load(Array("local t = {} t.self = t return t".utf8), chunkName: "=test")
        lua_callk(state.L, 0, 1, 0, nil)
        XCTAssertThrowsError(try state.stack.value(at: -1)) { error in
            XCTAssertTrue("\(error)".contains("contains itself"), "\(error)")
        }
        state.stack.pop()
        // The same table twice (not a cycle) is fine.
        try state.load(Array("local s = {1} return {s, s}".utf8), chunkName: "=test")
        XCTAssertEqual(try state.call(), [[[1], [1]]])
    }

    func testFunctionsAndUserdataTravelAsHandles() throws {
        try state.load(Array("return function(x) return x + 1 end, coroutine.create(print), io".utf8), chunkName: "=test")
        let values = try state.call()
        guard case .function(let function) = values[0] else { return XCTFail("\(values)") }
        guard case .thread = values[1] else { return XCTFail("\(values)") }
        XCTAssertEqual(values[2], .nil)  // io is not loaded in the sandbox
        try state.stack.push(function)
        XCTAssertEqual(try state.call([41]), [42])
        // The handle pushed back is the same function.
        try state.load(Array("local a, b = ... return rawequal(a, b)".utf8), chunkName: "=test")
        XCTAssertEqual(try state.call([.function(function), .function(function)]), [true])

        try state.load(Array("return json.null".utf8), chunkName: "=test")
        guard case .userdata = try state.call().first else { return XCTFail("json.null is light userdata") }
    }

    func testReleasedHandlesFreeTheirRegistrySlot() throws {
        try state.load(Array("return function() end".utf8), chunkName: "=test")
        var value: LuaValue? = try state.call().first
        guard case .function(let ref)? = value else { return XCTFail() }
        let index = ref.index
        value = nil
        _ = consume ref
        state.releaseDeadReferences()
        try state.load(Array("return function() end".utf8), chunkName: "=test")
        guard case .function(let reused)? = try state.call().first else { return XCTFail() }
        XCTAssertEqual(reused.index, index, "the freed slot is reused")
    }
}
