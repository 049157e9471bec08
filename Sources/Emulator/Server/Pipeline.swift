import Hummingbird
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wraps every route handler: request id, fault drawing and application, counting, and the
/// `X-Request-Id` header that every response carries.
struct Pipeline: Sendable {
    let state: EmulatorState

    /// Size of the chunks in which files are streamed.
    static let chunkSize = 64 * 1024

    func route(
        _ route: EmulatorRoute,
        _ handler: @escaping @Sendable (ServiceRequest) async throws -> Reply
    ) -> @Sendable (Request, EmulatorRequestContext) async throws -> Response {
        { request, context in
            let requestID = state.nextRequestID()
            let faults = route == .admin ? .none : state.faults.plan(for: route)
            if faults.latencyMs > 0 {
                try await Task.sleep(for: .milliseconds(faults.latencyMs))
            }
            var reply: Reply
            if faults.replacesResponse {
                reply = FaultReplies.reply(for: faults, route: route, requestID: requestID)
            } else {
                let exchange = ServiceRequest(request: request, context: context, requestID: requestID, faults: faults, now: state.now())
                do {
                    reply = try await handler(exchange)
                } catch {
                    reply = FaultReplies.internalError(route: route, requestID: requestID, detail: "\(error)")
                }
            }
            reply.headers[.requestID] = requestID
            if faults.malformedJSON, route.servesJSON, case .bytes(let buffer) = reply.body {
                reply.body = .bytes(MalformedJSON.corrupt(buffer, route: route))
            }
            let streamed: Bool = if case .object = reply.body { true } else { false }
            state.counters.record(
                route: route,
                status: Int(reply.status.code),
                bodyBytes: streamed ? 0 : reply.bodyLength,
                faults: faults.fired
            )
            return response(for: reply, route: route, faults: faults, channel: context.channel)
        }
    }

    private func response(for reply: Reply, route: EmulatorRoute, faults: FaultPlan, channel: any Channel) -> Response {
        let counters = state.counters
        let cut: ConnectionCut? = faults.reset ? .reset : faults.truncate ? .close : nil
        switch reply.body {
        case .empty:
            return Response(status: reply.status, headers: reply.headers, body: .init())
        case .bytes(let buffer):
            guard let cut, buffer.readableBytes > 0 else {
                return Response(status: reply.status, headers: reply.headers, body: .init(byteBuffer: buffer))
            }
            return Response(status: reply.status, headers: reply.headers, body: .init(contentLength: buffer.readableBytes) { writer in
                try await writer.write(buffer.getSlice(at: buffer.readerIndex, length: buffer.readableBytes / 2)!)
                try await cut.apply(to: channel)
            })
        case .object(let object, let range):
            let stopAt = cut == nil ? range.upperBound : range.lowerBound + range.count / 2
            return Response(status: reply.status, headers: reply.headers, body: .init(contentLength: range.count) { writer in
                var offset = range.lowerBound
                var buffer = ByteBuffer()
                while offset < stopAt {
                    let end = min(offset + Self.chunkSize, stopAt)
                    buffer.clear()
                    object.write(offset..<end, into: &buffer)
                    try await writer.write(buffer)
                    counters.addBytes(end - offset, route: route)
                    offset = end
                }
                if let cut {
                    try await cut.apply(to: channel)
                }
                try await writer.finish(nil)
            })
        }
    }
}

/// How a faulted response ends early.
enum ConnectionCut: Sendable {
    /// FIN after part of the body: the client sees fewer bytes than Content-Length.
    case close
    /// RST after part of the body (SO_LINGER 0, then close).
    case reset

    struct Aborted: Error {}

    /// Ends the connection, then throws so that Hummingbird stops using it.
    func apply(to channel: any Channel) async throws {
        // Give the client a moment to read the head and the partial body before the end: some
        // clients drop data they have buffered but not yet handed out once the connection fails.
        try await Task.sleep(for: .milliseconds(20))
        switch self {
        case .close:
            // A half-close waits for NIO's pending writes, so exactly the partial body precedes the FIN.
            try? await channel.close(mode: .output)
        case .reset:
            if let socket = channel as? any SocketOptionProvider {
                try? await socket.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
            }
            try? await channel.close()
        }
        throw Aborted()
    }
}
