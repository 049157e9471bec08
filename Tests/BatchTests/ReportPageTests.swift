import Foundation
import Journal
import Report
import XCTest

/// `report.html` of the demo batch, opened in headless Chromium (Debian's
/// `chromium`, installed by scripts/test): what the browser builds from the
/// page must agree with `report.jsonl` and the files on disk.
final class ReportPageTests: XCTestCase {
    static let hostileID = "<script>alert(1)</script>"

    func testTheDemoBatchReportAgreesWithReportJSONLInChromium() throws {
        let chromium = try Chromium.located()
        let harness = try BatchHarness()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        try FileManager.default.copyItem(
            at: root.appendingPathComponent("scripts/batch_demo.lua"), to: harness.folder.appendingPathComponent("batch_demo.lua"))
        var rows = (0..<2).map { #"{"service": "tryon", "id": "\#(1000 + $0)"}"# }
        rows += (0..<16).map { #"{"service": "metastudio", "id": "demo-job-\#($0)"}"# }
        rows += (0..<6).map { #"{"service": "modelarts", "id": "demo-task-\#($0)", "version": "v1"}"# }
        rows += (0..<12).map { #"{"service": "faceedge", "id": "demo-edge-\#($0)"}"# }
        rows.append(#"{"service": "metastudio", "id": "\#(Self.hostileID)"}"#)
        rows.append(#"{"service": "nowhere", "id": "\#(Self.hostileID)"}"#)
        try harness.write("items.jsonl", rows.joined(separator: "\n") + "\n")

        let batch = harness.finish(try harness.start([
            "batch", "--emulator", "--emulator-speed", "60", "--no-progress", "--out", "out", "--max-failures", "100%",
            "--input", "items.jsonl", "batch_demo.lua",
        ]), within: 300)
        XCTAssertFalse(batch.killed, "the batch did not end within 300 s:\n\(batch.stderr)")
        XCTAssertEqual(batch.status, 0, batch.stderr)
        let out = harness.folder.appendingPathComponent("out")
        let lines = try harness.jsonLines("out/report.jsonl")
        XCTAssertEqual(lines.count, rows.count)

        let dom = try chromium.dumpDOM(of: out.appendingPathComponent("report.html"))

        // Items by outcome, as report.jsonl counts them.
        for outcome in ["pending", "running", "done", "failed"] {
            let expected = lines.filter { $0["outcome"] as? String == outcome }.count
            let shown = try XCTUnwrap(
                DOM.first(#"<tr data-outcome="\#(outcome)"><th>\#(outcome)</th><td class="count">(\d+)</td>"#, in: dom), outcome)
            XCTAssertEqual(Int(shown), expected, outcome)
        }
        XCTAssertEqual(DOM.first(#"<td class="count" id="total">(\d+)</td>"#, in: dom), String(rows.count))

        // Every thumbnail points at a file that exists, and every downloaded picture has one.
        let sources = DOM.all(#"<img loading="lazy" src="([^"]*)""#, in: dom)
        XCTAssertFalse(sources.isEmpty)
        for source in sources {
            let path = try XCTUnwrap(DOM.unescaped(source).removingPercentEncoding, source)
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(path).path), "\(source) does not resolve")
        }
        let records = try harness.jsonLines("out/records.jsonl").compactMap { $0["file"] as? String }
        XCTAssertEqual(sources.count, records.count, "one thumbnail per downloaded picture")

        // The failure groups: one per kind and code (or message), with every failed line of report.jsonl once.
        let failed = lines.filter { $0["outcome"] as? String == "failed" }
        XCTAssertGreaterThan(failed.count, 2)
        let groups = DOM.groups(#"<details class="failure-group" data-kind="([^"]*)" data-code="([^"]*)" data-count="(\d+)">"#, in: dom)
        XCTAssertEqual(groups.map { Int($0[2])! }.reduce(0, +), failed.count)
        for failure in failed {
            let kind = failure["kind"] as? String ?? "error"
            guard let code = failure["code"] as? String else { continue }
            XCTAssertTrue(groups.contains { $0[0] == kind && $0[1] == code }, "no group for \(kind) \(code)")
        }
        let coded = Dictionary(grouping: failed.compactMap { f in (f["code"] as? String).map { (f["kind"] as? String ?? "error") + " " + $0 } }, by: { $0 })
        for (key, members) in coded {
            let group = try XCTUnwrap(groups.first { $0[0] + " " + $0[1] == key }, key)
            XCTAssertEqual(Int(group[2]), members.count, key)
        }
        XCTAssertTrue(groups.contains { $0[0] == "invalid_argument" || $0[0] == "error" }, "the unknown service's item: \(groups)")

        // The hostile id is text, not markup: escaped where it shows, and no script of it in the DOM.
        XCTAssertTrue(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the id is shown as text")
        XCTAssertFalse(dom.contains(Self.hostileID), "the id became markup")
        XCTAssertEqual(DOM.all("(<script)", in: dom).count, 1, "only the page's own script")

        // A screenshot, kept for people to look at (out/ is not committed).
        let artifacts = root.appendingPathComponent("out/test-artifacts")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let shot = artifacts.appendingPathComponent("report-demo.png")
        try chromium.screenshot(of: out.appendingPathComponent("report.html"), to: shot)
        let png = try Data(contentsOf: shot)
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
        XCTAssertGreaterThan(png.count, 20_000, "a blank page would be smaller")
        print("report screenshot: \(shot.path)")
    }

    /// Pages past the first hold their items in an inert template until opened;
    /// opening one (here by a script appended to a copy of the page) brings them in.
    func testAClosedGalleryPageLoadsItsThumbnailsOnlyWhenOpened() throws {
        let chromium = try Chromium.located()
        let harness = try BatchHarness()
        let out = harness.folder.appendingPathComponent("out")
        let entries = (1...250).map { line in
            GalleryEntry(title: "line \(line)", status: "done", files: [
                ReportFile(path: out.path + "/p/\(line).png", bytes: 10, sha256: "aa"),
            ])
        }
        var counts = ItemCounts()
        counts[.done] = 250
        let header = ReportHeader(command: "moonwatch batch", started: Date(), ended: Date(), exitStatus: 0, version: "test")
        let page = try ReportPage(
            content: ReportContent(header: header, outcomes: counts, failureGroups: [], services: [], coinsSpent: nil, gallery: entries),
            directory: out.path
        ).write()
        let closed = try chromium.dumpDOM(of: URL(fileURLWithPath: page))
        XCTAssertEqual(DOM.all(#"(<details class="page")"#, in: closed).count, 3)
        XCTAssertEqual(DOM.all("(<template>)", in: closed).count, 2, "the closed pages")

        let opening = out.appendingPathComponent("opening.html")
        try (String(contentsOfFile: page, encoding: .utf8)
            + #"<script>document.querySelectorAll("details.page")[1].open = true</script>"#
        ).write(to: opening, atomically: true, encoding: .utf8)
        let opened = try chromium.dumpDOM(of: opening, settle: true)
        XCTAssertEqual(DOM.all("(<template>)", in: opened).count, 1, "the opened page's template is gone")
        let second = try XCTUnwrap(opened.range(of: "items 101–200 of 250 with files").map { String(opened[$0.upperBound...]) })
        XCTAssertTrue(second.hasPrefix("</summary>\n<article"), "its items are in the page: \(second.prefix(200))")
    }
}

/// Pulls values out of the DOM Chromium serialized (the page's markup is ours and regular).
enum DOM {
    static func groups(_ pattern: String, in text: String) -> [[String]] {
        let expression = try! NSRegularExpression(pattern: pattern)
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { match in
            (1..<match.numberOfRanges).map { String(text[Range(match.range(at: $0), in: text)!]) }
        }
    }

    static func all(_ pattern: String, in text: String) -> [String] { groups(pattern, in: text).map { $0[0] } }

    static func first(_ pattern: String, in text: String) -> String? { all(pattern, in: text).first }

    /// An attribute's text as the browser serialized it, entities undone.
    static func unescaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
    }
}
