import XCTest

@testable import JSON

final class JSONTests: XCTestCase {
    func testIntegersStayIntegersAndNumbersAreDoubles() throws {
        let value = try JSONParser.parse(#"{"infId": 9007199254740993, "cost": 5.0, "bmi": 0.000402367, "e": 1e3, "neg": -7}"#)
        XCTAssertEqual(value["infId"], .integer(9_007_199_254_740_993))
        XCTAssertEqual(value["cost"], .number(5.0))
        XCTAssertEqual(value["bmi"], .number(0.000402367))
        XCTAssertEqual(value["e"], .number(1000))
        XCTAssertEqual(value["neg"], .integer(-7))
        XCTAssertEqual(try JSONParser.parse("92233720368547758070"), .number(92_233_720_368_547_758_070.0))
    }

    func testObjectKeysKeepServerOrder() throws {
        let value = try JSONParser.parse(#"{"z": 1, "a": 2, "m": {"y": null, "b": [true, false]}}"#)
        XCTAssertEqual(value.objectValue?.keys, ["z", "a", "m"])
        XCTAssertEqual(value["m"]?.objectValue?.keys, ["y", "b"])
        XCTAssertEqual(value.serialized, #"{"z":1,"a":2,"m":{"y":null,"b":[true,false]}}"#)
    }

    func testStringsAndEscapes() throws {
        let value = try JSONParser.parse(#"["a\"b\\c\/\n\t\u00e9\ud83d\ude00", "没有检测到脸部"]"#)
        XCTAssertEqual(value.arrayValue?[0], .string("a\"b\\c/\n\té😀"))
        XCTAssertEqual(value.arrayValue?[1], .string("没有检测到脸部"))
        let round = try JSONParser.parse(value.serialized)
        XCTAssertEqual(round, value)
        XCTAssertEqual(JSONValue.quoted("x\u{1}y"), #""x\u0001y""#)
    }

    /// The one escaper serves the services, the emulator and the journal: text that needs no
    /// escape is copied whole, anything else is escaped scalar by scalar, and both append.
    func testStringLiteralsWithAndWithoutEscapes() throws {
        XCTAssertEqual(JSONValue.quoted("job-42 état ✓"), #""job-42 état ✓""#)
        XCTAssertEqual(JSONValue.quoted(""), #""""#)
        XCTAssertEqual(JSONValue.quoted("a\"b\\c\nd\re\tf\u{1F}é"), #""a\"b\\c\nd\re\tf\u001fé""#)
        var output = "{"
        JSONValue.writeString("plain", to: &output)
        output += ":"
        JSONValue.writeString("say \"hi\"", to: &output)
        output += "}"
        XCTAssertEqual(output, #"{"plain":"say \"hi\""}"#)
        XCTAssertEqual(try JSONParser.parse(output)["plain"], .string("say \"hi\""))
    }

    func testErrorsReportByteOffsets() {
        func failure(_ text: String) -> JSONParser.Failure? {
            do {
                _ = try JSONParser.parse(text)
                return nil
            } catch { return error }
        }
        XCTAssertEqual(failure(#"{"a": tru}"#)?.offset, 6)
        XCTAssertEqual(failure(#"{"a" 1}"#)?.offset, 5)
        XCTAssertEqual(failure("[1, 2,]")?.offset, 6)
        XCTAssertEqual(failure("[01]")?.offset, 2)
        XCTAssertEqual(failure("{} x")?.offset, 3)
        XCTAssertEqual(failure("\"abc")?.offset, 0)
        XCTAssertEqual(failure("")?.offset, 0)
        XCTAssertEqual(failure(#"["\x"]"#)?.offset, 2)
        XCTAssertEqual(failure("\"a\nb\"")?.offset, 2)
        XCTAssertNotNil(failure(#""\ud800""#))
        XCTAssertNotNil(failure(String(repeating: "[", count: 600) + String(repeating: "]", count: 600)))
        // Invalid UTF-8 inside a string, with and without an escape before it: the string's offset.
        for bytes: [UInt8] in [[0x5B, 0x22, 0x61, 0xFF, 0x22, 0x5D], [0x5B, 0x22, 0x5C, 0x6E, 0xC3, 0x22, 0x5D]] {
            XCTAssertThrowsError(try JSONParser.parse(bytes)) { error in
                XCTAssertEqual(error as? JSONParser.Failure, JSONParser.Failure(offset: 1, reason: "invalid UTF-8 in the string"))
            }
        }
    }

    /// The face-edge seed shows `target_roi` with unescaped quotes: invalid JSON.
    func testFaceEdgeSeedExampleIsRejectedWithOffset() {
        let text = #"{"state": "RUNNING", "service_config": {"common": {"target_roi": "{"polygons":[]}"}}}"#
        do {
            _ = try JSONParser.parse(text)
            XCTFail("must be rejected")
        } catch {
            let offset = Array(text.utf8).firstIndex(of: UInt8(ascii: "p"))!  // just after the closing quote of "{"
            XCTAssertEqual(error.offset, offset)
            XCTAssertTrue(error.reason.contains("expected ',' or '}'"), error.reason)
        }
    }

    func testAccessors() throws {
        let value = try JSONParser.parse(#"{"s": "12", "i": 3, "d": 2.0, "b": true, "n": null}"#)
        XCTAssertEqual(value["s"]?.int64Value, 12)
        XCTAssertEqual(value["i"]?.doubleValue, 3)
        XCTAssertEqual(value["d"]?.int64Value, 2)
        XCTAssertEqual(value["b"]?.boolValue, true)
        XCTAssertEqual(value["n"]?.isNull, true)
        XCTAssertNil(value["missing"])
        XCTAssertEqual(JSONValue.number(5).serialized, "5.0")
        XCTAssertEqual(JSONValue.number(.infinity).serialized, "null")
    }

    func testObjectMutationKeepsOrder() {
        var object: JSONObject = ["a": .integer(1), "b": .integer(2)]
        object["a"] = .integer(3)
        object["c"] = .null
        object["b"] = nil
        XCTAssertEqual(object.keys, ["a", "c"])
        XCTAssertEqual(object["a"], .integer(3))
    }
}
