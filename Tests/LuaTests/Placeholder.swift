import XCTest
final class PlaceholderLuaTests: XCTestCase { func testNothing() {} }
