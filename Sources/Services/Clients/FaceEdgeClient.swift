import JSON
import Transport

/// Huawei Cloud video analysis, edge face extraction tasks:
/// `GET /v2/{project_id}/services/{service}/tasks/{task_id}`.
package struct FaceEdgeClient: Sendable {
    package static let defaultService = "c-face-edge"
    package var gateway: HuaweiGateway

    package init(gateway: HuaweiGateway) { self.gateway = gateway }

    /// One task, normalized (docs/contract.md §2.1). The answer is the task object at top
    /// level; an answer wrapped as `{"task": {...}}` is unwrapped.
    package func task(taskID: String, service: String = FaceEdgeClient.defaultService) async throws(ServiceError)
        -> ServiceResult
    {
        try Validation.pathSegment(taskID, argument: "task_id", function: "api.faceedge.task")
        try Validation.pathSegment(service, argument: "service", function: "api.faceedge.task")
        let (object, response) = try await gateway.get(
            segments: ["v2", gateway.projectID, "services", service, "tasks", taskID])
        return Self.result(from: object, response: response, unknown: gateway.caller.noteUnknownState)
    }

    /// PENDING → queued; STARTING, RECOVERING, UPGRADING → starting; RUNNING →
    /// running; STOPPING → stopping; STOPPED, DELETING, FREEZING, FROZEN →
    /// stopped; SUCCEEDED → succeeded; FAILED, CREATE_FAILED, START_FAILED,
    /// ABNORMAL → failed; else unknown.
    package static func status(forState state: String) -> JobStatus {
        switch state {
        case "PENDING": .queued
        case "STARTING", "RECOVERING", "UPGRADING": .starting
        case "RUNNING": .running
        case "STOPPING": .stopping
        case "STOPPED", "DELETING", "FREEZING", "FROZEN": .stopped
        case "SUCCEEDED": .succeeded
        case "FAILED", "CREATE_FAILED", "START_FAILED", "ABNORMAL": .failed
        default: .unknown
        }
    }

    package static func result(
        from answer: JSONObject, response: ServiceResponse, unknown: (String) -> Void = { _ in }
    ) -> ServiceResult {
        var object = answer
        if object["state"] == nil, let inner = object["task"]?.objectValue { object = inner }
        let state = object["state"]?.scalarText ?? ""
        let status = status(forState: state)
        if status == .unknown { unknown(state.isEmpty ? "(missing state)" : state) }
        var error: String?
        if status == .failed {
            let reason = ["error_msg", "error_message", "fail_reason", "failed_reason", "reason", "message"]
                .lazy.compactMap { object[$0]?.scalarText }.first { !$0.isEmpty }
            let code = object["error_code"]?.scalarText
            error = [reason ?? "the task is in state \(state)", code.map { "(\($0))" }].compactMap { $0 }
                .joined(separator: " ")
        }
        return ServiceResult(
            service: .faceedge, fields: object, status: status, rawState: state, error: error,
            requestID: response.headers["X-Request-Id"] ?? object["request_id"]?.scalarText,
            httpStatus: response.status)
    }
}
