import Journal
import XCTest

@testable import Report

final class FailureGroupTests: XCTestCase {
    private func failed(_ line: Int, _ message: String, kind: String? = nil, code: String? = nil, row: String? = nil, attempts: Int = 1) -> ItemReport {
        ItemReport(line: line, status: .failed, attempts: attempts, error: ItemError(message, kind: kind, code: code), row: row)
    }

    func testFailuresGroupByKindAndCodeThenByMessageLargestFirst() {
        let items = [
            ItemReport(line: 1, status: .done, attempts: 1, error: nil),
            failed(2, "No face was detected.", kind: "failed", row: #"{"id": 7}"#),
            failed(3, "The picture resolution is too low. (MSS.00010002)", kind: "failed", code: "MSS.00010002", row: #"{"job_id": "j3"}"#),
            failed(4, "low again (MSS.00010002)", kind: "failed", code: "MSS.00010002"),
            failed(5, "main.lua:12: No face was detected.", kind: "failed"),
            failed(6, "server said no [server, service=metastudio, code=MSS.00010002]", kind: "server", code: "MSS.00010002"),
            failed(7, "batch.lua:3: boom"),
            failed(8, "line 8: not a JSON object", attempts: 0),
            failed(9, "main.lua:40: No face was detected.", kind: "failed"),
        ]
        let groups = FailureGroup.grouping(items)
        XCTAssertEqual(groups.map(\.title), [
            "failed: No face was detected.", "failed MSS.00010002", "server MSS.00010002", "error: boom", "bad_row: line 8: not a JSON object",
        ])
        XCTAssertEqual(groups.map { $0.items.map(\.line) }, [[2, 5, 9], [3, 4], [6], [7], [8]])
        XCTAssertEqual(groups[0].items[0].id, "7", "numbers are ids too")
        XCTAssertEqual(groups[1].items[0].id, "j3")
        XCTAssertNil(groups[1].items[1].id)
        XCTAssertEqual(groups[1].items[0].message, "The picture resolution is too low. (MSS.00010002)", "each item keeps its own message")
    }

    func testTheSharedPartOfAMessageDropsTheLocationAndTheFields() {
        XCTAssertEqual(FailureGroup.shared("main.lua:12: job failed [failed, service=tryon]"), "job failed")
        XCTAssertEqual(FailureGroup.shared("a.lua:1: b.lua:2: nested"), "nested")
        XCTAssertEqual(FailureGroup.shared("plain message"), "plain message")
        XCTAssertEqual(FailureGroup.shared("ratio 1:2: kept"), "ratio 1:2: kept", "only a script location is taken off")
        XCTAssertEqual(FailureGroup.shared("[only brackets]"), "[only brackets]")
    }

    func testWaitPercentilesAndHistogram() {
        let waits = WaitFigures((1...100).map(Double.init))
        XCTAssertEqual(waits.count, 100)
        XCTAssertEqual(waits.p50, 50)
        XCTAssertEqual(waits.p90, 90)
        XCTAssertEqual(waits.p99, 99)
        XCTAssertEqual(waits.max, 100)
        XCTAssertEqual(waits.histogram, [1, 4, 10, 45, 40, 0, 0, 0])
        let empty = WaitFigures([])
        XCTAssertNil(empty.p50)
        XCTAssertEqual(empty.histogram.reduce(0, +), 0)
        XCTAssertEqual(WaitFigures([4000]).histogram.last, 1)
    }
}
