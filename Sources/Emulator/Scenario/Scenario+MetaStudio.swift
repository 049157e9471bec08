/// MetaStudio photo-modeling jobs.
package struct MetaStudioSettings: Codable, Sendable, Equatable {
    package var jobs: [MetaStudioJob]
    /// The timeline of every job created with `POST .../picture-modelings`, from its creation
    /// (default: the timeline derived from the new job's id).
    package var createTimeline: [TimelineStep<String>]?

    package init(jobs: [MetaStudioJob] = [], createTimeline: [TimelineStep<String>]? = nil) {
        self.jobs = jobs
        self.createTimeline = createTimeline
    }

    enum CodingKeys: String, CodingKey { case jobs, createTimeline = "create_timeline" }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(jobs: try c.decode(.jobs, or: []), createTimeline: try c.decodeIfPresent([TimelineStep<String>].self, forKey: .createTimeline))
    }
}

/// A photo-modeling job. States: WAITING, PROCESSING, SUCCEED, PARTIAL_SUCCEED, FAILED, CANCELED.
package struct MetaStudioJob: Codable, Sendable, Equatable {
    package var jobID: String
    package var timeline: [TimelineStep<String>]
    /// `error_info` once the job has FAILED (or PARTIAL_SUCCEED: the cover screenshot's error).
    package var error: ServiceErrorInfo?
    package var name: String
    package var styleID: String
    /// Default: derived from the job id.
    package var modelAssetID: String?
    /// The cover image behind `model_cover_url` (default: derived size).
    package var cover: FileSpec?

    package init(
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

    package init(from decoder: any Decoder) throws {
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
package struct ServiceErrorInfo: Codable, Sendable, Equatable {
    package var errorCode: String
    package var errorMsg: String

    package init(errorCode: String, errorMsg: String) {
        self.errorCode = errorCode
        self.errorMsg = errorMsg
    }

    enum CodingKeys: String, CodingKey { case errorCode = "error_code", errorMsg = "error_msg" }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(errorCode: try c.decode(String.self, forKey: .errorCode), errorMsg: try c.decode(String.self, forKey: .errorMsg))
    }
}
