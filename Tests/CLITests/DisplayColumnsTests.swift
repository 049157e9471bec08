import XCTest

@testable import moonwatch

/// The live line cut to the terminal: by columns, never inside a character,
/// with the last column left empty.
final class DisplayColumnsTests: XCTestCase {
    private func columns(_ text: String) -> Int {
        text.reduce(0) { $0 + DisplayColumns.columns(of: $1) }
    }

    func testASCIIIsCutOneColumnShortOfTheWidth() {
        let text = String(repeating: "abcdefghij", count: 10)
        XCTAssertEqual(DisplayColumns.fit(text, into: 40), String(text.prefix(39)))
        XCTAssertEqual(DisplayColumns.fit("short", into: 40), "short")
    }

    func testATextOfExactlyTheWidthLosesItsLastCharacter() {
        XCTAssertEqual(DisplayColumns.fit("0123456789", into: 10), "012345678")
        XCTAssertEqual(DisplayColumns.fit("012345678", into: 10), "012345678", "width - 1 columns fit whole")
    }

    func testMultiByteCharactersCountOneColumnAndAreNeverSplit() {
        let line = "done 1/2 · failed 0 · in flight 1"
        let cut = DisplayColumns.fit(line, into: 11)
        XCTAssertEqual(cut, "done 1/2 ·")
        XCTAssertEqual(Array(cut.utf8), Array(line.utf8.prefix(cut.utf8.count)), "a prefix of the bytes, ending on a character")
        XCTAssertEqual(DisplayColumns.fit("e\u{301}e\u{301}e\u{301}", into: 3), "e\u{301}e\u{301}", "a combining mark stays with its letter")
    }

    func testWideCharactersTakeTwoColumns() {
        XCTAssertEqual(DisplayColumns.fit("漢字漢字", into: 6), "漢字", "5 columns hold two wide characters, not two and a half")
        XCTAssertEqual(DisplayColumns.fit("ab😀cd", into: 5), "ab😀")
        XCTAssertEqual(DisplayColumns.fit("ab😀cd", into: 4), "ab", "the emoji would take the last column")
        XCTAssertEqual(columns("ab😀cd"), 6)
    }

    func testAnUnknownWidthFallsBackToEightyColumns() {
        let text = String(repeating: "x", count: 200)
        XCTAssertEqual(DisplayColumns.fit(text, into: 0).count, 79)
        XCTAssertEqual(DisplayColumns.fit(text, into: -3).count, 79)
        XCTAssertEqual(TerminalWidth.usable(0), 80)
        XCTAssertEqual(TerminalWidth.usable(132), 132)
    }

    func testADescriptorThatIsNotATerminalHasTheFallbackWidth() throws {
        var ends: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&ends), 0)
        defer { close(ends[0]); close(ends[1]) }
        XCTAssertEqual(TerminalWidth.columns(of: ends[1]), TerminalWidth.fallback)
    }
}
