/// MetaStudio photo-modeling jobs.
public struct MetaStudioSettings: Codable, Sendable, Equatable {
    public var jobs: [MetaStudioJob]

    public init(jobs: [MetaStudioJob] = []) { self.jobs = jobs }

    enum CodingKeys: String, CodingKey { case jobs }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(jobs: try c.decode(.jobs, or: []))
    }
}

/// A photo-modeling job. States: WAITING, PROCESSING, SUCCEED, PARTIAL_SUCCEED, FAILED, CANCELED.
public struct MetaStudioJob: Codable, Sendable, Equatable {
    public var jobID: String
    public var timeline: [TimelineStep<String>]
    /// `error_info` once the job has FAILED (or PARTIAL_SUCCEED: the cover screenshot's error).
    public var error: ServiceErrorInfo?
    public var name: String
    public var styleID: String
    /// Default: derived from the job id.
    public var modelAssetID: String?
    /// The cover image behind `model_cover_url` (default: derived size).
    public var cover: FileSpec?

    public init(
        jobID: String,
        timeline: [TimelineStep<String>],
        error: ServiceErrorInfo? = nil,
        name: String = "my_model",
        styleID: String = "system_male_001",
        modelAssetID: String? = nil,
        cover: FileSpec? = nil
    ) {
        self.jobID = jobID
        self.timeline = timeline
        self.error = error
        self.name = name
        self.styleID = styleID
        self.modelAssetID = modelAssetID
        self.cover = cover
    }

    enum CodingKeys: String, CodingKey {
        case jobID = "job_id", timeline, error, name, styleID = "style_id", modelAssetID = "model_asset_id", cover
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(
            jobID: try c.decode(String.self, forKey: .jobID),
            timeline: try c.decode([TimelineStep<String>].self, forKey: .timeline),
            error: try c.decodeIfPresent(ServiceErrorInfo.self, forKey: .error),
            name: try c.decode(.name, or: "my_model"),
            styleID: try c.decode(.styleID, or: "system_male_001"),
            modelAssetID: try c.decodeIfPresent(String.self, forKey: .modelAssetID),
            cover: try c.decodeIfPresent(FileSpec.self, forKey: .cover)
        )
    }

    static let states: Set<String> = ["WAITING", "PROCESSING", "SUCCEED", "PARTIAL_SUCCEED", "FAILED", "CANCELED"]
    static let terminal: Set<String> = ["SUCCEED", "PARTIAL_SUCCEED", "FAILED", "CANCELED"]
}

/// `{"error_code": ..., "error_msg": ...}` as Huawei services report a job's error.
public struct ServiceErrorInfo: Codable, Sendable, Equatable {
    public var errorCode: String
    public var errorMsg: String

    public init(errorCode: String, errorMsg: String) {
        self.errorCode = errorCode
        self.errorMsg = errorMsg
    }

    enum CodingKeys: String, CodingKey { case errorCode = "error_code", errorMsg = "error_msg" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(errorCode: try c.decode(String.self, forKey: .errorCode), errorMsg: try c.decode(String.self, forKey: .errorMsg))
    }
}
