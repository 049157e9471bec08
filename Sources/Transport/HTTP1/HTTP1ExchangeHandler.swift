import NIOCore
import NIOHTTP1
import NIOSSL

/// The last handler of a pooled connection: writes one exchange's request,
/// collects its answer whole, and enforces the deadline, the read timeout and
/// the body limit with a single timer per exchange. Event-loop only.
final class HTTP1ExchangeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private var context: ChannelHandlerContext?
    private var exchange: HTTP1Exchange?
    private var status = 0
    private var headers = HTTPFields()
    private var keepAlive = true
    private var body: ByteBuffer?
    private var lastRead = NIODeadline.now()
    private var timer: Scheduled<Void>?
    /// Set once the channel is unusable: why, for a later exchange to fail with at once.
    private var closedBy: HTTP1ExchangeError?
    /// The newest exchange started; ids grow, so a larger one has not started yet.
    private var lastStarted: UInt64 = 0
    /// Exchanges canceled before they started: they end without sending anything.
    private var canceledEarly: Set<UInt64> = []

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Sends `exchange`'s request. Only one exchange runs at a time.
    func start(_ exchange: HTTP1Exchange) {
        guard let context, closedBy == nil, context.channel.isActive else {
            exchange.completion(.failure(closedBy ?? .connectionLost("the connection is closed")))
            return
        }
        precondition(self.exchange == nil, "one exchange at a time per connection")
        lastStarted = exchange.id
        if canceledEarly.remove(exchange.id) != nil {
            exchange.completion(.failure(.canceled))
            return
        }
        self.exchange = exchange
        status = 0
        headers = HTTPFields()
        body = nil
        lastRead = .now()
        context.write(wrapOutboundOut(.head(exchange.head)), promise: nil)
        if let requestBody = exchange.body {
            context.write(wrapOutboundOut(.body(.byteBuffer(requestBody))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        armTimer(context)
    }

    /// Ends exchange `id` as canceled: if it is running, closing the connection
    /// (its answer may still be on the way, so it cannot carry another request);
    /// if it has not started, when it starts, without sending anything.
    func cancel(_ id: UInt64) {
        if exchange?.id == id {
            fail(.canceled)
        } else if id > lastStarted {
            canceledEarly.insert(id)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let exchange else { return }
        lastRead = .now()
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
            keepAlive = head.isKeepAlive
            for (name, value) in head.headers { headers.append(name, value) }
        case .body(var part):
            if body == nil {
                guard part.readableBytes <= exchange.maxBodyBytes else { return fail(.bodyTooLarge) }
                body = part
            } else {
                guard body!.readableBytes + part.readableBytes <= exchange.maxBodyBytes else { return fail(.bodyTooLarge) }
                body!.writeBuffer(&part)
            }
        case .end:
            let bytes = body.map { Array($0.readableBytesView) } ?? []
            let answer = HTTP1Answer(response: ServiceResponse(status: status, headers: headers, body: bytes), keepAlive: keepAlive)
            finish()
            if !answer.keepAlive { close(.connectionLost("the server closed the connection after its answer")) }
            exchange.completion(.success(answer))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(.connectionLost("the connection was closed by the server"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if case .handshakeFailed = error as? NIOSSLError {
            fail(.tlsHandshake(String(describing: error)))
        } else {
            fail(.connectionLost(String(describing: error)))
        }
    }

    private func armTimer(_ context: ChannelHandlerContext) {
        guard let exchange else { return }
        let due = min(exchange.deadline, lastRead + exchange.readTimeout)
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: due) { [self] in
            timer = nil
            guard let exchange = self.exchange, let context = self.context else { return }
            let now = NIODeadline.now()
            if now >= exchange.deadline {
                fail(.deadlineExceeded)
            } else if now >= lastRead + exchange.readTimeout {
                fail(.readTimeout)
            } else {
                armTimer(context)
            }
        }
    }

    /// Clears the running exchange without completing it.
    private func finish() {
        timer?.cancel()
        timer = nil
        exchange = nil
        body = nil
    }

    private func fail(_ error: HTTP1ExchangeError) {
        let running = exchange
        finish()
        close(error)
        running?.completion(.failure(error))
    }

    private func close(_ error: HTTP1ExchangeError) {
        guard closedBy == nil else { return }
        closedBy = error
        context?.close(promise: nil)
    }
}
