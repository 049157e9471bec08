/// A validated scenario with its lookup tables, immutable once built; loading a new scenario
/// swaps the whole object.
final class LoadedScenario: Sendable {
    struct KeyEntry: Sendable {
        let key: SigningKey
        let projectID: String
    }

    let scenario: Scenario
    let seed: UInt64
    let signingKeys: [String: KeyEntry]
    /// Keyed by `domain/name`.
    let iamUsers: [String: IAMUser]
    private let tryOnJobs: [Int64: TryOnJob]
    private let metaStudioJobs: [String: MetaStudioJob]
    /// Keyed by `service/task_id`.
    private let faceEdgeTasks: [String: FaceEdgeTask]
    /// Keyed by `task_id/version_id`.
    private let modelArtsTasks: [String: ModelArtsTask]

    init(_ scenario: Scenario, seed: UInt64) throws {
        try Self.validate(scenario)
        self.scenario = scenario
        self.seed = seed
        let demoKey = AccessKeyPair(accessKey: DemoCredentials.accessKey, secretKey: DemoCredentials.secretKey, projectID: DemoCredentials.projectID)
        signingKeys = Dictionary(([demoKey] + scenario.credentials).map {
            ($0.accessKey, KeyEntry(key: SigningKey(secret: $0.secretKey), projectID: $0.projectID))
        }, uniquingKeysWith: { _, last in last })
        let demoUser = IAMUser(name: DemoCredentials.iamUser, password: DemoCredentials.iamPassword, domain: DemoCredentials.iamDomain, projectID: DemoCredentials.projectID)
        iamUsers = Dictionary(([demoUser] + scenario.iam.users).map { ("\($0.domain)/\($0.name)", $0) }, uniquingKeysWith: { _, last in last })
        tryOnJobs = Dictionary(scenario.tryon.jobs.map { ($0.infID, $0) }, uniquingKeysWith: { _, last in last })
        metaStudioJobs = Dictionary(scenario.metastudio.jobs.map { ($0.jobID, $0) }, uniquingKeysWith: { _, last in last })
        faceEdgeTasks = Dictionary(scenario.faceedge.tasks.map { ("\($0.service)/\($0.taskID)", $0) }, uniquingKeysWith: { _, last in last })
        modelArtsTasks = Dictionary(scenario.modelarts.tasks.map { ("\($0.taskID)/\($0.versionID)", $0) }, uniquingKeysWith: { _, last in last })
    }

    private var derivesUnknownIDs: Bool { scenario.unknownIDs == .derive }

    func tryOnJob(_ infID: Int64) -> TryOnJob? {
        tryOnJobs[infID] ?? (derivesUnknownIDs ? DefaultJobs.tryOn(infID: infID, seed: seed) : nil)
    }

    func metaStudioJob(_ jobID: String) -> MetaStudioJob? {
        metaStudioJobs[jobID] ?? (derivesUnknownIDs ? DefaultJobs.metaStudio(jobID: jobID, seed: seed) : nil)
    }

    func faceEdgeTask(_ taskID: String, service: String) -> FaceEdgeTask? {
        faceEdgeTasks["\(service)/\(taskID)"]
            ?? (derivesUnknownIDs ? DefaultJobs.faceEdge(taskID: taskID, service: service, seed: seed) : nil)
    }

    func modelArtsTask(_ taskID: String, version versionID: String) -> ModelArtsTask? {
        modelArtsTasks["\(taskID)/\(versionID)"]
            ?? (derivesUnknownIDs ? DefaultJobs.modelArts(taskID: taskID, versionID: versionID, seed: seed) : nil)
    }

    /// Every sample of a task version, explicit or derived, with name and size filled in.
    func samples(of task: ModelArtsTask) -> [ModelArtsSample] {
        guard let samples = task.samples else {
            return (0..<(task.sampleCount ?? 0)).map {
                DefaultJobs.modelArtsSample(taskID: task.taskID, versionID: task.versionID, index: $0, seed: seed)
            }
        }
        return samples.enumerated().map { index, sample in
            let derived = DefaultJobs.modelArtsSample(taskID: task.taskID, versionID: task.versionID, index: index, seed: seed)
            var sample = sample
            sample.name = sample.name ?? derived.name
            sample.size = sample.size ?? derived.size
            return sample
        }
    }

    private static func validate(_ s: Scenario) throws {
        for job in s.tryon.jobs {
            try job.timeline.validateTimeline(named: "tryon job \(job.infID)") { TryOnJob.states.contains($0) }
            for spec in [job.files?.body, job.files?.show].compactMap({ $0 }) where spec.size < 0 {
                throw ScenarioError("tryon job \(job.infID): a file size is negative")
            }
        }
        for job in s.metastudio.jobs {
            try job.timeline.validateTimeline(named: "metastudio job \(job.jobID)") { MetaStudioJob.states.contains($0) }
        }
        try s.metastudio.createTimeline?.validateTimeline(named: "metastudio create_timeline") { MetaStudioJob.states.contains($0) }
        for task in s.faceedge.tasks {
            try task.timeline.validateTimeline(named: "faceedge task \(task.taskID)") { FaceEdgeTask.states.contains($0) }
        }
        for task in s.modelarts.tasks {
            if let samples = task.samples, let bad = samples.first(where: { !(0...3).contains($0.resultProperty) }) {
                throw ScenarioError("modelarts task \(task.taskID): result_property \(bad.resultProperty) is not 0...3")
            }
            if let count = task.sampleCount, count < 0 {
                throw ScenarioError("modelarts task \(task.taskID): sample_count is negative")
            }
        }
        let firewall = s.tryon.firewall
        guard firewall.maxRequests >= 1, firewall.windowSeconds > 0, firewall.blockSeconds >= 0 else {
            throw ScenarioError("tryon firewall: max_requests must be >= 1, window_seconds > 0, block_seconds >= 0")
        }
        guard s.tryon.queryCost >= 0, s.tryon.accounts.allSatisfy({ $0.coins >= 0 }) else {
            throw ScenarioError("tryon: query_cost and account coins must not be negative")
        }
        guard s.iam.tokenLifetimeSeconds > 0 else { throw ScenarioError("iam: token_lifetime_seconds must be positive") }
        guard s.objectStorage.urlLifetimeSeconds > 0 else { throw ScenarioError("object_storage: url_lifetime_seconds must be positive") }
        for rule in s.faults { _ = try rule.validatedRoutes() }
    }
}
