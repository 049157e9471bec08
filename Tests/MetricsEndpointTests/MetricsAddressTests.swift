import MetricsEndpoint
import XCTest

/// What `--metrics` accepts (docs/contract.md §1): PORT alone is loopback.
final class MetricsAddressTests: XCTestCase {
    func testPortAloneIsLoopbackAndHostPortBindsTheHost() throws {
        XCTAssertEqual(try MetricsAddress(parsing: "9464"), MetricsAddress(host: "127.0.0.1", port: 9464))
        XCTAssertEqual(try MetricsAddress(parsing: "0"), MetricsAddress(host: "127.0.0.1", port: 0))
        XCTAssertEqual(try MetricsAddress(parsing: "0.0.0.0:9464"), MetricsAddress(host: "0.0.0.0", port: 9464))
        XCTAssertEqual(try MetricsAddress(parsing: "localhost:65535"), MetricsAddress(host: "localhost", port: 65535))
        let six = try MetricsAddress(parsing: "[::1]:0")
        XCTAssertEqual(six, MetricsAddress(host: "::1", port: 0))
        XCTAssertEqual(six.description, "[::1]:0", "an IPv6 host in brackets, as in a URL")
    }

    func testBadValuesSayWhatIsWrong() {
        func reason(_ text: String) -> String? {
            do {
                _ = try MetricsAddress(parsing: text)
                return nil
            } catch {
                return error.description
            }
        }
        XCTAssertEqual(reason("abc"), "the port must be a number from 0 to 65535 (0 picks a free one), not 'abc'")
        XCTAssertEqual(reason("127.0.0.1:65536"), "the port must be a number from 0 to 65535 (0 picks a free one), not '65536'")
        XCTAssertNotNil(reason("99999999999999999999"))
        XCTAssertNotNil(reason("127.0.0.1:-1"))
        XCTAssertNotNil(reason("127.0.0.1:"))
        XCTAssertNotNil(reason(""))
        XCTAssertEqual(reason(":9464"), "the host before ':' is empty (PORT alone means 127.0.0.1:PORT)")
        XCTAssertEqual(reason("::1:9464"), "an IPv6 address goes in brackets, as in [::1]:9464")
        XCTAssertNotNil(reason("[::1:9464"))
        XCTAssertNotNil(reason("[::1]9464"))
        XCTAssertNotNil(reason("exa mple:9464"))
    }
}
