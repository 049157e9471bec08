import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// ``HTTPTransport`` on one shared AsyncHTTPClient: connection pooling,
/// connect/read/total timeouts, redirects not followed (the services never
/// redirect; downloads handle their own), and Swift task cancellation cancels
/// the request in flight (thrown as `canceled`).
///
/// Create one per run and call ``shutdown()`` exactly once at the end:
/// AsyncHTTPClient stops a debug build whose client is released while still running.
public final class AsyncHTTPTransport: HTTPTransport {
    /// Timeouts and limits.
    public struct Options: Sendable {
        public var connectTimeout: Double
        /// Longest silence while reading an answer.
        public var readTimeout: Double
        /// Whole request, connect to last byte, unless the request sets its own.
        public var totalTimeout: Double
        public var maxConnectionsPerHost: Int
        /// Larger answers are refused (`bad_response`).
        public var maxBodyBytes: Int

        public init(
            connectTimeout: Double = 10, readTimeout: Double = 30, totalTimeout: Double = 60,
            maxConnectionsPerHost: Int = 64, maxBodyBytes: Int = 32 << 20
        ) {
            self.connectTimeout = connectTimeout
            self.readTimeout = readTimeout
            self.totalTimeout = totalTimeout
            self.maxConnectionsPerHost = maxConnectionsPerHost
            self.maxBodyBytes = maxBodyBytes
        }
    }

    public let options: Options
    private let client: HTTPClient

    public init(options: Options = Options()) {
        self.options = options
        client = .moonwatch(
            connectTimeout: options.connectTimeout, readTimeout: options.readTimeout,
            connectionsPerHost: options.maxConnectionsPerHost)
    }

    /// Closes the pooled connections. Call once at the end of the run.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    public func send(_ request: ServiceRequest) async throws -> ServiceResponse {
        var outgoing = HTTPClientRequest(url: request.url.description)
        outgoing.method = HTTPMethod(rawValue: request.method.uppercased())
        for field in request.headers { outgoing.headers.add(name: field.name, value: field.value) }
        if !request.body.isEmpty || request.method.uppercased() == "POST" || request.method.uppercased() == "PUT" {
            outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        }
        let deadline = NIODeadline.now() + .clampedSeconds(request.timeout ?? options.totalTimeout)
        do {
            let response = try await client.execute(outgoing, deadline: deadline)
            var headers = HTTPFields()
            for (name, value) in response.headers { headers.append(name, value) }
            let buffer = try await response.body.collect(upTo: options.maxBodyBytes)
            return ServiceResponse(status: Int(response.status.code), headers: headers, body: Array(buffer.readableBytesView))
        } catch {
            throw Self.map(error, url: request.url, isCancelled: Task.isCancelled, maxBodyBytes: options.maxBodyBytes)
        }
    }

    /// Maps AsyncHTTPClient and NIO errors onto ``ServiceError`` kinds.
    static func map(_ error: any Error, url: ServiceURL, isCancelled: Bool, maxBodyBytes: Int) -> ServiceError {
        if let error = error as? ServiceError { return error }
        let target = "\(url.scheme)://\(url.hostHeader)"
        if isCancelled || error is CancellationError {
            return ServiceError(.canceled, "request to \(target) canceled")
        }
        if let error = error as? HTTPClientError {
            if error == .cancelled {
                return ServiceError(.canceled, "request to \(target) canceled")
            }
            let timeouts: [HTTPClientError] = [
                .connectTimeout, .readTimeout, .writeTimeout, .deadlineExceeded, .getConnectionFromPoolTimeout,
                .tlsHandshakeTimeout,
            ]
            if timeouts.contains(error) {
                return ServiceError(.timeout, "request to \(target) timed out (\(error))", retryable: true)
            }
            let unusable: [HTTPClientError] = [.invalidURL, .emptyHost, .emptyScheme]
            if unusable.contains(error) {
                return ServiceError(.invalidArgument, "cannot send request to \(target): \(error)", retryable: false)
            }
            return ServiceError(.network, "request to \(target) failed: \(error)", retryable: true)
        }
        if error is NIOTooManyBytesError {
            return ServiceError(
                .badResponse, "answer from \(target) is larger than \(maxBodyBytes) bytes", retryable: false)
        }
        return ServiceError(.network, "request to \(target) failed: \(error)", retryable: true)
    }
}
