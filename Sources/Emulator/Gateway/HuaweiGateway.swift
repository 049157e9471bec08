import Hummingbird
import NIOCore

/// The API gateway in front of the Huawei services: authenticates with AK/SK signatures or
/// IAM tokens (`APIGW.0301` on failure, with the gateway's own wording) and checks that the
/// credentials' project is the one in the URL (the service's 403 otherwise).
struct HuaweiGateway: Sendable {
    let state: EmulatorState

    /// Nil when the request may proceed, else the refusal. A route that needs the body reads it
    /// first and passes it as `body`, since a request body can be read only once; otherwise the
    /// gateway reads what the signature covers itself.
    func admit(_ req: ServiceRequest, service: HuaweiService, pathProject: String, body: ByteBuffer? = nil) async throws -> Reply? {
        if let authorization = req.header(.authorization) {
            return try await admitSigned(req, authorization: authorization, service: service, pathProject: pathProject, body: body)
        }
        if let token = req.header(.authToken) {
            return admitToken(req, token: token, service: service, pathProject: pathProject)
        }
        return unauthorized(req, "x-auth-token not found")
    }

    private func admitSigned(
        _ req: ServiceRequest,
        authorization: String,
        service: HuaweiService,
        pathProject: String,
        body: ByteBuffer?
    ) async throws -> Reply? {
        let scenario = state.scenario
        let check = SDKSignatureCheck { scenario.signingKeys[$0]?.key }
        let request = req.request
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(request.headers.count + 1)
        if let authority = request.head.authority { headers.append(("host", authority)) }
        for field in request.headers { headers.append((field.name.canonicalName, field.value)) }
        let bodySHA256Hex = if let body { SHA256Hex.of(bytes: body.readableBytesView) } else { try await bodyHash(of: request) }
        let view = SignedRequestView(
            method: request.method.rawValue,
            rawPath: request.uri.path,
            query: req.query,
            headers: headers,
            bodySHA256Hex: bodySHA256Hex
        )
        switch check.verify(view, authorization: authorization, now: req.now) {
        case .failure(let failure):
            return unauthorized(req, Self.message(for: failure))
        case .success(let accessKey):
            guard let projectHeader = req.header(.projectID) else {
                return unauthorized(req, "X-Project-Id is required with AK/SK authentication")
            }
            if scenario.signingKeys[accessKey]?.projectID != projectHeader {
                return .service(service, .forbidden, detail: "access key \(accessKey) has no access to project \(projectHeader)")
            }
            if projectHeader != pathProject {
                return .service(service, .forbidden, detail: "X-Project-Id \(projectHeader) does not match project \(pathProject) in the URL")
            }
            return nil
        }
    }

    private func admitToken(_ req: ServiceRequest, token: String, service: HuaweiService, pathProject: String) -> Reply? {
        guard let record = state.tokens.lookup(token) else { return unauthorized(req, "decrypt token fail") }
        if req.now >= record.expiresAt {
            return unauthorized(req, "token expires, expires_at: \(RFC3339.micros(record.expiresAt))")
        }
        if record.projectID != pathProject {
            return .service(service, .forbidden, detail: "the token is scoped to project \(record.projectID), not \(pathProject)")
        }
        return nil
    }

    private func unauthorized(_ req: ServiceRequest, _ reason: String) -> Reply {
        .gateway(.unauthorized, code: "APIGW.0301", message: "Incorrect IAM authentication information: \(reason)", requestID: req.requestID)
    }

    /// A request without Content-Length or Transfer-Encoding has no body (RFC 9112 §6.3), which
    /// spares the GET routes from reading one.
    private func bodyHash(of request: Request) async throws -> String {
        let length = request.headers[.contentLength]
        if request.headers[.transferEncoding] == nil, length == nil || length == "0" {
            return SHA256Hex.empty
        }
        return SHA256Hex.of(bytes: try await request.body.collect(upTo: 1 << 20).readableBytesView)
    }

    static func message(for failure: SDKSignatureFailure) -> String {
        switch failure {
        case .malformedAuthorization:
            "verify aksk signature fail, the Authorization header is not SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=..."
        case .missingDate:
            "verify aksk signature fail, x-sdk-date not found"
        case .malformedDate(let date):
            "verify aksk signature fail, invalid x-sdk-date \(date)"
        case .requiredHeaderNotSigned(let name):
            "verify aksk signature fail, header \(name) is not in SignedHeaders"
        case .signedHeaderMissing(let name):
            "verify aksk signature fail, signed header \(name) is missing from the request"
        case .expired(let date, let serverTime):
            "verify aksk signature fail, signature expired, x-sdk-date \(date) is more than 15 minutes from server time \(serverTime)"
        case .unknownAccessKey(let accessKey):
            "Get secretKey failed, access key \(accessKey) does not exist"
        case .mismatch(let canonicalRequest, let stringToSign):
            "verify aksk signature fail, canonicalRequest: \(canonicalRequest), stringToSign: \(stringToSign)"
        }
    }
}
