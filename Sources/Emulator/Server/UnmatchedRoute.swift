import Hummingbird

/// Turns the router's 404 (no route, or a method the route does not take) into the gateway's
/// `APIG.0101` answer, with an `X-Request-Id` like every other response.
struct UnmatchedRoute: RouterMiddleware {
    typealias Context = EmulatorRequestContext

    let state: EmulatorState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let requestID = state.nextRequestID()
            let reply = Reply.gateway(
                .notFound,
                code: "APIG.0101",
                message: "The API does not exist or has not been published in the environment.",
                requestID: requestID
            )
            state.counters.record(route: .unmatched, status: 404, bodyBytes: reply.bodyLength, faults: [])
            var headers = reply.headers
            headers[.requestID] = requestID
            guard case .bytes(let buffer) = reply.body else { return Response(status: .notFound, headers: headers) }
            return Response(status: .notFound, headers: headers, body: .init(byteBuffer: buffer))
        }
    }
}
