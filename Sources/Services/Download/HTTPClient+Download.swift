import AsyncHTTPClient
import NIOCore

extension HTTPClient {
    /// The downloader's client: pooled connections (at most `connectionsPerHost`
    /// to one host), connect and read timeouts, redirects and decompression left
    /// to the caller, and no tracing (the default no-op tracer still builds every
    /// request's attributes, a few percent of CPU).
    static func downloads(connectTimeout: Double, readTimeout: Double, connectionsPerHost: Int) -> HTTPClient {
        var pool = HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(60))
        pool.concurrentHTTP1ConnectionsPerHostSoftLimit = connectionsPerHost
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .clampedSeconds(connectTimeout), read: .clampedSeconds(readTimeout)),
            connectionPool: pool,
            decompression: .disabled)
        configuration.httpVersion = .automatic
        configuration.tracing.tracer = nil
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}
