import Hummingbird

/// `GET|HEAD /oss/{path}`: the try-on results behind `OssUrl + body_url` and `OssUrl + showUrl`,
/// public like the seed's `urlretrieve` expects. A file exists once its job reached state 2.
struct TryOnFileRoute: Sendable {
    let state: EmulatorState
    let responder: ObjectResponder

    static let requestIDHeader = HeaderName("x-oss-request-id")!

    func handle(_ req: ServiceRequest) async throws -> Reply {
        let path = req.catchAll
        guard let object = lookup(path: path, now: req.now) else {
            return .objectStorageError(.notFound, code: "NoSuchKey", message: "The specified key does not exist.", requestID: req.requestID)
        }
        return responder.serve(object, req, requestIDHeader: Self.requestIDHeader)
    }

    func lookup(path: String, now: Double) -> StoredObject? {
        let parts = path.split(separator: "/")
        guard parts.count == 3, parts[0] == "result", let infID = Int64(parts[1]),
            let job = state.scenario.tryOnJob(infID)
        else { return nil }
        let progress = state.jobs.progress(of: .tryOn, id: String(infID), now: now)
        let start = progress.start
        let position = state.position(on: job.timeline, progress, now: now)
        guard position.step.state == 2 else { return nil }
        let files = job.files ?? DefaultJobs.tryOn(infID: infID, seed: state.seed).files
        let spec: FileSpec? = switch parts[2] {
        case "body.png": files?.body
        case "show.jpg": files?.show
        default: nil
        }
        guard let spec else { return nil }
        let finished = state.realTime(start: start, scenarioSeconds: position.enteredAt)
        return StoredObject(path: "oss/\(path)", size: spec.size, lastModified: finished, seed: state.seed)
    }
}
