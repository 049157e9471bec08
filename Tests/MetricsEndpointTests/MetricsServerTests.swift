import Foundation
import Logging
import MetricsEndpoint
import MetricsTestSupport
import Synchronization
import XCTest

/// The endpoint itself: it listens where asked, answers `/metrics`, refuses a
/// taken address, and stops within its bound whatever its clients do.
final class MetricsServerTests: XCTestCase {
    private let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    func testServesTheExpositionOnAFreePortAndStops() async throws {
        let registry = MetricsRegistry()
        let refreshes = Tally()
        registry.refreshBeforeEachScrape { refreshes.add() }
        let server = try await MetricsServer.start(at: MetricsAddress(port: 0), registry: registry, logger: logger)
        XCTAssertNotEqual(server.address.port, 0, "the port the system picked")
        XCTAssertEqual(server.url, "http://127.0.0.1:\(server.address.port)/metrics")
        let text = try await Scrape.text(server.url)
        XCTAssertNoThrow(try Exposition(parsing: text))
        _ = try await Scrape.text(server.url)
        XCTAssertEqual(refreshes.value, 2, "each scrape refreshes the read gauges first")
        do {
            _ = try await Scrape.text("http://127.0.0.1:\(server.address.port)/other")
            XCTFail("only /metrics is served")
        } catch {}
        await server.stop()
        do {
            _ = try await Scrape.text(server.url, timeout: 2)
            XCTFail("nothing listens once stopped")
        } catch {}
    }

    func testATakenAddressIsAnErrorNamingTheReason() async throws {
        let first = try await MetricsServer.start(at: MetricsAddress(port: 0), registry: MetricsRegistry(), logger: logger)
        do {
            let second = try await MetricsServer.start(at: first.address, registry: MetricsRegistry(), logger: logger)
            await second.stop()
            XCTFail("two servers on \(first.address)")
        } catch {
            XCTAssertTrue(error.description.lowercased().contains("address already in use"), error.description)
        }
        await first.stop()
    }

    /// A client that sent half a request and waits keeps a graceful shutdown
    /// waiting for ever; stop() must not.
    func testStopIsBoundedWithAHalfSentRequest() async throws {
        let server = try await MetricsServer.start(at: MetricsAddress(port: 0), registry: MetricsRegistry(), logger: logger)
        let socket = try HalfOpenRequest(port: server.address.port)
        defer { socket.close() }
        try await Task.sleep(for: .milliseconds(200))
        let started = Date()
        await server.stop()
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "stop() returned within its bound")
    }
}

/// A thread-safe tally for callbacks.
final class Tally: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
