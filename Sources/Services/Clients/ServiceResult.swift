import JSON
import RunConfiguration

/// One query's answer: the service's fields under their original names plus
/// the normalized fields of docs/contract.md §2.1.
package struct ServiceResult: Sendable, Equatable {
    package var service: ServiceName
    /// The response object as the service sent it (for try-on: the fields of
    /// `data`, plus the envelope's `code` and `msg`).
    package var fields: JSONObject
    /// The normalized status; `nil` for answers without one (ModelArts pages).
    package var status: JobStatus?
    /// The service's own state value as text (`"SUCCEED"`, `"2"`, ...).
    package var rawState: String?
    /// A readable reason when the job failed.
    package var error: String?
    package var requestID: String?
    /// Service specifics added by the host (`position`, `pose_url`, `show_url`).
    package var extra: JSONObject
    /// The HTTP status of the answer.
    package var httpStatus: Int

    package init(
        service: ServiceName, fields: JSONObject, status: JobStatus?, rawState: String? = nil,
        error: String? = nil, requestID: String? = nil, extra: JSONObject = [:], httpStatus: Int = 200
    ) {
        self.service = service
        self.fields = fields
        self.status = status
        self.rawState = rawState
        self.error = error
        self.requestID = requestID
        self.extra = extra
        self.httpStatus = httpStatus
    }

    /// Whether the job is finished (false for answers without a status).
    package var terminal: Bool { status?.isTerminal ?? false }

    /// The table a script sees: the service's fields, the specifics, then
    /// `status`, `terminal`, `error` and `request_id` (normalized names win).
    package var table: JSONObject {
        var table = fields
        for (key, value) in overrides { table[key] = value }
        return table
    }

    /// What ``table`` sets over the service's fields, in order (nil removes a field).
    package var overrides: [(key: String, value: JSONValue?)] {
        var overrides: [(key: String, value: JSONValue?)] = extra.map { ($0.key, $0.value) }
        if let status {
            overrides.append(("status", .string(status.rawValue)))
            overrides.append(("terminal", .bool(status.isTerminal)))
        }
        overrides.append(("error", error.map(JSONValue.string)))
        overrides.append(("request_id", requestID.map(JSONValue.string)))
        return overrides
    }
}
