/// The default scenario's jobs: any id is known, and its timeline is derived from a hash of
/// the seed, the service and the id, so the same id always behaves the same way.
///
/// Outcomes, by the hash:
/// - try-on: 85% state 2 (succeeded), 15% state -1 (failed, one of three reasons); the job
///   starts at queue position 0...4 (15 s per position), then processes at position 0 for
///   90 s, or 600 s for one job in seven (a cold start, as the seed warns).
/// - MetaStudio: 80% SUCCEED, 8% FAILED, 6% PARTIAL_SUCCEED, 6% CANCELED (while WAITING);
///   WAITING 5...30 s, PROCESSING 30...120 s.
/// - face edge: 53% PENDING → STARTING → RUNNING (stays running); 15% ... → RUNNING → SUCCEEDED;
///   4% each: PENDING → CREATE_FAILED, ... STARTING → START_FAILED, ... RUNNING → FAILED,
///   ... RUNNING → ABNORMAL, ... RUNNING → STOPPING → STOPPED;
///   3% each: ... RUNNING → UPGRADING → RUNNING, ... RUNNING → RECOVERING → RUNNING,
///   ... RUNNING → FREEZING → FROZEN, ... RUNNING → STOPPING → STOPPED → DELETING.
/// - ModelArts: 10% of task versions have no results, the others 1...60 samples; per sample
///   40% added (3), 30% kept (0), 20% modified (1), 10% deleted (2).
enum DefaultJobs {
    static let tryOnFailures = [
        TryOnFailure(info: "没有检测到脸部,请上传正确的人体试衣照片", infoEn: "No face was detected. Please upload the correct human fitting photo."),
        TryOnFailure(info: "检测到多个人体,请上传单人照片", infoEn: "More than one person was detected. Please upload a photo of a single person."),
        TryOnFailure(info: "图片分辨率过低,请上传清晰的照片", infoEn: "The image resolution is too low. Please upload a clearer photo."),
    ]

    static let metaStudioFailures = [
        ServiceErrorInfo(errorCode: "MSS.00010001", errorMsg: "No face was detected in the picture."),
        ServiceErrorInfo(errorCode: "MSS.00010002", errorMsg: "The picture resolution is too low."),
        ServiceErrorInfo(errorCode: "MSS.00000004", errorMsg: "Internal Error"),
    ]

    static let coverFailure = ServiceErrorInfo(errorCode: "MSS.00010003", errorMsg: "Failed to render the model cover screenshot.")

    static func tryOn(infID: Int64, seed: UInt64) -> TryOnJob {
        var r = SplitMix64(seed: StableHash.of("tryon", String(infID), seed: seed))
        let bucket = r.next(in: 0...99)
        let start = r.next(in: 0...4)
        let cold = r.next(in: 0...6) == 0
        var timeline = (0..<start).map { TimelineStep(state: 1, seconds: 15, position: start - $0) }
        timeline.append(TimelineStep(state: 1, seconds: cold ? 600 : 90, position: 0))
        let failed = bucket >= 85
        timeline.append(TimelineStep(state: failed ? -1 : 2, position: 0))
        let files = TryOnFiles(body: FileSpec(size: r.next(in: 150_000...600_000)), show: FileSpec(size: r.next(in: 300_000...900_000)))
        let failure = failed ? tryOnFailures[r.next(in: 0...(tryOnFailures.count - 1))] : nil
        return TryOnJob(infID: infID, timeline: timeline, cost: 5.0, failure: failure, files: files)
    }

    static func metaStudio(jobID: String, seed: UInt64) -> MetaStudioJob {
        var r = SplitMix64(seed: StableHash.of("metastudio", jobID, seed: seed))
        let bucket = r.next(in: 0...99)
        let waiting = TimelineStep(state: "WAITING", seconds: Double(r.next(in: 5...30)))
        let processing = TimelineStep(state: "PROCESSING", seconds: Double(r.next(in: 30...120)))
        let timeline: [TimelineStep<String>]
        var error: ServiceErrorInfo?
        switch bucket {
        case 0..<80:
            timeline = [waiting, processing, TimelineStep(state: "SUCCEED")]
        case 80..<88:
            timeline = [waiting, processing, TimelineStep(state: "FAILED")]
            error = metaStudioFailures[r.next(in: 0...(metaStudioFailures.count - 1))]
        case 88..<94:
            timeline = [waiting, processing, TimelineStep(state: "PARTIAL_SUCCEED")]
            error = coverFailure
        default:
            timeline = [waiting, TimelineStep(state: "CANCELED")]
        }
        return MetaStudioJob(
            jobID: jobID,
            timeline: timeline,
            error: error,
            name: "model_" + Hex.encode(r.next()).prefix(6),
            styleID: r.next(in: 0...1) == 0 ? "system_male_001" : "system_female_001",
            modelAssetID: Hex.encode(r.next()) + Hex.encode(r.next()),
            cover: FileSpec(size: r.next(in: 50_000...200_000))
        )
    }

    /// The `error_info` of a created job whose scenario timeline ends in `state`: for FAILED
    /// one of the usual failures, picked by the id's hash; for PARTIAL_SUCCEED the cover's.
    static func metaStudioError(ending state: String, jobID: String, seed: UInt64) -> ServiceErrorInfo? {
        switch state {
        case "FAILED": metaStudioFailures[Int(StableHash.of("metastudio-error", jobID, seed: seed) % UInt64(metaStudioFailures.count))]
        case "PARTIAL_SUCCEED": coverFailure
        default: nil
        }
    }

    private static let faceEdgeVariants: [(weight: Int, tail: [String])] = [
        (53, ["RUNNING"]),
        (15, ["RUNNING", "SUCCEEDED"]),
        (4, ["CREATE_FAILED"]),
        (4, ["START_FAILED"]),
        (4, ["RUNNING", "FAILED"]),
        (4, ["RUNNING", "ABNORMAL"]),
        (4, ["RUNNING", "STOPPING", "STOPPED"]),
        (3, ["RUNNING", "UPGRADING", "RUNNING"]),
        (3, ["RUNNING", "RECOVERING", "RUNNING"]),
        (3, ["RUNNING", "FREEZING", "FROZEN"]),
        (3, ["RUNNING", "STOPPING", "STOPPED", "DELETING"]),
    ]

    static func faceEdge(taskID: String, service: String, seed: UInt64) -> FaceEdgeTask {
        var r = SplitMix64(seed: StableHash.of("faceedge", service, taskID, seed: seed))
        var bucket = r.next(in: 0...99)
        var tail = faceEdgeVariants[0].tail
        for variant in faceEdgeVariants {
            if bucket < variant.weight {
                tail = variant.tail
                break
            }
            bucket -= variant.weight
        }
        var states = ["PENDING"]
        if tail != ["CREATE_FAILED"] { states.append("STARTING") }
        states += tail
        let timeline = states.enumerated().map { index, state -> TimelineStep<String> in
            guard index < states.count - 1 else { return TimelineStep(state: state) }
            let seconds = switch state {
            case "PENDING": r.next(in: 2...10)
            case "STARTING": r.next(in: 5...30)
            case "RUNNING": r.next(in: 60...600)
            default: r.next(in: 5...20)
            }
            return TimelineStep(state: state, seconds: Double(seconds))
        }
        return FaceEdgeTask(taskID: taskID, service: service, name: "人脸提取-" + Hex.encode(r.next()).prefix(8), timeline: timeline)
    }

    static func modelArts(taskID: String, versionID: String, seed: UInt64) -> ModelArtsTask {
        var r = SplitMix64(seed: StableHash.of("modelarts", taskID, versionID, seed: seed))
        let count = r.next(in: 0...9) == 0 ? 0 : r.next(in: 1...60)
        return ModelArtsTask(taskID: taskID, versionID: versionID, sampleCount: count)
    }

    /// A derived sample of a task version.
    static func modelArtsSample(taskID: String, versionID: String, index: Int, seed: UInt64) -> ModelArtsSample {
        var r = SplitMix64(seed: StableHash.of("modelarts-sample", taskID, versionID, String(index), seed: seed))
        let roll = r.next(in: 0...99)
        let property = roll < 40 ? 3 : roll < 70 ? 0 : roll < 90 ? 1 : 2
        return ModelArtsSample(resultProperty: property, name: "\(index).jpg", size: r.next(in: 20_000...200_000))
    }
}
