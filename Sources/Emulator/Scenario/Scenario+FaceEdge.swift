/// Face-edge (video analysis) tasks.
package struct FaceEdgeSettings: Codable, Sendable, Equatable {
    package var tasks: [FaceEdgeTask]

    package init(tasks: [FaceEdgeTask] = []) { self.tasks = tasks }

    enum CodingKeys: String, CodingKey { case tasks }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(tasks: try c.decode(.tasks, or: []))
    }
}

/// A face-edge task, reachable under `/v2/{project}/services/{service}/tasks/{task_id}`.
package struct FaceEdgeTask: Codable, Sendable, Equatable {
    package var taskID: String
    /// Default `c-face-edge`.
    package var service: String
    package var name: String?
    package var timeline: [TimelineStep<String>]

    package init(taskID: String, service: String = "c-face-edge", name: String? = nil, timeline: [TimelineStep<String>]) {
        self.taskID = taskID
        self.service = service
        self.name = name
        self.timeline = timeline
    }

    enum CodingKeys: String, CodingKey { case taskID = "task_id", service, name, timeline }

    package init(from decoder: any Decoder) throws {
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
