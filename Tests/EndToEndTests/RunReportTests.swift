import Foundation
import XCTest

/// `OUT/report.html` of `moonwatch run` (docs/report.md): the run's files and
/// the pictures its script emitted, the waits per service.
final class RunReportTests: XCTestCase {
    func testARunsReportShowsItsDownloadsItsEmittedPicturesAndItsWaits() async throws {
        let session = try await EmulatorSession.start(speed: 60)
        defer { Task { await session.shutdown() } }
        try session.harness.write("cover.lua", """
            local r = api.metastudio.wait{job_id = "demo-job-0", min_delay = 0.2, max_delay = 0.5}
            http.download(r.model_cover_url, "covers/job 0.png")
            emit{job = "demo-job-0", image = "covers/job 0.png"}
            local problems = {}
            for _, image in ipairs({"../escape.png", "/etc/passwd", "missing.png", "covers", 42}) do
              local ok, err = pcall(emit, {image = image})
              problems[#problems + 1] = ok and "accepted" or err.kind .. ": " .. err.message
            end
            emit{problems = problems}
            """)
        let result = try await session.run("cover.lua")
        XCTAssertEqual(result.status, 0, result.stderr)

        let records = try session.records()
        let problems = try XCTUnwrap(records.last?["problems"] as? [String])
        XCTAssertEqual(problems.count, 5)
        XCTAssertTrue(problems[0].hasPrefix("invalid_argument: emit: image '../escape.png' must be a path relative to the out directory"), problems[0])
        XCTAssertTrue(problems[1].contains("'/etc/passwd' must be a path relative"), problems[1])
        XCTAssertTrue(problems[2].contains("'missing.png' is not a file under the out directory"), problems[2])
        XCTAssertTrue(problems[3].contains("'covers' is not a file"), problems[3])
        XCTAssertTrue(problems[4].contains("field 'image' must be a path under the out directory, got number"), problems[4])
        XCTAssertEqual(records.count, 2, "refused records are not written")

        let page = session.harness.read("out/report.html")
        XCTAssertTrue(page.contains(#"<dd id="exit-status" class="exit-ok">0</dd>"#), page)
        let thumbnails = page.components(separatedBy: #"<img loading=lazy src="./covers/job%200.png""#).count - 1
        XCTAssertEqual(thumbnails, 2, "the download and the emitted picture")
        XCTAssertTrue(page.contains("· emitted\""), "the emitted one is marked")
        XCTAssertTrue(page.contains(#"<tr data-service="metastudio"><th>metastudio</th>"#), page)
        XCTAssertTrue(page.contains(#"<td class="waits">1</td>"#), "one wait reached its answer")
    }

    func testARunThatEmitsGetsAPageAndOneThatOnlyComputesDoesNot() throws {
        let harness = try BinaryHarness()
        try harness.write("quiet.lua", "local x = 0 for i = 1, 10 do x = x + i end log.info('%d', x)")
        XCTAssertEqual(try harness.run("run", "quiet.lua").status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: harness.folder.appendingPathComponent("out/report.html").path))
        try harness.write("emits.lua", "emit({ok = true}) error('then fails')")
        XCTAssertEqual(try harness.run("run", "emits.lua").status, 1)
        let page = harness.read("out/report.html")
        XCTAssertTrue(page.contains(#"<dd id="exit-status" class="exit-bad">1</dd>"#), "written whatever the exit status: \(page)")
        XCTAssertTrue(page.contains(#"<p class="none">No files.</p>"#))
    }
}
