import CLua
import CLuaShim
@testable import Lua
import XCTest

/// The budget-charging pattern functions (mw_openpatterns) against stock Lua 5.4,
/// and the bound they put on patterns that backtrack without end inside one C call.
final class PatternTests: XCTestCase {
    /// A state with the full standard library whose string table keeps the stock
    /// functions as globals `stock_find`, `stock_match`, ... and then gets ours.
    private func differentialState() -> LuaState {
        let state = LuaState()
        luaL_openlibs(state.L)
        lua_getglobal(state.L, "string")
        for name in ["find", "match", "gmatch", "gsub"] {
            lua_getfield(state.L, -1, name)
            lua_setglobal(state.L, "stock_\(name)")
        }
        mw_openpatterns(state.L)
        lua_settop(state.L, 0)
        return state
    }

    func testResultsAndErrorsMatchStockLua() throws {
        let state = differentialState()
        try state.load(Array(Self.differentialScript.utf8), chunkName: "=differential")
        let results = try state.call()
        XCTAssertEqual(results.count, 3)
        XCTAssertGreaterThan(results[0].doubleValue ?? 0, 24_000, "cases compared")
        XCTAssertEqual(results[1], 0, results[2].stringValue ?? "")
    }

    func testInstalledFunctionsAreTheStringMethods() throws {
        let state = differentialState()
        try state.load(Array("return ('x'):find('x') == 1, string.find ~= stock_find, ('a1'):gsub('%d', '#')".utf8), chunkName: "=methods")
        XCTAssertEqual(try state.call(), [true, true, "a#", 1])
    }

    /// A sandboxed state with an instruction budget of 10^7 and our pattern functions.
    private func budgetedState() throws -> LuaState {
        let state = LuaState(limits: LuaLimits(instructions: 10_000_000))
        try state.openSandbox()
        lua_getglobal(state.L, "string")
        mw_openpatterns(state.L)
        lua_settop(state.L, 0)
        return state
    }

    private func assertStoppedByBudget(_ code: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let state = try budgetedState()
        try state.load(Array(code.utf8), chunkName: "@bound.lua")
        do {
            let results = try state.call()
            XCTFail("ended without the budget error: \(results)", file: file, line: line)
        } catch {
            XCTAssertTrue(error.message.contains("instruction budget exceeded"), error.message, file: file, line: line)
            XCTAssertTrue(error.message.hasPrefix("bound.lua:2:"), error.message, file: file, line: line)
            XCTAssertTrue(error.message.hasSuffix("[sandbox]"), error.message, file: file, line: line)
        }
    }

    func testBacktrackingPatternEndsWithTheBudgetError() throws {
        try assertStoppedByBudget("""
            local subject = ("a"):rep(1e5)
            return subject:match(("a-"):rep(30) .. "b")
            """)
    }

    func testNestedLazyPatternEndsWithTheBudgetError() throws {
        try assertStoppedByBudget("""
            local subject = ("a"):rep(1e3)
            return subject:gsub((".-"):rep(150) .. "b", "")
            """)
    }

    func testPlainFindOfNearMissesEndsWithTheBudgetError() throws {
        try assertStoppedByBudget("""
            local subject, needle = ("a"):rep(1e6), ("a"):rep(5e4) .. "b"
            return subject:find(needle, 1, true)
            """)
    }

    func testOrdinaryPatternsRunUnderTheBudget() throws {
        let state = try budgetedState()
        let code = """
            local text = ("key=value; "):rep(1000)
            local pairs = 0
            for k, v in text:gmatch("(%w+)=(%w+)") do pairs = pairs + 1 end
            return pairs, (text:gsub("%s+", "")):len(), text:find("value;", 5000, true)
            """
        try state.load(Array(code.utf8), chunkName: "@ordinary.lua")
        XCTAssertEqual(try state.call(), [1000, 10_000, 5010, 5015])
    }

    /// Compares stock and ours on hand-written edge cases and on generated subjects
    /// and patterns (fixed seed); returns the cases compared, the mismatches and
    /// the first 20 of them.
    static let differentialScript = #"""
local stock = {find = stock_find, match = stock_match, gmatch = stock_gmatch, gsub = stock_gsub}
local ours = {find = string.find, match = string.match, gmatch = string.gmatch, gsub = string.gsub}
local pack, concat, format, char = table.pack, table.concat, string.format, string.char

local function describe(v)
  if type(v) == "string" then return format("%q", v) end
  return type(v) .. ":" .. tostring(v)
end

-- The function's own name differs between the two sets in argument errors.
local function normalize(ok, ...)
  local t = pack(ok, ...)
  if not ok and type(t[2]) == "string" then
    t[2] = stock.gsub(t[2], "to '[^']*'", "to '?'")
  end
  return t
end

local function render(t)
  local parts = {}
  for i = 1, t.n do parts[i] = describe(t[i]) end
  return concat(parts, ", ")
end

-- Runs one call of library `lib`; gmatch is run to the end (at most 100 matches).
local function run(lib, name, args)
  if name ~= "gmatch" then
    return render(normalize(pcall(lib[name], table.unpack(args, 1, args.n))))
  end
  local ok, iterator = pcall(lib.gmatch, table.unpack(args, 1, args.n))
  if not ok then return render(normalize(ok, iterator)) end
  local out = {}
  for _ = 1, 100 do
    local t = normalize(pcall(iterator))
    out[#out + 1] = render(t)
    if not t[1] or t[2] == nil then break end
  end
  return concat(out, " | ")
end

local cases, mismatches = 0, {}
local function compare(name, ...)
  local args = pack(...)
  local expected, actual = run(stock, name, args), run(ours, name, args)
  cases = cases + 1
  if expected ~= actual and #mismatches < 20 then
    local shown = {}
    for i = 1, args.n do shown[i] = describe(args[i]) end
    mismatches[#mismatches + 1] = format("%s(%s): stock %s, ours %s", name, concat(shown, ", "), expected, actual)
  end
end

local function replacer(a, b)
  if a == "a" then return nil end
  if a == "b" then return false end
  if a == "(" then return {} end
  if a == "1" then return 7 end
  return "<" .. tostring(a) .. tostring(b) .. ">"
end
local replacements = {
  "x", "%0", "[%1]", "%2%1", "%%", "%", "%x", "a%3b", "%0%0",
  {a = "A", b = false, ["("] = 1.5, ["1"] = {}, x = true}, replacer, 42,
}

-- Edge cases
local edge = {
  {"find", "hello world", "o", 6}, {"find", "hello", "l", -2}, {"find", "hello", "l", -100},
  {"find", "hello", "", 6}, {"find", "hello", "", 7}, {"find", "hello", "", 0}, {"find", "", ""},
  {"find", "a.b", ".", 1, true}, {"find", "a+b", "+", 1, true}, {"find", "a\0b", "\0"}, {"find", "aaab", "aab"},
  {"find", "hello", "^h"}, {"find", "hello", "^e"}, {"find", "hello", "o$"}, {"find", "hel$lo", "l$l"}, {"find", "a^b", "a^b"},
  {"match", "  key = value  ", "^%s*(%S+)%s*=%s*(%S+)%s*$"}, {"match", "hello", "()ll()"}, {"match", "hello", "(h)(e)(l)(l)(o)"},
  {"match", "THE (quick) fox", "%f[%a]%a+"}, {"match", "THE (quick) fox", "%f[%a]%a+%f[%A]", 5}, {"match", "abc", "%f[%z]"},
  {"match", "abc", "%f[^%z]"}, {"match", "abc", "%f[%l]"}, {"match", "abc", "%f[%L]"}, {"match", "", "%f[%z]"},
  {"match", "x = (a(b)c) y", "%b()"}, {"match", "((a)", "%b()"}, {"match", "a)", "%b()"}, {"match", "aaa", "%baa"}, {"match", "x", "%bx"},
  {"match", "abab", "(ab)%1"}, {"match", "abac", "(ab)%1"}, {"match", "aa", "()a%1"}, {"match", "xyzzy", "(z)%1"},
  {"match", "abc", "(a(b)c)"}, {"match", "abc", "((a)(b))%3"}, {"match", "abc", "a)"}, {"match", "abc", "(a"}, {"match", "abc", "%"},
  {"match", "abc", "[a"}, {"match", "abc", "[]"}, {"match", "]", "[]]"}, {"match", "^", "[^^]"}, {"match", "-", "[a-]"}, {"match", "b", "[a-c]"},
  {"match", "%", "[%%]"}, {"match", "abc", "[%"}, {"match", "abc", "%f"}, {"match", "abc", "%fa"}, {"match", "abc", "x%"},
  {"match", "abc", "a%"}, {"match", "abc", "%g+"}, {"match", "a\0b", "%z"}, {"match", "a\0b", "[%z]"}, {"match", "a\0b", ".-%c"},
  {"match", ("a"):rep(300), ("a?"):rep(250)}, {"match", ("a"):rep(30), (".-"):rep(250)}, {"match", "a", ("()"):rep(33)},
  {"match", "a", ("()"):rep(32)}, {"match", "aaa", "a-b"}, {"match", "aaab", "a-b"}, {"match", "aaa", "a*"}, {"match", "aaa", "a+"},
  {"match", "", "a*"}, {"match", "", "a+"}, {"match", "b", "a?b"}, {"match", "ab", "a?b"}, {"match", "hello", ".-l", 10},
  {"gmatch", "one two  three", "%a+"}, {"gmatch", "abc", ""}, {"gmatch", "abc", "x*"}, {"gmatch", "a=1, b=2", "(%w+)=(%w+)"},
  {"gmatch", "abc", "^a"}, {"gmatch", "^a^a", "^a"}, {"gmatch", "abcabc", "b", 3}, {"gmatch", "abc", ".", -1}, {"gmatch", "abc", "", 10},
  {"gmatch", "abc", "()"}, {"gmatch", "abc", "(", 1}, {"gmatch", "aaa", "a-"},
  {"gsub", "hello world", "o", "0"}, {"gsub", "hello world", "o", "0", 1}, {"gsub", "hello", "", "-"}, {"gsub", "abc", "x*", "-"},
  {"gsub", "hello world", "(%w+)", "<%1>"}, {"gsub", "hello", "l", "%%"}, {"gsub", "hello", "l", "%"}, {"gsub", "hello", "l", "%9"},
  {"gsub", "hello", "(l)", "%2"}, {"gsub", "hello", "()l", "%1"}, {"gsub", "hello", "^h", "H"}, {"gsub", "hello", "^l", "L"},
  {"gsub", "hello", "l", {l = false}}, {"gsub", "hello", "l", {}}, {"gsub", "hello", "l", {l = {}}}, {"gsub", "hello", "l", {l = 3}},
  {"gsub", "hello", "l", function() end}, {"gsub", "hello", "l", function() return false end}, {"gsub", "hello", "(l)(l)", function(a, b) return b .. a end},
  {"gsub", "hello", "l", function() return true end}, {"gsub", "hello", "l"}, {"gsub", "hello", "l", true}, {"gsub", "hello", "l", "x", 0},
  {"gsub", "hello", "l", "x", -1}, {"gsub", "hello", "l", "x", 1.5}, {"gsub", "hello", "l", "x", "2"}, {"gsub", "abc", "%w", "%0%0"},
  {"gsub", "abc", "", "%1"}, {"gsub", "abc", "()", "%1"}, {"gsub", "a,b,,c", ",", ";", 2}, {"gsub", "hello", ".", {h = 1, e = 2.5}},
  {"find", "abc", "b", "x"}, {"find", 123, 2}, {"find", "abc"}, {"find", nil, "a"}, {"match", "abc", "b", 1.5},
  {"find", "a" .. ("b"):rep(100), ("b"):rep(50), 1, true}, {"find", ("ab"):rep(50), ("ab"):rep(20) .. "c", 1, true},
}
for _, case in ipairs(edge) do compare(table.unpack(case)) end

-- Generated cases: subjects over a small alphabet, patterns from the grammar, some malformed.
math.randomseed(20261202)
local random = math.random
local letters = {"a", "b", "c", "(", ")", "%", ".", "[", "]", "-", "^", "$", "\0", " ", "1", "A"}
local function subject()
  local out = {}
  for i = 1, random(0, 12) do out[i] = letters[random(#letters)] end
  return concat(out)
end
local singles = {
  "a", "b", "c", ".", "%a", "%A", "%c", "%d", "%D", "%g", "%l", "%p", "%s", "%S", "%u", "%w", "%W", "%x", "%z", "%.", "%%",
  "%(", "%]", "%-", "[ab]", "[^a]", "[a-c]", "[%a%d]", "[^%s]", "[]a]", "[^]]", "[a-]", "[%]]", "[(]", "$", "^", "-", " ", "\0", "1",
}
local others = {
  "(", ")", "()", "%1", "%2", "%0", "%b()", "%bab", "%b", "%f[%w]", "%f[^a]", "%f[%z]", "%fa", "%f", "%", "[a", "[^", "[%", "$",
}
local quantifiers = {"", "", "", "*", "+", "-", "?"}
local function pattern()
  local out = {}
  if random(4) == 1 then out[1] = "^" end
  for _ = 1, random(0, 6) do
    if random(4) == 1 then
      out[#out + 1] = others[random(#others)]
    else
      out[#out + 1] = singles[random(#singles)] .. quantifiers[random(#quantifiers)]
    end
  end
  if random(6) == 1 then out[#out + 1] = "$" end
  return concat(out)
end
local function init()
  local r = random(8)
  if r <= 4 then return nil end
  return random(-15, 15)
end

for _ = 1, 6000 do
  local s, p = subject(), pattern()
  compare("find", s, p, init(), random(8) == 1 or nil)
  compare("match", s, p, init())
  compare("gmatch", s, p, init())
  compare("gsub", s, p, replacements[random(#replacements)], random(3) == 1 and random(-1, 4) or nil)
end

-- Plain finds with long near-miss needles.
for _ = 1, 500 do
  local s, needle = {}, {}
  for i = 1, random(0, 60) do s[i] = random(2) == 1 and "a" or "b" end
  for i = 1, random(0, 8) do needle[i] = random(4) == 1 and "b" or "a" end
  compare("find", concat(s), concat(needle), init(), true)
end

return cases, #mismatches, concat(mismatches, "\n")
"""#
}
