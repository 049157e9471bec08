import Foundation
import XCTest

/// The C API stays inside the Lua target, and Swift calls only the functions
/// whose safety `Sources/Lua/CAPI.swift` argues.
final class BoundaryLayoutTests: XCTestCase {
    private let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    private func swiftFiles() throws -> [URL] {
        let walker = try XCTUnwrap(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
    }

    func testOnlyTheLuaTargetImportsTheCAPI() throws {
        let importers = try swiftFiles().filter { file in
            let text = try String(contentsOf: file, encoding: .utf8)
            return text.split(separator: "\n").contains { $0 == "import CLua" || $0 == "import CLuaShim" }
        }
        XCTAssertFalse(importers.isEmpty, "the scan found no Swift source")
        let outside = importers.filter { $0.deletingLastPathComponent().lastPathComponent != "Lua" }
        XCTAssertEqual(outside.map(\.lastPathComponent), [])
    }

    func testEveryCAPIFunctionSwiftCallsIsListed() throws {
        let list = try String(contentsOf: sources.appendingPathComponent("Lua/CAPI.swift"), encoding: .utf8)
        let listed = Set(list.matches(of: /\| (luaL?_[a-z]+) +\|/).map { String($0.output.1) })
        XCTAssertGreaterThan(listed.count, 20)
        var called = Set<String>()
        for file in try swiftFiles() where file.deletingLastPathComponent().lastPathComponent == "Lua" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: /\b(luaL?_[a-z]+)\(/) { called.insert(String(match.output.1)) }
        }
        XCTAssertFalse(called.isEmpty)
        XCTAssertEqual(called.subtracting(listed).sorted(), [], "called from Swift but not in CAPI.swift")
        XCTAssertEqual(listed.subtracting(called).sorted(), [], "listed in CAPI.swift but no longer called")
    }
}
