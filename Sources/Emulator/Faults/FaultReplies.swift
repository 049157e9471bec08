import Hummingbird

/// The answers an injected error or throttle produces, in the style of the route's service.
enum FaultReplies {
    static func reply(for plan: FaultPlan, route: EmulatorRoute, requestID: String) -> Reply {
        if let retryAfter = plan.throttleRetryAfter {
            var reply = throttled(route: route, requestID: requestID)
            reply.headers[.retryAfter] = String(retryAfter)
            return reply
        }
        let status = HTTPResponse.Status(code: plan.errorStatus ?? 500)
        if route.behindHuaweiGateway, status.code == 502 {
            return .gateway(status, code: "APIG.0202", message: "Backend unavailable.", requestID: requestID)
        }
        if let service = route.huaweiService {
            return .service(service, status.code == 503 ? .unavailable : .internalError)
        }
        switch route {
        case .iamTokens:
            return .iamError(status, status.reasonPhrase)
        case .objectStorage, .tryOnFile:
            return .objectStorageError(
                status,
                code: status.code == 503 ? "ServiceUnavailable" : "InternalError",
                message: status.code == 503 ? "Please reduce your request rate." : "We encountered an internal error. Please try again.",
                requestID: requestID
            )
        default:
            return .proxyPage(status)
        }
    }

    /// What a handler that threw becomes: a 500 in the route's style.
    static func internalError(route: EmulatorRoute, requestID: String, detail: String) -> Reply {
        if let service = route.huaweiService { return .service(service, .internalError, detail: detail) }
        if route == .iamTokens { return .iamError(.internalServerError, detail) }
        if route.servesObjects {
            return .objectStorageError(.internalServerError, code: "InternalError", message: detail, requestID: requestID)
        }
        if route == .echo { return EchoRoute.problem(.internalServerError, detail) }
        return .tryOnError(.internalServerError, detail)
    }

    private static func throttled(route: EmulatorRoute, requestID: String) -> Reply {
        if route.behindHuaweiGateway {
            return .gateway(
                .tooManyRequests,
                code: "APIG.0308",
                message: "The throttling threshold has been reached: policy ip over ratelimit,limit:5,time:1 minute",
                requestID: requestID
            )
        }
        if route.servesObjects {
            return .objectStorageError(.tooManyRequests, code: "TooManyRequests", message: "Please reduce your request rate.", requestID: requestID)
        }
        // The echo stands for any plain server: its faults answer as the proxy in front would.
        if route == .echo { return .proxyPage(.tooManyRequests) }
        return .tryOnError(.tooManyRequests, "too many requests")
    }
}

/// Bodies that claim to be JSON and are not.
enum MalformedJSON {
    static func corrupt(_ buffer: ByteBuffer, route: EmulatorRoute) -> ByteBuffer {
        let text = String(buffer: buffer)
        if route == .faceEdgeTask {
            // The face-edge seed prints target_roi, a JSON document inside a string, with its
            // quotes unescaped; that is the only escaped quote in these bodies.
            return ByteBuffer(string: text.replacingAll("\\\"", with: "\""))
        }
        // A stray quote before the closing brace: invalid for every JSON parser, lenient or not.
        guard text.hasSuffix("}") else { return ByteBuffer(string: text + "\"") }
        return ByteBuffer(string: String(text.dropLast()) + "\"}")
    }
}
