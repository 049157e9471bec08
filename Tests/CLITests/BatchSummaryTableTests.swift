import Batch
import Journal
import Report
import Services
import XCTest

@testable import moonwatch

final class BatchSummaryTableTests: XCTestCase {
    func testTheFiveLargestFailureGroupsThenHowManyMore() {
        var items: [ItemReport] = []
        var line = 0
        for (group, size) in [7, 1, 5, 4, 3, 2, 1].enumerated() {
            for _ in 0..<size {
                line += 1
                items.append(ItemReport(
                    line: line, status: .failed, attempts: 1,
                    error: ItemError("m", kind: "failed", code: "MSS.0001000\(group)")))
            }
        }
        var counts = ItemCounts()
        counts[.failed] = line
        let table = BatchSummaryTable(
            counts: counts, counters: BatchCounters(total: line, doneBefore: 0, failedBefore: 0), requests: RunCounters().snapshot,
            elapsed: 3, failureGroups: FailureGroup.grouping(items), pagePath: "out/report.html"
        ).text
        let lines = table.split(separator: "\n").map(String.init)
        guard let start = lines.firstIndex(of: "failures by kind and code") else { return XCTFail(table) }
        XCTAssertEqual(Array(lines[start + 1...start + 6]), [
            "  ×7      failed MSS.00010000",
            "  ×5      failed MSS.00010002",
            "  ×4      failed MSS.00010003",
            "  ×3      failed MSS.00010004",
            "  ×2      failed MSS.00010005",
            "  2 more (2 items): see out/report.html",
        ])
        XCTAssertEqual(lines.last, "report           out/report.html")
    }

    func testNoFailureSectionWithoutFailures() {
        let table = BatchSummaryTable(
            counts: ItemCounts(), counters: BatchCounters(total: 0, doneBefore: 0, failedBefore: 0), requests: RunCounters().snapshot,
            elapsed: 1
        ).text
        XCTAssertFalse(table.contains("failures by kind"))
    }
}
