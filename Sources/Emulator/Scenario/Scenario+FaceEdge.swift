/// Face-edge (video analysis) tasks.
public struct FaceEdgeSettings: Codable, Sendable, Equatable {
    public var tasks: [FaceEdgeTask]

    public init(tasks: [FaceEdgeTask] = []) { self.tasks = tasks }

    enum CodingKeys: String, CodingKey { case tasks }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(tasks: try c.decode(.tasks, or: []))
    }
}

/// A face-edge task, reachable under `/v2/{project}/services/{service}/tasks/{task_id}`.
public struct FaceEdgeTask: Codable, Sendable, Equatable {
    public var taskID: String
    /// Default `c-face-edge`.
    public var service: String
    public var name: String?
    public var timeline: [TimelineStep<String>]

    public init(taskID: String, service: String = "c-face-edge", name: String? = nil, timeline: [TimelineStep<String>]) {
        self.taskID = taskID
        self.service = service
        self.name = name
        self.timeline = timeline
    }

    enum CodingKeys: String, CodingKey { case taskID = "task_id", service, name, timeline }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(
            taskID: try c.decode(String.self, forKey: .taskID),
            service: try c.decode(.service, or: "c-face-edge"),
            name: try c.decodeIfPresent(String.self, forKey: .name),
            timeline: try c.decode([TimelineStep<String>].self, forKey: .timeline)
        )
    }

    static let states: Set<String> = [
        "PENDING", "STARTING", "RECOVERING", "UPGRADING", "RUNNING", "STOPPING", "STOPPED",
        "DELETING", "FREEZING", "FROZEN", "SUCCEEDED", "FAILED", "CREATE_FAILED", "START_FAILED", "ABNORMAL",
    ]
}
