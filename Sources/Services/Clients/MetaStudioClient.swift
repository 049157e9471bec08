import JSON
import Transport

/// Huawei Cloud MetaStudio photo-modeling jobs:
/// `GET /v1/{project_id}/digital-human/stylized/picture-modelings/{job_id}`.
package struct MetaStudioClient: Sendable {
    package var gateway: HuaweiGateway
    /// Sent as `X-App-UserId` when a call gives none.
    package var defaultAppUserID: String?

    package init(gateway: HuaweiGateway, defaultAppUserID: String? = nil) {
        self.gateway = gateway
        self.defaultAppUserID = defaultAppUserID
    }

    /// One job's details, normalized (docs/contract.md §2.1).
    /// - Parameter appUserID: optional `X-App-UserId` (printable ASCII only).
    package func job(jobID: String, appUserID: String? = nil) async throws(ServiceError) -> ServiceResult {
        try Validation.pathSegment(jobID, argument: "job_id", function: "api.metastudio.job")
        var headers: HTTPFields = [:]
        if let userID = appUserID ?? defaultAppUserID {
            try Validation.appUserID(userID, function: "api.metastudio.job")
            headers["X-App-UserId"] = userID
        }
        let (object, response) = try await gateway.get(
            segments: ["v1", gateway.projectID, "digital-human", "stylized", "picture-modelings", jobID],
            headers: headers)
        return Self.result(from: object, response: response, unknown: gateway.caller.noteUnknownState)
    }

    /// WAITING → queued, PROCESSING → running, SUCCEED → succeeded,
    /// PARTIAL_SUCCEED → partial, FAILED → failed, CANCELED → canceled, else unknown.
    package static func status(forState state: String) -> JobStatus {
        switch state {
        case "WAITING": .queued
        case "PROCESSING": .running
        case "SUCCEED": .succeeded
        case "PARTIAL_SUCCEED": .partial
        case "FAILED": .failed
        case "CANCELED": .canceled
        default: .unknown
        }
    }

    /// Builds the normalized result from a job object.
    package static func result(
        from object: JSONObject, response: ServiceResponse, unknown: (String) -> Void = { _ in }
    ) -> ServiceResult {
        let state = object["state"]?.scalarText ?? ""
        let status = status(forState: state)
        if status == .unknown { unknown(state.isEmpty ? "(missing state)" : state) }
        var error: String?
        if status == .failed || status == .canceled || status == .partial {
            let info = object["error_info"]
            let message = info?["error_msg"]?.scalarText
            let code = info?["error_code"]?.scalarText
            switch (message, code) {
            case (let message?, let code?): error = "\(message) (\(code))"
            case (let message?, nil): error = message
            case (nil, let code?): error = code
            case (nil, nil): error = status == .failed ? "the job failed without a reason" : nil
            }
        }
        return ServiceResult(
            service: .metastudio, fields: object, status: status, rawState: state, error: error,
            requestID: response.headers["X-Request-Id"] ?? object["request_id"]?.scalarText,
            httpStatus: response.status)
    }
}
