import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// One keep-alive HTTP/1.1 connection (over TLS for https) that runs one
/// exchange at a time; owned by an ``HTTP1ConnectionPool``.
final class HTTP1Connection: Sendable {
    let channel: any Channel
    private let handler: NIOLoopBound<HTTP1ExchangeHandler>
    private let exchanges = Atomic<UInt64>(0)

    private init(channel: any Channel, handler: NIOLoopBound<HTTP1ExchangeHandler>) {
        self.channel = channel
        self.handler = handler
    }

    var isActive: Bool { channel.isActive }

    /// Connects to `origin` and sets up the pipeline.
    static func connect(
        to origin: HTTP1Origin, group: any EventLoopGroup, connectTimeout: TimeAmount, tls: NIOSSLContext?
    ) async throws -> HTTP1Connection {
        let serverName = origin.isIPLiteral ? nil : origin.host
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(connectTimeout)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls { try pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName)) }
                    try pipeline.addHTTPClientHandlers()
                    try pipeline.addHandler(HTTP1ExchangeHandler())
                }
            }
            .connect(host: origin.host, port: origin.port).get()
        let handler = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: HTTP1ExchangeHandler.self), eventLoop: channel.eventLoop)
        }.get()
        return HTTP1Connection(channel: channel, handler: handler)
    }

    /// Sends `head` and `body` and waits for the whole answer; cancelling the
    /// Swift task abandons the exchange and closes the connection.
    func execute(
        _ head: HTTPRequestHead, body: ByteBuffer?, deadline: NIODeadline, readTimeout: TimeAmount, maxBodyBytes: Int
    ) async throws -> HTTP1Answer {
        let id = exchanges.add(1, ordering: .relaxed).newValue
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { continuation in
                let exchange = HTTP1Exchange(
                    id: id, head: head, body: body, deadline: deadline, readTimeout: readTimeout, maxBodyBytes: maxBodyBytes,
                    completion: { continuation.resume(with: $0) })
                let handler = self.handler
                if channel.eventLoop.inEventLoop {
                    handler.value.start(exchange)
                } else {
                    channel.eventLoop.execute { handler.value.start(exchange) }
                }
            }
        } onCancel: {
            let handler = self.handler
            channel.eventLoop.execute { handler.value.cancel(id) }
        }
    }

    func close() {
        channel.close(promise: nil)
    }
}

/// Where a pool's connections go: scheme, host and port.
struct HTTP1Origin: Hashable, Sendable {
    var secure: Bool
    var host: String
    var port: Int

    init(_ url: ServiceURL) {
        secure = url.scheme == "https"
        host = url.host
        port = url.effectivePort
    }

    /// TLS sends no server name for IP addresses.
    var isIPLiteral: Bool {
        host.utf8.contains(UInt8(ascii: ":")) || host.utf8.allSatisfy { $0 == UInt8(ascii: ".") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}
