import Foundation
import FuzzCSV
import FuzzJSON
import FuzzLuaValues
import FuzzSupport
import FuzzTOML
import XCTest

/// Each fuzz target's property over its committed inputs (Tests/FuzzCorpus/<target>):
/// the hand-made seeds and every input a fuzzing run found a crash with. A
/// property that breaks stops the test process with the target's message.
final class FuzzCorpusTests: XCTestCase {
    private static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("FuzzCorpus")

    /// Runs `check` over the target's inputs; fails when it has none.
    private func replay(_ target: String, _ check: ([UInt8]) -> Void) throws {
        let folder = Self.corpus.appendingPathComponent(target).path
        let files = try FuzzReplay.inputs([folder])
        XCTAssertFalse(files.isEmpty, "no fuzz inputs under \(folder)")
        for file in files { check(try Array(Data(contentsOf: URL(fileURLWithPath: file)))) }
    }

    func testJSONCorpus() throws { try replay("JSON", JSONRoundTrip.check) }

    func testTOMLCorpus() throws { try replay("TOML", TOMLInvariants.check) }

    func testCSVCorpus() throws { try replay("CSV", CSVInvariants.check) }

    func testLuaValuesCorpus() throws { try replay("LuaValues", LuaRoundTrip.check) }
}
