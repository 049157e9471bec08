import XCTest
final class PlaceholderServicesTests: XCTestCase { func testNothing() {} }
