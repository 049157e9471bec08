import Foundation
import XCTest

@testable import Journal

/// Reading `.jsonl` and `.csv` input: RFC 4180 quoting, bad rows with their line numbers.
final class InputFileTests: XCTestCase {
    private func input(_ name: String, _ text: String) throws -> InputFile {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try InputFile(path: url.path)
    }

    func testJSONLinesSkipBlankLinesAndReportBadOnesByLine() throws {
        let file = try input("in.jsonl", "{\"a\":1}\n\n{oops\n[1,2]\r\n{\"b\":\"x\"}\r\n")
        XCTAssertEqual(file.rows(), [
            InputRow(line: 1, json: #"{"a":1}"#),
            InputRow(line: 3, problem: "line 3: malformed JSON at column 2: expected a quoted key, found 'o'"),
            InputRow(line: 4, problem: "line 4: not a JSON object (each line must be one object)"),
            InputRow(line: 5, json: #"{"b":"x"}"#),
        ])
    }

    func testJSONLinesProblemsSayWhereInTheLine() throws {
        let file = try input("in.jsonl", "{\"a\":1} x\n{\"a\":tru}\n\"text\"\n")
        XCTAssertEqual(file.rows(), [
            InputRow(line: 1, problem: "line 1: malformed JSON at column 9: unexpected data after the JSON value"),
            InputRow(line: 2, problem: "line 2: malformed JSON at column 6: invalid literal, expected 'true'"),
            InputRow(line: 3, problem: "line 3: not a JSON object (each line must be one object)"),
        ])
    }

    func testCSVQuotingAndLineNumbers() throws {
        let text = "id,note,price\r\n1,plain,3\r\n2,\"comma, inside\",4\n3,\"two\nlines\",5\n4,\"say \"\"hi\"\"\",6\n5,short\n6,\"\",7\n"
        let file = try input("in.csv", text)
        XCTAssertEqual(file.rows(), [
            InputRow(line: 2, json: #"{"id":"1","note":"plain","price":"3"}"#),
            InputRow(line: 3, json: #"{"id":"2","note":"comma, inside","price":"4"}"#),
            InputRow(line: 4, json: #"{"id":"3","note":"two\nlines","price":"5"}"#),
            InputRow(line: 6, json: #"{"id":"4","note":"say \"hi\"","price":"6"}"#),
            InputRow(line: 7, problem: "line 7: 2 fields, but the header has 3"),
            InputRow(line: 8, json: #"{"id":"6","note":"","price":"7"}"#),
        ])
    }

    func testCSVStrayAndUnclosedQuotesAreBadRows() throws {
        let file = try input("in.csv", "a,b\nx\"y,1\n\"open,2\n")
        let rows = file.rows()
        XCTAssertEqual(rows.map(\.line), [2, 3])
        XCTAssertTrue(rows[0].problem?.contains("quote inside a field") ?? false, "\(rows)")
        XCTAssertTrue(rows[1].problem?.contains("not closed") ?? false, "\(rows)")
    }

    func testIdentityIsSizeAndSHA256() throws {
        let file = try input("in.jsonl", "{}\n")
        XCTAssertEqual(file.identity.size, 3)
        XCTAssertEqual(file.identity.sha256, "ca3d163bab055381827226140568f3bef7eaac187cebd76878e0b63e9e442356")
        XCTAssertThrowsError(try input("in.txt", "{}"))
    }
}
