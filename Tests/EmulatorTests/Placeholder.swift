import XCTest
final class PlaceholderEmulatorTests: XCTestCase { func testNothing() {} }
