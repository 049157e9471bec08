import Foundation
import Journal
import XCTest

@testable import Report

final class ReportPageTests: XCTestCase {
    private let folder = "/tmp/moonwatch-report-tests/out"

    private func header(exit: Int32? = 1) -> ReportHeader {
        ReportHeader(
            command: "moonwatch batch --input <items>.jsonl x.lua", started: Date(timeIntervalSince1970: 1_800_000_000),
            ended: Date(timeIntervalSince1970: 1_800_000_125), exitStatus: exit, version: "9.9.9",
            details: [("journal", "out/.moonwatch/state.sqlite")])
    }

    func testEveryValueFromAScriptOrAServiceIsEscaped() {
        let hostile = "<script>alert(1)</script>"
        var counts = ItemCounts()
        counts[.failed] = 1
        let content = ReportContent(
            header: header(), outcomes: counts,
            failureGroups: FailureGroup.grouping([
                ItemReport(line: 1, status: .failed, attempts: 1, error: ItemError("\(hostile) \" ' &", kind: "server", code: hostile),
                    row: #"{"id": "\#(hostile)"}"#),
            ]),
            services: [], coinsSpent: nil,
            gallery: [GalleryEntry(title: "line 1 · \(hostile)", status: "failed", files: [
                ReportFile(path: folder + "/\"><img src=x onerror=alert(1)>.png", bytes: 10, sha256: hostile),
            ])])
        let html = ReportPage(content: content, directory: folder).html()
        XCTAssertFalse(html.contains(hostile))
        XCTAssertFalse(html.contains("<img src=x"))
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        XCTAssertTrue(html.contains("&lt;items&gt;.jsonl"), "the command line too")
        XCTAssertTrue(html.contains(#"src="./%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.png""#), html)
        XCTAssertEqual(html.components(separatedBy: "<script").count - 1, 1, "only the page's own script")
    }

    func testFilesAreLinkedRelativeToThePageAndNeverAsASchemeOrQuery() {
        let links = RelativePath(folder: "/a/out")
        XCTAssertEqual(links.link(to: "/a/out/x/y.png"), "./x/y.png")
        XCTAssertEqual(links.link(to: "/a/other/y.png"), "../other/y.png")
        XCTAssertEqual(links.link(to: "/a/outside/y.png"), "../outside/y.png", "a sibling sharing the prefix")
        XCTAssertEqual(links.link(to: "/a/out/../out/./y.png"), "./y.png")
        XCTAssertEqual(links.link(to: "/a/out/javascript:alert(1)"), "./javascript%3Aalert%281%29")
        XCTAssertEqual(links.link(to: "/a/out/a b#c?.png"), "./a%20b%23c%3F.png")
        XCTAssertEqual(links.link(to: "/a/out/été.png"), "./%C3%A9t%C3%A9.png")
        XCTAssertEqual(RelativePath(folder: "out").link(to: "out/x.png"), "./x.png", "relative names resolve against the working directory")
        XCTAssertEqual(RelativePath.absolute("/a/./b/../c//d"), "/a/c/d")
        XCTAssertEqual(RelativePath.absolute("rel/x", workingDirectory: "/w"), "/w/rel/x")
    }

    func testThePageShowsTheHeaderOutcomesServicesAndAPagedGallery() throws {
        var counts = ItemCounts()
        counts[.done] = 250
        let gallery = (1...250).map { line in
            GalleryEntry(title: "line \(line)", status: "done", files: [
                ReportFile(path: folder + "/tryon/\(line)-pose.jpg", bytes: 2048, sha256: String(repeating: "a", count: 64)),
                ReportFile(path: folder + "/tryon/\(line)-show.webp", bytes: 4096, sha256: String(repeating: "b", count: 64)),
                ReportFile(path: folder + "/tryon/\(line).json", bytes: 12, sha256: "cc"),
            ])
        }
        let services = [ServiceFigures(name: "tryon", polls: 12, retries: 2, throttled: 1, waits: WaitFigures([90, 100, 600]))]
        let html = ReportPage(
            content: ReportContent(header: header(), outcomes: counts, failureGroups: [], services: services, coinsSpent: 1.2, gallery: gallery),
            directory: folder
        ).html()
        XCTAssertTrue(html.contains(#"<dd id="exit-status" class="exit-bad">1</dd>"#))
        XCTAssertTrue(html.contains(#"<dd id="elapsed">2:05</dd>"#))
        XCTAssertTrue(html.contains(#"<dd id="version">9.9.9</dd>"#))
        XCTAssertTrue(html.contains(#"<tr data-outcome="done"><th>done</th><td class="count">250</td></tr>"#))
        XCTAssertTrue(html.contains(#"<p class="none">No item failed.</p>"#))
        XCTAssertTrue(html.contains(#"<td class="polls">12</td><td class="retries">2</td>"#))
        XCTAssertTrue(html.contains("try-on coins spent 1.2"))
        XCTAssertEqual(html.components(separatedBy: #"<details class="page""#).count - 1, 3, "pages of 100 items")
        XCTAssertEqual(html.components(separatedBy: #"<details class="page" open>"#).count - 1, 1, "only the first open")
        XCTAssertEqual(html.components(separatedBy: "<template>").count - 1, 2, "the closed pages' items are inert until opened")
        XCTAssertEqual(html.components(separatedBy: #"<img loading=lazy"#).count - 1, 500, "pose and show per item")
        XCTAssertTrue(html.contains(#"title="done · 2.0 KB · sha256 aaaa"#), "status, size and digest on hover")
        XCTAssertTrue(html.contains(#"<li><a href="./tryon/1.json">1.json</a> 12 B <code>sha256 cc</code></li>"#), "other files listed")
    }

    func testAReportFromTheJournalAloneSaysWhatItDoesNotKnow() {
        var written = header(exit: nil)
        written.started = nil
        var page = ReportPage(
            content: ReportContent(header: written, outcomes: ItemCounts(), failureGroups: [], services: [], coinsSpent: nil, gallery: []),
            directory: folder)
        page.servicesNote = "kept per process"
        let html = page.html()
        XCTAssertTrue(html.contains("not recorded (written from the journal)"))
        XCTAssertTrue(html.contains(#"<p class="none">kept per process</p>"#))
        XCTAssertTrue(html.contains(#"<p class="none">No files.</p>"#))
        XCTAssertTrue(html.contains(#"<dt>written</dt><dd id="ended">"#))
        XCTAssertFalse(html.contains("elapsed"), "no run's times to show")
    }

    func testPicturesAreKnownByTheirExtension() {
        XCTAssertTrue(ReportFile(path: "a/b.PNG", bytes: 1, sha256: nil).isImage)
        XCTAssertTrue(ReportFile(path: "a/b.jpeg", bytes: 1, sha256: nil).isImage)
        XCTAssertTrue(ReportFile(path: "b.gif", bytes: 1, sha256: nil).isImage)
        XCTAssertFalse(ReportFile(path: "a.png/b", bytes: 1, sha256: nil).isImage)
        XCTAssertFalse(ReportFile(path: "model.glb", bytes: 1, sha256: nil).isImage)
    }
}
