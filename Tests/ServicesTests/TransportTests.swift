import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
import XCTest

@testable import JSON
@testable import Services
@testable import Transport

/// A loopback HTTP/1.1 server on 127.0.0.1, port 0, optionally over TLS:
/// `/echo` answers with the request as JSON, `/status/N` with status N,
/// `/big` with 64 KiB, `/reset` closes the connection, `/hang` never answers,
/// `/close` answers with `Connection: close`, `/stall` sends the head and
/// part of the body, then nothing. It counts connections.
final class LoopbackServer: Sendable {
    let channel: any Channel
    let connections = ConnectionCounter()
    private let secure: Bool
    var port: Int { channel.localAddress!.port! }

    init(tls: NIOSSLContext? = nil) async throws {
        secure = tls != nil
        let connections = connections
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                connections.opened(channel)
                channel.closeFuture.whenComplete { _ in connections.closed(channel) }
                return channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func url(_ path: String, host: String = "127.0.0.1") throws -> ServiceURL {
        try ServiceURL(parsing: "\(secure ? "https" : "http")://\(host):\(port)\(path)")
    }

    func close() async throws { try await channel.close() }

    /// Closes every accepted connection from the server's side; the server goes on listening.
    func closeConnections() async throws {
        for connection in connections.live { try? await connection.close() }
    }

    /// Connections accepted, open now, and the most open at once.
    final class ConnectionCounter: Sendable {
        private let counts = Mutex((accepted: 0, peak: 0, live: [ObjectIdentifier: any Channel]()))
        func opened(_ channel: any Channel) {
            counts.withLock {
                $0.accepted += 1
                $0.live[ObjectIdentifier(channel)] = channel
                $0.peak = max($0.peak, $0.live.count)
            }
        }
        func closed(_ channel: any Channel) { counts.withLock { _ = $0.live.removeValue(forKey: ObjectIdentifier(channel)) } }
        var accepted: Int { counts.withLock { $0.accepted } }
        var open: Int { counts.withLock { $0.live.count } }
        var peak: Int { counts.withLock { $0.peak } }
        var live: [any Channel] { counts.withLock { Array($0.live.values) } }
    }

    final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        private var head: HTTPRequestHead?
        private var body: [UInt8] = []

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = []
            case .body(let buffer):
                body += buffer.readableBytesView
            case .end:
                respond(context)
            }
        }

        private func respond(_ context: ChannelHandlerContext) {
            guard let head else { return }
            let path = head.uri.split(separator: "?").first.map(String.init) ?? head.uri
            switch path {
            case "/hang": return
            case "/close":
                write(context, status: .ok, body: Array("bye".utf8), closing: true)
            case "/stall":
                var headers = HTTPHeaders()
                headers.add(name: "Content-Length", value: "100")
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: Array(repeating: 0x41, count: 10))))), promise: nil)
            case "/reset":
                context.close(promise: nil)
                return
            case "/big":
                write(context, status: .ok, body: Array(repeating: UInt8(ascii: "x"), count: 65536))
            case let status where status.hasPrefix("/status/"):
                let code = Int(status.dropFirst("/status/".count)) ?? 500
                write(context, status: HTTPResponseStatus(statusCode: code), body: Array(#"{"error_code": "E.1", "error_msg": "as asked"}"#.utf8))
            default:
                var echo = JSONObject()
                echo["method"] = .string(head.method.rawValue)
                echo["uri"] = .string(head.uri)
                echo["headers"] = .object(JSONObject(head.headers.map { ($0.name.lowercased(), JSONValue.string($0.value)) }))
                echo["body"] = .string(String(decoding: body, as: UTF8.self))
                write(context, status: .ok, body: echo.serialized.utf8.map { $0 })
            }
        }

        private func write(_ context: ChannelHandlerContext, status: HTTPResponseStatus, body: [UInt8], closing: Bool = false) {
            var headers = HTTPHeaders()
            if closing { headers.add(name: "Connection", value: "close") }
            headers.add(name: "Content-Length", value: String(body.count))
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "X-Request-Id", value: "srv-req")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            if closing { context.close(promise: nil) }
        }
    }
}

final class TransportTests: XCTestCase {
    private var server: LoopbackServer!
    private var transport: HTTP1Transport!

    override func setUp() async throws {
        server = try await LoopbackServer()
        transport = HTTP1Transport(
            options: .init(connectTimeout: 2, readTimeout: 5, totalTimeout: 5, maxBodyBytes: 16384))
    }

    override func tearDown() async throws {
        try await transport.shutdown()
        try await server.close()
    }

    func testSendsMethodHeadersQueryAndBody() async throws {
        var url = try server.url("/echo")
        url.query = [.init("a b", "c~d"), .init("x", "中")]
        let request = ServiceRequest(
            method: "POST", url: url, headers: ["Content-Type": "application/json", "X-Custom": "v1"],
            body: Array(#"{"k":1}"#.utf8))
        let answer = try await transport.send(request)
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(answer.headers["x-request-id"], "srv-req")
        let echo = try JSONParser.parse(answer.body)
        XCTAssertEqual(echo["method"], .string("POST"))
        XCTAssertEqual(echo["uri"], .string("/echo?a%20b=c~d&x=%E4%B8%AD"))
        XCTAssertEqual(echo["headers"]?["x-custom"], .string("v1"))
        XCTAssertEqual(echo["headers"]?["host"], .string("127.0.0.1:\(server.port)"))
        XCTAssertEqual(echo["body"], .string(#"{"k":1}"#))
    }

    func testSignedRequestKeepsItsHostHeader() async throws {
        var request = ServiceRequest(method: "GET", url: try server.url("/echo/v1/p/jobs/j1"))
        request.headers["Content-Type"] = "application/json"
        testSigner.sign(&request, epochSeconds: 1_700_000_000, projectID: "p")
        let echo = try JSONParser.parse(try await transport.send(request).body)
        XCTAssertEqual(echo["uri"], .string("/echo/v1/p/jobs/j1"), "no trailing slash on the request line")
        XCTAssertEqual(echo["headers"]?["host"], .string("127.0.0.1:\(server.port)"))
        XCTAssertEqual(echo["headers"]?["authorization"]?.stringValue, request.headers["Authorization"])
        XCTAssertEqual(echo["headers"]?["x-sdk-date"], .string("20231114T221320Z"))
    }

    func testErrorStatusesAreAnswersNotErrors() async throws {
        let answer = try await transport.send(ServiceRequest(method: "GET", url: try server.url("/status/503")))
        XCTAssertEqual(answer.status, 503)
        XCTAssertEqual(ServiceError.fromHuaweiResponse(answer, service: "modelarts").kind, .server)
    }

    func testConnectionResetIsARetryableNetworkError() async throws {
        let error = await assertServiceError { try await self.transport.send(ServiceRequest(method: "GET", url: try self.server.url("/reset"))) }
        XCTAssertEqual(error?.kind, .network)
        XCTAssertEqual(error?.retryable, true)
    }

    func testConnectionRefusedIsANetworkError() async throws {
        let port = server.port
        try await server.close()
        server = try await LoopbackServer()
        let error = await assertServiceError {
            try await self.transport.send(ServiceRequest(method: "GET", url: try ServiceURL(parsing: "http://127.0.0.1:\(port)/x")))
        }
        XCTAssertEqual(error?.kind, .network)
        XCTAssertEqual(error?.retryable, true)
    }

    func testRequestTimeout() async throws {
        let started = ContinuousClock.now
        let error = await assertServiceError {
            try await self.transport.send(ServiceRequest(method: "GET", url: try self.server.url("/hang"), timeout: 0.3))
        }
        XCTAssertEqual(error?.kind, .timeout)
        XCTAssertEqual(error?.retryable, true)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(3))
    }

    func testTaskCancellationCancelsTheRequest() async throws {
        let url = try server.url("/hang")
        let transport = transport!
        let started = ContinuousClock.now
        let task = Task { try await transport.send(ServiceRequest(method: "GET", url: url)) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        let result = await task.result
        XCTAssertThrowsError(try result.get()) { error in
            XCTAssertEqual((error as? ServiceError)?.kind, .canceled, "\(error)")
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(3), "well before the 5 s timeouts")
    }

    func testOversizedBodyIsABadResponse() async throws {
        let error = await assertServiceError { try await self.transport.send(ServiceRequest(method: "GET", url: try self.server.url("/big"))) }
        XCTAssertEqual(error?.kind, .badResponse)
        XCTAssertEqual(error?.retryable, false)
    }

    func testManyConcurrentRequestsShareThePool() async throws {
        let url = try server.url("/echo")
        let transport = transport!
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<50 { group.addTask { try await transport.send(ServiceRequest(method: "GET", url: url)).status } }
            var all: [Int] = []
            for try await status in group { all.append(status) }
            return all
        }
        XCTAssertEqual(statuses, Array(repeating: 200, count: 50))
        XCTAssertLessThanOrEqual(server.connections.accepted, transport.options.maxConnectionsPerHost, "within the pool's cap")
    }

    func testConnectionsAreReusedAndCappedPerHost() async throws {
        let transport = HTTP1Transport(options: .init(maxConnectionsPerHost: 4))
        defer { Task { try await transport.shutdown() } }
        let url = try server.url("/echo")
        for _ in 0..<20 { _ = try await transport.send(ServiceRequest(method: "GET", url: url)) }
        XCTAssertEqual(server.connections.accepted, 1, "one keep-alive connection carries sequential requests")
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<200 { group.addTask { try await transport.send(ServiceRequest(method: "GET", url: url)).status } }
            var all: [Int] = []
            for try await status in group { all.append(status) }
            return all
        }
        XCTAssertEqual(statuses, Array(repeating: 200, count: 200))
        XCTAssertLessThanOrEqual(server.connections.peak, 4, "never more than the per-host cap")
        XCTAssertLessThanOrEqual(server.connections.accepted, 4)
    }

    func testAnswerWithConnectionCloseIsNotReused() async throws {
        let first = try await transport.send(ServiceRequest(method: "GET", url: try server.url("/close")))
        XCTAssertEqual(first.bodyText, "bye")
        let second = try await transport.send(ServiceRequest(method: "GET", url: try server.url("/echo")))
        XCTAssertEqual(second.status, 200)
        XCTAssertEqual(server.connections.accepted, 2)
    }

    func testConnectionClosedByTheServerWhileIdleIsNotUsed() async throws {
        _ = try await transport.send(ServiceRequest(method: "GET", url: try server.url("/echo")))
        try await server.closeConnections()
        try await Task.sleep(for: .milliseconds(100))
        let answer = try await transport.send(ServiceRequest(method: "GET", url: try server.url("/echo")))
        XCTAssertEqual(answer.status, 200, "a new connection, not the closed one")
        XCTAssertEqual(server.connections.accepted, 2)
    }

    func testSilenceMidBodyIsAReadTimeout() async throws {
        let transport = HTTP1Transport(options: .init(readTimeout: 0.3, totalTimeout: 10))
        defer { Task { try await transport.shutdown() } }
        let started = ContinuousClock.now
        let error = await assertServiceError { try await transport.send(ServiceRequest(method: "GET", url: try self.server.url("/stall"))) }
        XCTAssertEqual(error?.kind, .timeout)
        XCTAssertEqual(error?.retryable, true)
        XCTAssertTrue(error?.message.contains("went silent") ?? false, error?.message ?? "")
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(3), "the read timeout, not the 10 s total")
    }

    func testCancellingARequestWaitingForAConnection() async throws {
        let transport = HTTP1Transport(options: .init(totalTimeout: 2, maxConnectionsPerHost: 1))
        defer { Task { try await transport.shutdown() } }
        let hang = try server.url("/hang")
        let echo = try server.url("/echo")
        let blocker = Task { try await transport.send(ServiceRequest(method: "GET", url: hang)) }
        try await Task.sleep(for: .milliseconds(100))
        let waiter = Task { try await transport.send(ServiceRequest(method: "GET", url: echo)) }
        try await Task.sleep(for: .milliseconds(100))
        waiter.cancel()
        let started = ContinuousClock.now
        let result = await waiter.result
        XCTAssertThrowsError(try result.get()) { error in XCTAssertEqual((error as? ServiceError)?.kind, .canceled, "\(error)") }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(1), "not held until the blocking request ends")
        let blocked = await blocker.result
        XCTAssertThrowsError(try blocked.get()) { error in XCTAssertEqual((error as? ServiceError)?.kind, .timeout, "\(error)") }
        let status = try await transport.send(ServiceRequest(method: "GET", url: echo)).status
        XCTAssertEqual(status, 200, "the slot is free again")
    }

    func testARequestWaitingForAConnectionTimesOutAtItsDeadline() async throws {
        let transport = HTTP1Transport(options: .init(totalTimeout: 5, maxConnectionsPerHost: 1))
        defer { Task { try await transport.shutdown() } }
        let hang = try server.url("/hang")
        let blocker = Task { try await transport.send(ServiceRequest(method: "GET", url: hang)) }
        try await Task.sleep(for: .milliseconds(100))
        let started = ContinuousClock.now
        let error = await assertServiceError { try await transport.send(ServiceRequest(method: "GET", url: try self.server.url("/echo"), timeout: 0.3)) }
        XCTAssertEqual(error?.kind, .timeout)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2), "at its own 0.3 s deadline, not when the blocker's 5 s end")
        blocker.cancel()
        _ = await blocker.result
    }

    func testShutdownFailsLaterRequests() async throws {
        _ = try await transport.send(ServiceRequest(method: "GET", url: try server.url("/echo")))
        try await transport.shutdown()
        let error = await assertServiceError { try await self.transport.send(ServiceRequest(method: "GET", url: try self.server.url("/echo"))) }
        XCTAssertEqual(error?.kind, .canceled)
        let other = await assertServiceError {
            try await self.transport.send(ServiceRequest(method: "GET", url: try self.server.url("/echo", host: "localhost")))
        }
        XCTAssertEqual(other?.kind, .canceled, "an origin not seen before gets no new pool either")
        try await Task.sleep(for: .milliseconds(100))
        XCTAssertEqual(server.connections.open, 0, "idle connections are closed")
        XCTAssertEqual(server.connections.accepted, 1)
    }

    func testHTTPSWithATrustedCertificate() async throws {
        let tlsServer = try await LoopbackServer(tls: try TestCertificate.serverContext())
        var options = HTTP1Transport.Options()
        options.tls.trustRoots = .certificates([try TestCertificate.certificate()])
        let transport = HTTP1Transport(options: options)
        let answer = try await transport.send(ServiceRequest(method: "GET", url: try tlsServer.url("/echo", host: "localhost")))
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(try JSONParser.parse(answer.body)["headers"]?["host"], .string("localhost:\(tlsServer.port)"))
        try await transport.shutdown()
        try await tlsServer.close()
    }

    func testHTTPSWithAnUntrustedCertificateFailsWithoutRetry() async throws {
        let tlsServer = try await LoopbackServer(tls: try TestCertificate.serverContext())
        let transport = HTTP1Transport()
        let error = await assertServiceError { try await transport.send(ServiceRequest(method: "GET", url: try tlsServer.url("/echo", host: "localhost"))) }
        XCTAssertEqual(error?.kind, .network)
        XCTAssertEqual(error?.retryable, false, error?.message ?? "")
        XCTAssertTrue(error?.message.contains("TLS with https://localhost") ?? false, error?.message ?? "")
        try await transport.shutdown()
        try await tlsServer.close()
    }
}
