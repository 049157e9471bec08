import NIOCore
import NIOEmbedded
import NIOHTTP1
import Synchronization
import XCTest

@testable import Services
@testable import Transport

/// The connection handler on an embedded channel: one exchange at a time, and
/// a cancellation reaches only the exchange it was meant for.
final class ExchangeHandlerTests: XCTestCase {
    private final class Outcomes: Sendable {
        private let results = Mutex<[UInt64: Result<HTTP1Answer, HTTP1ExchangeError>]>([:])
        func record(_ id: UInt64, _ result: Result<HTTP1Answer, HTTP1ExchangeError>) { results.withLock { $0[id] = result } }
        subscript(id: UInt64) -> Result<HTTP1Answer, HTTP1ExchangeError>? { results.withLock { $0[id] } }
    }

    private var channel: EmbeddedChannel!
    private var handler: HTTP1ExchangeHandler!
    private let outcomes = Outcomes()

    override func setUp() async throws {
        handler = HTTP1ExchangeHandler()
        channel = EmbeddedChannel(handler: handler)
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 80)).get()
    }

    private func exchange(_ id: UInt64) -> HTTP1Exchange {
        let outcomes = outcomes
        return HTTP1Exchange(
            id: id, head: HTTPRequestHead(version: .http1_1, method: .GET, uri: "/job/\(id)"), body: nil,
            deadline: .now() + .seconds(60), readTimeout: .seconds(60), maxBodyBytes: 1024,
            completion: { outcomes.record(id, $0) })
    }

    private func answer(_ text: String) throws {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Length", value: String(text.utf8.count))
        try channel.writeInbound(HTTPClientResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers)))
        try channel.writeInbound(HTTPClientResponsePart.body(ByteBuffer(string: text)))
        try channel.writeInbound(HTTPClientResponsePart.end(nil))
    }

    private func sentURIs() throws -> [String] {
        var uris: [String] = []
        while let part = try channel.readOutbound(as: HTTPClientRequestPart.self) {
            if case .head(let head) = part { uris.append(head.uri) }
        }
        return uris
    }

    func testAnswersInTurn() throws {
        handler.start(exchange(1))
        try answer("one")
        handler.start(exchange(2))
        try answer("two")
        XCTAssertEqual(try sentURIs(), ["/job/1", "/job/2"])
        XCTAssertEqual(try outcomes[1]?.get().response.bodyText, "one")
        XCTAssertEqual(try outcomes[2]?.get().response.bodyText, "two")
        XCTAssertTrue(channel.isActive)
    }

    func testALateCancellationDoesNotReachTheNextExchange() throws {
        handler.start(exchange(1))
        try answer("one")
        handler.start(exchange(2))
        handler.cancel(1)  // exchange 1's task was canceled just as its answer came
        try answer("two")
        XCTAssertEqual(try outcomes[1]?.get().response.bodyText, "one")
        XCTAssertEqual(try outcomes[2]?.get().response.bodyText, "two")
        XCTAssertTrue(channel.isActive)
    }

    func testCancellingTheRunningExchangeClosesTheConnection() throws {
        handler.start(exchange(1))
        handler.cancel(1)
        guard case .failure(.canceled) = outcomes[1] else { return XCTFail("\(String(describing: outcomes[1]))") }
        XCTAssertFalse(channel.isActive, "its answer may still come: the connection cannot be reused")
    }

    func testAnExchangeCanceledBeforeItStartsSendsNothing() throws {
        handler.cancel(1)
        handler.start(exchange(1))
        guard case .failure(.canceled) = outcomes[1] else { return XCTFail("\(String(describing: outcomes[1]))") }
        XCTAssertEqual(try sentURIs(), [])
    }

    func testABodyOverTheLimitFailsAndCloses() throws {
        handler.start(exchange(1))
        var headers = HTTPHeaders()
        headers.add(name: "Content-Length", value: "2048")
        try channel.writeInbound(HTTPClientResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers)))
        try channel.writeInbound(HTTPClientResponsePart.body(ByteBuffer(repeating: 0x41, count: 2048)))
        guard case .failure(.bodyTooLarge) = outcomes[1] else { return XCTFail("\(String(describing: outcomes[1]))") }
        XCTAssertFalse(channel.isActive)
    }
}
