import JSON
import Synchronization
import Transport

/// The request pipeline shared by the three Huawei Cloud clients: builds the
/// URL under the service endpoint, authenticates each attempt afresh (a new
/// `X-Sdk-Date` per attempt), retries per the policy, maps error bodies to
/// ``ServiceError`` and, with IAM tokens, renews the token once when a 401
/// says it expired and sends the request again.
package struct HuaweiGateway: Sendable {
    package var caller: ServiceCaller
    package var endpoint: ServiceURL
    package var projectID: String
    package var auth: HuaweiAuth

    package init(caller: ServiceCaller, endpoint: ServiceURL, projectID: String, auth: HuaweiAuth) {
        self.caller = caller
        self.endpoint = endpoint
        self.projectID = projectID
        self.auth = auth
    }

    /// `GET endpoint/segments...?query` and the answer's JSON object.
    package func get(
        segments: [String], query: [ServiceURL.QueryItem] = [], headers: HTTPFields = [:]
    ) async throws(ServiceError) -> (object: JSONObject, response: ServiceResponse) {
        var url = endpoint.appending(segments: segments)
        url.query = query
        let response = try await send(request(method: "GET", url: url, headers: headers))
        return (try response.jsonObject(service: caller.service.rawValue), response)
    }

    /// A request to `url` with the headers every call carries (`Content-Type`
    /// JSON unless `headers` names another, the User-Agent) and `headers`.
    package func request(method: String, url: ServiceURL, headers: HTTPFields = [:], body: [UInt8] = []) -> ServiceRequest {
        var request = ServiceRequest(method: method, url: url, body: body)
        request.headers["Content-Type"] = "application/json"
        request.headers["User-Agent"] = caller.userAgent
        for field in headers { request.headers[field.name] = field.value }
        return request
    }

    /// Sends `request` authenticated afresh on each attempt, retried per the
    /// policy when `retrying`, and returns its 2xx answer; any other status
    /// throws the service's error (code and message from the Huawei error body).
    package func send(_ request: ServiceRequest, retrying: Bool = true) async throws(ServiceError) -> ServiceResponse {
        let service = caller.service.rawValue
        let caller = caller
        let auth = auth
        let projectID = projectID
        let lastToken = LastToken()

        @Sendable func attempt() async throws(ServiceError) -> ServiceResponse {
            try await caller.withRetries(retrying: retrying) { _ in
                var signed = request
                lastToken.set(try await auth.authorize(&signed, projectID: projectID, wallNow: caller.clock.wallNow()))
                let response = try await caller.sendOnce(signed)
                guard (200..<300).contains(response.status) else {
                    let error = ServiceError.fromHuaweiResponse(response, service: service, wallNow: caller.clock.wallNow())
                    throw error.redacted(by: caller.redactor)
                }
                return response
            }
        }

        do {
            return try await attempt()
        } catch {
            // The refused request did nothing, so sending it again with a new token is safe for any method.
            guard case .iam(let provider) = auth, error.isExpiredToken else { throw error }
            if let token = lastToken.get() { await provider.invalidate(token) }
            caller.logger?.info("IAM token expired; renewing it once", metadata: ["service": .string(service)])
            return try await attempt()
        }
    }
}

/// The token the latest attempt used, so only that token is invalidated.
final class LastToken: Sendable {
    private let value = Mutex<String?>(nil)
    func set(_ token: String?) { value.withLock { $0 = token } }
    func get() -> String? { value.withLock { $0 } }
}
