import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// ``HTTPTransport`` on SwiftNIO: keep-alive HTTP/1.1 connections (TLS for
/// https) pooled per origin, each answer collected whole by the connection's
/// handler, connect/read/total timeouts enforced on the event loop, and Swift
/// task cancellation closing the request's connection (thrown as `canceled`).
///
/// Service queries are small JSON exchanges sent by the thousand, so this path
/// is kept short: one event-loop hop to send, one resumption when the answer is
/// complete. (Downloads, which stream, use AsyncHTTPClient.)
package final class HTTP1Transport: HTTPTransport {
    /// Timeouts and limits.
    package struct Options: Sendable {
        package var connectTimeout: Double
        /// Longest silence while reading an answer.
        package var readTimeout: Double
        /// Whole request, waiting for a connection to last byte, unless the request sets its own.
        package var totalTimeout: Double
        package var maxConnectionsPerHost: Int
        /// Larger answers are refused (`bad_response`).
        package var maxBodyBytes: Int
        /// For https origins; the system's trust roots by default.
        package var tls: TLSConfiguration

        package init(
            connectTimeout: Double = 10, readTimeout: Double = 30, totalTimeout: Double = 60,
            maxConnectionsPerHost: Int = 64, maxBodyBytes: Int = 32 << 20,
            tls: TLSConfiguration = .makeClientConfiguration()
        ) {
            self.connectTimeout = connectTimeout
            self.readTimeout = readTimeout
            self.totalTimeout = totalTimeout
            self.maxConnectionsPerHost = maxConnectionsPerHost
            self.maxBodyBytes = maxBodyBytes
            self.tls = tls
        }
    }

    package let options: Options
    private let group: any EventLoopGroup
    /// The pools by origin; nil once shut down, so no pool is made afterwards.
    private let pools = Mutex<[HTTP1Origin: HTTP1ConnectionPool]?>([:])
    /// Made on the first https request: loading the trust roots takes a while.
    private let madeTLSContext = Mutex<Result<NIOSSLContext, any Error>?>(nil)

    package init(options: Options = Options(), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        var options = options
        options.tls.applicationProtocols = ["http/1.1"]
        self.options = options
        self.group = group
    }

    /// Closes the pooled connections; later requests fail. Call once at the end of the run.
    package func shutdown() async throws {
        let pools = self.pools.withLock { pools in
            defer { pools = nil }
            return pools.map { Array($0.values) } ?? []
        }
        for pool in pools { pool.shutdown() }
    }

    package func send(_ request: ServiceRequest) async throws -> ServiceResponse {
        let url = request.url
        let maxBodyBytes = request.maxBodyBytes ?? options.maxBodyBytes
        do {
            if Task.isCancelled { throw HTTP1ExchangeError.canceled }
            let deadline = NIODeadline.now() + .clampedSeconds(request.timeout ?? options.totalTimeout)
            let pool = try pool(for: url)
            let connection = try await pool.checkout(deadline: deadline)
            guard !Task.isCancelled, NIODeadline.now() < deadline else {
                pool.release(connection, reusable: true)
                throw Task.isCancelled ? HTTP1ExchangeError.canceled : HTTP1ExchangeError.deadlineExceeded
            }
            let answer: HTTP1Answer
            do {
                answer = try await connection.execute(
                    Self.head(of: request), body: request.body.isEmpty ? nil : ByteBuffer(bytes: request.body),
                    deadline: deadline, readTimeout: .clampedSeconds(max(options.readTimeout, request.timeout ?? 0)),
                    maxBodyBytes: maxBodyBytes)
            } catch {
                pool.release(connection, reusable: false)
                throw error
            }
            pool.release(connection, reusable: answer.keepAlive)
            return answer.response
        } catch {
            throw Self.map(error, url: url, isCancelled: Task.isCancelled, maxBodyBytes: maxBodyBytes)
        }
    }

    /// The request line and headers: `Host` unless the request carries its own
    /// (a signed request does), and `Content-Length` for bodies and for POST/PUT.
    static func head(of request: ServiceRequest) -> HTTPRequestHead {
        let url = request.url
        var target = url.path.isEmpty ? "/" : url.path
        if !url.query.isEmpty { target += "?" + url.encodedQuery }
        var headers = HTTPHeaders()
        headers.reserveCapacity(request.headers.count + 2)
        if request.headers["Host"] == nil { headers.add(name: "Host", value: url.hostHeader) }
        for field in request.headers { headers.add(name: field.name, value: field.value) }
        let method = request.method.uppercased()
        if !request.body.isEmpty || method == "POST" || method == "PUT" {
            headers.add(name: "Content-Length", value: String(request.body.count))
        }
        return HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: target, headers: headers)
    }

    private func pool(for url: ServiceURL) throws -> HTTP1ConnectionPool {
        let origin = HTTP1Origin(url)
        if let pool = pools.withLock({ $0?[origin] }) { return pool }
        let tls = origin.secure ? try tlsContext() : nil
        let pool = pools.withLock { pools -> HTTP1ConnectionPool? in
            guard pools != nil else { return nil }
            if let pool = pools?[origin] { return pool }
            let pool = HTTP1ConnectionPool(
                origin: origin, group: group, limit: options.maxConnectionsPerHost,
                connectTimeout: .clampedSeconds(options.connectTimeout), tls: tls)
            pools?[origin] = pool
            return pool
        }
        guard let pool else { throw HTTP1ExchangeError.shutDown }
        return pool
    }

    private func tlsContext() throws -> NIOSSLContext {
        let made = madeTLSContext.withLock { context in
            if let context { return context }
            let made = Result { () throws -> NIOSSLContext in try NIOSSLContext(configuration: options.tls) }
            context = made
            return made
        }
        return try made.get()
    }

    /// Maps exchange, connection and NIO errors onto ``ServiceError`` kinds.
    static func map(_ error: any Error, url: ServiceURL, isCancelled: Bool, maxBodyBytes: Int) -> ServiceError {
        if let error = error as? ServiceError { return error }
        let target = "\(url.scheme)://\(url.hostHeader)"
        if isCancelled || error is CancellationError {
            return ServiceError(.canceled, "request to \(target) canceled")
        }
        switch error {
        case HTTP1ExchangeError.canceled:
            return ServiceError(.canceled, "request to \(target) canceled")
        case HTTP1ExchangeError.shutDown:
            return ServiceError(.canceled, "request to \(target) canceled: the run is shutting down")
        case HTTP1ExchangeError.deadlineExceeded:
            return ServiceError(.timeout, "request to \(target) timed out (no complete answer in time)", retryable: true)
        case HTTP1ExchangeError.readTimeout:
            return ServiceError(.timeout, "request to \(target) timed out (the server went silent)", retryable: true)
        case HTTP1ExchangeError.bodyTooLarge:
            return ServiceError(.badResponse, "answer from \(target) is larger than \(maxBodyBytes) bytes", retryable: false)
        case HTTP1ExchangeError.connectionLost(let why):
            return ServiceError(.network, "request to \(target) failed: \(why)", retryable: true)
        case HTTP1ExchangeError.tlsHandshake(let why):
            return ServiceError(.network, "TLS with \(target) failed: \(why)", retryable: false)
        case ChannelError.connectTimeout:
            return ServiceError(.timeout, "request to \(target) timed out (connecting)", retryable: true)
        default:
            return ServiceError(.network, "request to \(target) failed: \(error)", retryable: true)
        }
    }
}
