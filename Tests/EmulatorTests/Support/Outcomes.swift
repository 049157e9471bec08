@testable import Emulator

/// Ids of the default scenario, found by outcome, so tests can reach every state.
enum Outcomes {
    static func metaStudioJob(ending state: String, seed: UInt64 = 0) -> MetaStudioJob {
        (0..<10_000).lazy.map { DefaultJobs.metaStudio(jobID: "job-\($0)", seed: seed) }
            .first { $0.timeline.last?.state == state }!
    }

    static func tryOnJob(ending state: Int, seed: UInt64 = 0) -> TryOnJob {
        (1..<10_000).lazy.map { DefaultJobs.tryOn(infID: Int64($0), seed: seed) }
            .first { $0.timeline.last?.state == state && $0.timeline.count > 2 }!
    }

    static func faceEdgeTask(path states: [String], seed: UInt64 = 0) -> FaceEdgeTask {
        (0..<10_000).lazy.map { DefaultJobs.faceEdge(taskID: "task-\($0)", service: "c-face-edge", seed: seed) }
            .first { $0.timeline.map(\.state) == states }!
    }

    static func modelArtsTask(minimumSamples: Int, seed: UInt64 = 0) -> ModelArtsTask {
        (0..<10_000).lazy.map { DefaultJobs.modelArts(taskID: "task-\($0)", versionID: "v1", seed: seed) }
            .first { ($0.sampleCount ?? 0) >= minimumSamples }!
    }
}
