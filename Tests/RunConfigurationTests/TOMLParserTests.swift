@testable import TOML
import XCTest

@testable import RunConfiguration
@testable import Transport

final class TOMLParserTests: XCTestCase {
    private func parse(_ text: String) throws -> TOMLDocument { try TOMLParser.parse(text, file: "t.toml") }

    private func failure(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch let error as TOMLError { return error.message } catch { return "\(error)" }
    }

    func testValuesTablesCommentsAndLines() throws {
        let document = try parse(
            """
            # comment
            out = "out" # trailing comment
            concurrency = 1_000
            [a]
            s = 'lit\\eral'
            f = 5.0
            e = -1e3
            flag = true
            arr = [
              1, # one
              2,
            ]
            [a.b] # nested
            "quoted key" = "x\\ty\\u00e9"
            dotted.key = false
            """)
        XCTAssertEqual(document.entries.map(\.dottedPath), ["out", "concurrency", "a.s", "a.f", "a.e", "a.flag", "a.arr", #"a.b."quoted key""#, "a.b.dotted.key"])
        XCTAssertEqual(document.entries.map(\.line), [2, 3, 5, 6, 7, 8, 9, 14, 15])
        XCTAssertEqual(document.entry(["concurrency"])?.value, .integer(1000))
        XCTAssertEqual(document.entry(["a", "s"])?.value, .string("lit\\eral"))
        XCTAssertEqual(document.entry(["a", "f"])?.value, .float(5))
        XCTAssertEqual(document.entry(["a", "e"])?.value, .float(-1000))
        XCTAssertEqual(document.entry(["a", "arr"])?.value, .array([.integer(1), .integer(2)]))
        XCTAssertEqual(document.entry(["a", "b", "quoted key"])?.value, .string("x\tyé"))
        XCTAssertEqual(document.tables.map(\.line), [4, 13])
    }

    func testErrorsNameTheLine() {
        XCTAssertEqual(failure("a = 1\nb = \"open\n"), "t.toml:2: unterminated string")
        XCTAssertEqual(failure("a = 1\na = 2"), "t.toml:2: key 'a' is defined twice (first on line 1)")
        XCTAssertEqual(failure("[x]\n[x]"), "t.toml:2: table [x] is defined twice (first on line 1)")
        XCTAssertEqual(failure("x = 1\n[x]"), "t.toml:2: 'x' is already a value (line 1); it cannot also be a table")
        XCTAssertEqual(failure("\n\nname = bare"), "t.toml:3: invalid value 'bare' (strings need quotes)")
        XCTAssertEqual(failure("a = 1 2"), "t.toml:1: unexpected text after the value; expected the end of the line")
        XCTAssertEqual(failure("a = {x = 1}"), "t.toml:1: inline tables are not supported in moonwatch.toml; use a [table] header")
        XCTAssertEqual(failure("[[a]]"), "t.toml:1: arrays of tables ([[...]]) are not supported in moonwatch.toml")
        XCTAssertEqual(failure("a = 012"), "t.toml:1: invalid value '012' (strings need quotes)")
        XCTAssertEqual(failure("a = 1__0"), "t.toml:1: invalid value '1__0' (strings need quotes)")
        XCTAssertEqual(failure("a = inf"), "t.toml:1: 'inf' is not a finite number")
        XCTAssertEqual(failure("a = 99999999999999999999"), "t.toml:1: integer '99999999999999999999' is out of range")
        XCTAssertEqual(failure("a = [1,\n2"), "t.toml:2: unterminated array (opened on line 1)")
        XCTAssertEqual(failure("a ="), "t.toml:1: expected a value after '='")
        XCTAssertEqual(failure("a"), "t.toml:1: expected '=' after key 'a'")
        XCTAssertEqual(failure("a = \"\\q\""), "t.toml:1: invalid escape '\\q' in a string")
        XCTAssertEqual(failure("a = \"\\u+041\""), "t.toml:1: invalid unicode escape in a string")
        XCTAssertEqual(failure("a = \"\\u00e\""), "t.toml:1: invalid unicode escape in a string")
        XCTAssertEqual(failure("d = 2024-01-01"), "t.toml:1: dates and times are not supported in moonwatch.toml (quote the value)")
    }

    /// Found by FuzzTOML: brackets alone used to recurse until the stack overflowed.
    func testArraysNestAtMostTheLimit() throws {
        let depth = TOMLParser.maximumArrayDepth
        let deepest = try parse("a = " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        XCTAssertNotNil(deepest.entry(["a"]))
        XCTAssertEqual(failure("a = " + String(repeating: "[", count: 100_000)), "t.toml:1: arrays nest deeper than \(depth) levels")
    }

    func testWindowsLineEndingsAndBOM() throws {
        let document = try parse("\u{FEFF}a = 1\r\n[t]\r\nb = \"x\"\r\n")
        XCTAssertEqual(document.entries.map(\.line), [1, 3])
    }
}
