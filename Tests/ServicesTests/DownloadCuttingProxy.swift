import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A loopback TCP relay in front of the emulator that resets connections at
/// random offsets: each new connection, with probability `probability`, is cut
/// (RST) after a number of bytes drawn uniformly from `1...maxOffset` (the
/// response head included), from a seeded generator. The emulator's own reset
/// fault cuts halfway through what it serves; this reaches any byte offset.
final class DownloadCuttingProxy: Sendable {
    private struct State {
        var random: UInt64
        /// Bytes at which each cut connection was reset, in order.
        var cuts: [Int] = []
        /// Bytes relayed to clients.
        var delivered = 0
    }

    /// Shared by the relays of every connection.
    private final class Tally: Sendable {
        let state: Mutex<State>
        init(seed: UInt64) { state = Mutex(State(random: seed)) }
    }

    private let channel: any Channel
    private let tally: Tally
    var base: String { "http://127.0.0.1:\(channel.localAddress!.port!)" }
    var cuts: [Int] { tally.state.withLock { $0.cuts } }
    var delivered: Int { tally.state.withLock { $0.delivered } }

    init(upstreamPort: Int, seed: UInt64, probability: Double, maxOffset: Int) async throws {
        let tally = Tally(seed: seed)
        self.tally = tally
        let draw: @Sendable () -> Int? = {
            tally.state.withLock { s in
                let roll = Double(Self.next(&s.random) >> 11) / Double(1 << 53)
                guard roll < probability else { return nil }
                return 1 + Int(Self.next(&s.random) % UInt64(maxOffset))
            }
        }
        let record: @Sendable (_ delivered: Int, _ cutAt: Int?) -> Void = { count, cutAt in
            tally.state.withLock { s in
                s.delivered += count
                if let cutAt { s.cuts.append(cutAt) }
            }
        }
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { client in
                ClientBootstrap(group: client.eventLoop)
                    .channelInitializer { upstream in
                        upstream.eventLoop.makeCompletedFuture {
                            try upstream.pipeline.syncOperations.addHandler(Relay(to: client, cutAfter: draw(), record: record))
                        }
                    }
                    .connect(host: "127.0.0.1", port: upstreamPort)
                    .flatMap { upstream in
                        client.eventLoop.makeCompletedFuture {
                            try client.pipeline.syncOperations.addHandler(Relay(to: upstream, cutAfter: nil, record: nil))
                        }
                    }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func close() async throws { try await channel.close() }

    /// SplitMix64.
    private static func next(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Copies what one side reads to the other; the upstream side may cut.
    private final class Relay: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let partner: any Channel
        let cutAfter: Int?
        let record: (@Sendable (Int, Int?) -> Void)?
        private var relayed = 0
        private var done = false

        init(to partner: any Channel, cutAfter: Int?, record: (@Sendable (Int, Int?) -> Void)?) {
            self.partner = partner
            self.cutAfter = cutAfter
            self.record = record
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !done else { return }
            var buffer = unwrapInboundIn(data)
            if let cutAfter, relayed + buffer.readableBytes >= cutAfter {
                done = true
                let slice = buffer.readSlice(length: cutAfter - relayed)!
                record?(slice.readableBytes, cutAfter)
                let partner = self.partner
                let own = context.channel
                partner.writeAndFlush(slice).whenComplete { _ in
                    // A RST makes the client's kernel drop what the client has not read yet: give it
                    // a moment, so the bytes counted as delivered are the bytes it got.
                    partner.eventLoop.scheduleTask(in: .milliseconds(20)) {
                        // SO_LINGER 0: close sends RST, as a dropped connection does.
                        let linger = (partner as? any SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0))
                        (linger ?? partner.eventLoop.makeSucceededVoidFuture()).whenComplete { _ in
                            partner.close(promise: nil)
                            own.close(promise: nil)
                        }
                    }
                }
                return
            }
            relayed += buffer.readableBytes
            record?(buffer.readableBytes, nil)
            partner.writeAndFlush(buffer, promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            partner.close(promise: nil)
        }
    }
}
