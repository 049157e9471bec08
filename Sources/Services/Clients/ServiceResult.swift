/// One query's answer: the service's fields under their original names plus
/// the normalized fields of SPEC §2.1.
public struct ServiceResult: Sendable, Equatable {
    public var service: ServiceName
    /// The response object as the service sent it (for try-on: the fields of
    /// `data`, plus the envelope's `code` and `msg`).
    public var fields: JSONObject
    /// The normalized status; `nil` for answers without one (ModelArts pages).
    public var status: JobStatus?
    /// The service's own state value as text (`"SUCCEED"`, `"2"`, ...).
    public var rawState: String?
    /// A readable reason when the job failed.
    public var error: String?
    public var requestID: String?
    /// Service specifics added by the host (`position`, `pose_url`, `show_url`).
    public var extra: JSONObject
    /// The HTTP status of the answer.
    public var httpStatus: Int

    public init(
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
    public var terminal: Bool { status?.isTerminal ?? false }

    /// The table a script sees: the service's fields, the specifics, then
    /// `status`, `terminal`, `error` and `request_id` (normalized names win).
    public var table: JSONObject {
        var table = fields
        for (key, value) in extra { table[key] = value }
        if let status {
            table["status"] = .string(status.rawValue)
            table["terminal"] = .bool(status.isTerminal)
        }
        table["error"] = error.map(JSONValue.string)
        table["request_id"] = requestID.map(JSONValue.string)
        return table
    }
}
