import Transport

/// `api.huaweicloud.request`: any Huawei Cloud API, through the same gateway as
/// the bound calls (AK/SK signature or IAM token per attempt, retries, the
/// service's rate limiter, Huawei error bodies mapped to error tables).
package struct HuaweiCloudClient: Sendable {
    package var gateway: HuaweiGateway

    package init(gateway: HuaweiGateway) { self.gateway = gateway }

    /// One request as the script describes it.
    package struct Request: Sendable {
        package var method: String
        /// Under the service's endpoint, starting with `/`; `{project_id}` is filled in.
        package var path: String
        package var query: [(name: String, value: String)]
        package var headers: [(name: String, value: String)]
        /// Sent as `application/json` unless the script's headers name another type.
        package var body: [UInt8]
        package var timeout: Double?
        /// Nil: retried only when the method is idempotent.
        package var retry: Bool?

        package init(
            method: String, path: String, query: [(name: String, value: String)] = [],
            headers: [(name: String, value: String)] = [], body: [UInt8] = [], timeout: Double? = nil, retry: Bool? = nil
        ) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.body = body
            self.timeout = timeout
            self.retry = retry
        }
    }

    static let function = "api.huaweicloud.request"
    /// Headers the signer or the token sets.
    static let authHeaders: Set<String> = ["authorization", "x-sdk-date", "x-auth-token", "x-project-id"]

    /// Sends `request` and returns its 2xx answer; other statuses throw the
    /// service's error table. Secrets in the answer (a configured credential an
    /// endpoint echoes) are masked before the script sees it.
    package func send(_ request: Request) async throws(ServiceError) -> RequestAnswer {
        let method = try ScriptRequestChecks.method(request.method, function: Self.function)
        var url = gateway.endpoint
        url.path = try Self.path(request.path, projectID: gateway.projectID, base: gateway.endpoint.path)
        url.query = request.query.map { ServiceURL.QueryItem($0.name, $0.value) }
        let headers = try ScriptRequestChecks.headers(request.headers, reserved: Self.authHeaders, function: Self.function)
        var outgoing = gateway.request(method: method, url: url, headers: headers, body: request.body)
        outgoing.timeout = request.timeout
        let runSecrets = gateway.caller.redactor
        var gateway = gateway
        gateway.caller.redactor = runSecrets.adding(SensitiveValues.of(headers: headers, query: url.query, body: request.body))
        let retrying = request.retry ?? ScriptRequestChecks.retriesByDefault(method)
        let response = try await gateway.send(outgoing, retrying: retrying)
        var answer = RequestAnswer(response, url: url)
        // The run's credentials only: what the script sent is its own to read back.
        answer.body = runSecrets.redact(answer.body)
        return answer
    }

    /// The encoded path: `{project_id}` replaced, each segment percent-encoded
    /// (a `%XX` the script wrote is kept), under the endpoint's own path.
    static func path(_ text: String, projectID: String, base: String) throws(ServiceError) -> String {
        guard text.hasPrefix("/") else {
            throw ServiceError(.invalidArgument, "\(function): option 'path' must start with '/', got '\(text.prefix(80))'")
        }
        var segments: [String] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let segment = raw == "{project_id}" ? projectID : PercentEncoding.decode(raw)
            if segment == "." || segment == ".." {
                throw ServiceError(.invalidArgument, "\(function): option 'path' must not contain '.' or '..' segments, got '\(text.prefix(80))'")
            }
            if segment.contains("{") || segment.contains("}") {
                throw ServiceError(
                    .invalidArgument,
                    "\(function): option 'path' has a placeholder other than {project_id} (in '\(raw)'); put the value in the path")
            }
            segments.append(PercentEncoding.encode(segment))
        }
        var prefix = base
        while prefix.hasSuffix("/") { prefix.removeLast() }
        return prefix + "/" + segments.joined(separator: "/")
    }
}
