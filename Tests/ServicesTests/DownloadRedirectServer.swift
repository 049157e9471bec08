import NIOCore
import NIOHTTP1
import NIOPosix

/// A loopback server that only redirects: `/hop/N` → `/hop/N-1`, `/hop/0` →
/// `target`, `/ftp` → an ftp URL.
final class DownloadRedirectServer {
    let channel: any Channel
    var base: String { "http://127.0.0.1:\(channel.localAddress!.port!)" }

    init(target: String) async throws {
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(target: target))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func close() async throws { try await channel.close() }

    final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let target: String
        private var uri = ""

        init(target: String) { self.target = target }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): uri = head.uri
            case .body: break
            case .end: redirect(context)
            }
        }

        private func redirect(_ context: ChannelHandlerContext) {
            let location: String
            if uri == "/ftp" {
                location = "ftp://127.0.0.1/file"
            } else if uri.hasPrefix("/hop/"), let hops = Int(uri.dropFirst(5)), hops > 0 {
                location = "/hop/\(hops - 1)"
            } else {
                location = target
            }
            var headers = HTTPHeaders()
            headers.add(name: "Location", value: location)
            headers.add(name: "Content-Length", value: "0")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .found, headers: headers))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
