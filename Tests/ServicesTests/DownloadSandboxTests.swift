import Foundation
import XCTest

@testable import Services
@testable import Transport

/// Destinations stay inside the out directory (docs/contract.md §2.2): no absolute paths,
/// no `..`, no symlinks that lead out; nothing is created outside.
final class DownloadSandboxTests: XCTestCase {
    private var h: DownloadHarness!
    private var outside: String!

    override func setUp() async throws {
        h = try await DownloadHarness()
        outside = FileManager.default.temporaryDirectory.appendingPathComponent("moonwatch-outside-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: h.out, withIntermediateDirectories: true)
    }

    override func tearDown() async throws {
        try await h.shutdown()
        try? FileManager.default.removeItem(atPath: outside)
    }

    private func refused(_ destination: String, file: StaticString = #filePath, line: UInt = #line) async -> ServiceError? {
        let error = await assertServiceError({ try await self.h.download(self.h.fileURL(3), to: destination) }, file: file, line: line)
        XCTAssertEqual(error?.kind, .sandbox, "\(destination): \(error?.message ?? "")", file: file, line: line)
        return error
    }

    func testAbsolutePathsAndDotDotAreRefused() async throws {
        let absolute = await refused(outside + "/x.png")
        XCTAssertTrue(absolute?.message.contains("absolute") ?? false)
        _ = await refused("../x.png")
        _ = await refused("a/../../x.png")
        _ = await refused("a/..")
        _ = await refused("")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside), [])
        XCTAssertEqual(h.requests("tryon.file"), [:], "refused before any request")
    }

    func testSymlinksThatLeadOutAreRefusedBeforeAnythingIsCreatedBeyondThem() async throws {
        try FileManager.default.createSymbolicLink(atPath: h.path("escape"), withDestinationPath: outside)
        let error = await refused("escape/deeper/x.png")
        XCTAssertTrue(error?.message.contains("leads out of the out directory") ?? false, error?.message ?? "")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside), [], "no folder made outside")

        try FileManager.default.createSymbolicLink(atPath: h.path("file.png"), withDestinationPath: outside + "/file.png")
        _ = await refused("file.png")
        try FileManager.default.createSymbolicLink(atPath: h.path("dangling"), withDestinationPath: "/nonexistent/moonwatch")
        _ = await refused("dangling/x.png")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside), [])
    }

    func testSymlinksThatStayInsideAreFollowed() async throws {
        try FileManager.default.createDirectory(atPath: h.path("real"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: h.path("alias"), withDestinationPath: h.path("real"))
        let result = try await h.finished(h.fileURL(3), to: "alias/x.png")
        XCTAssertEqual(result.path, h.out + "/alias/x.png")
        XCTAssertEqual(h.sha256("real/x.png"), result.sha256)
    }

    func testAPartThatIsASymlinkIsNeverWrittenThrough() async throws {
        let victim = outside + "/victim"
        try Data("keep".utf8).write(to: URL(fileURLWithPath: victim))
        try FileManager.default.createSymbolicLink(atPath: h.path("p.png.part"), withDestinationPath: victim)
        _ = await refused("p.png")
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), "keep")
    }
}
