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
        var base = ServiceRequest(method: "GET", url: url)
        base.headers["Content-Type"] = "application/json"
        base.headers["User-Agent"] = caller.userAgent
        for field in headers { base.headers[field.name] = field.value }
        let request = base
        let service = caller.service.rawValue
        let caller = caller
        let auth = auth
        let projectID = projectID
        let lastToken = LastToken()

        @Sendable func attempt() async throws(ServiceError) -> (JSONObject, ServiceResponse) {
            try await caller.withRetries { _ in
                var signed = request
                lastToken.set(try await auth.authorize(&signed, projectID: projectID, wallNow: caller.clock.wallNow()))
                let response = try await caller.sendOnce(signed)
                guard (200..<300).contains(response.status) else {
                    let error = ServiceError.fromHuaweiResponse(response, service: service, wallNow: caller.clock.wallNow())
                    throw error.redacted(by: caller.redactor)
                }
                return (try response.jsonObject(service: service), response)
            }
        }

        do {
            return try await attempt()
        } catch {
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
