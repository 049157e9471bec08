import Hummingbird

/// `GET|HEAD /obs/{bucket}/{key}`: private buckets reachable only through URLs the emulator
/// signed. Expired → 403 `AccessDenied` "Request has expired"; a bad signature →
/// 403 `SignatureDoesNotMatch`; the method is part of what is signed, so a HEAD with a
/// GET-signed URL fails as it does on real object storage.
struct ObjectStorageRoute: Sendable {
    let state: EmulatorState
    let responder: ObjectResponder

    func handle(_ req: ServiceRequest) async throws -> Reply {
        let bucket = req.parameter("bucket")
        let key = req.catchAll.split(separator: "/", omittingEmptySubsequences: false).map { PercentEncoding.decode($0) }.joined(separator: "/")
        let query = req.query
        guard let accessKeyID = query["AccessKeyId"], let expiresText = query["Expires"], let signature = query["Signature"] else {
            return .objectStorageError(.forbidden, code: "AccessDenied", message: "Access Denied", requestID: req.requestID)
        }
        guard let expires = Int(expiresText) else {
            return .objectStorageError(.forbidden, code: "AccessDenied", message: "Invalid date (should be seconds since epoch)", requestID: req.requestID)
        }
        if req.faults.expiredURL || Double(expires) < req.now {
            return .objectStorageError(
                .forbidden,
                code: "AccessDenied",
                message: "Request has expired",
                requestID: req.requestID,
                extra: [("Expires", RFC3339.seconds(Double(expires))), ("ServerTime", RFC3339.seconds(req.now))]
            )
        }
        let resource = ObjectURLSigner.resource(bucket: bucket, key: key)
        let expected = state.objectSigner.signature(method: req.request.method.rawValue, expires: expires, resource: resource)
        guard accessKeyID == state.objectSigner.accessKeyID, signature == expected else {
            return .objectStorageError(
                .forbidden,
                code: "SignatureDoesNotMatch",
                message: "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
                requestID: req.requestID
            )
        }
        switch lookup(bucket: bucket, key: key, now: req.now) {
        case .noSuchBucket:
            return .objectStorageError(.notFound, code: "NoSuchBucket", message: "The specified bucket does not exist", requestID: req.requestID)
        case .noSuchKey:
            return .objectStorageError(.notFound, code: "NoSuchKey", message: "The specified key does not exist.", requestID: req.requestID)
        case .found(let object):
            return responder.serve(object, req, requestIDHeader: .obsRequestID)
        }
    }

    enum Lookup {
        case noSuchBucket, noSuchKey
        case found(StoredObject)
    }

    /// Objects exist when the job behind them says so: a cover once its job has SUCCEEDed,
    /// a sample's files as long as the sample is listed (no processed file for a deleted one).
    func lookup(bucket: String, key: String, now: Double) -> Lookup {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let scenario = state.scenario
        switch bucket {
        case Buckets.metaStudio:
            guard parts.count == 2, parts[0] == "covers", parts[1].hasSuffix(".png") else { return .noSuchKey }
            let jobID = String(parts[1].dropLast(4))
            guard let job = state.metaStudioJob(jobID) else { return .noSuchKey }
            let progress = state.jobs.progress(of: .metaStudio, id: jobID, now: now)
            let start = progress.start
            let position = state.position(on: job.timeline, progress, now: now)
            guard position.step.state == "SUCCEED" else { return .noSuchKey }
            let size = job.cover?.size ?? DefaultJobs.metaStudio(jobID: jobID, seed: state.seed).cover?.size ?? 0
            let finished = state.realTime(start: start, scenarioSeconds: position.enteredAt)
            return .found(StoredObject(path: "\(bucket)/\(key)", size: size, lastModified: finished, seed: state.seed))
        case Buckets.modelArts:
            let isOrigin = parts.count == 4 && parts[1] == "data"
            let isOutput = parts.count == 5 && parts[1] == "output" && parts[3] == "Data"
            guard isOrigin || isOutput, let task = scenario.modelArtsTask(parts[0], version: parts[2]) else { return .noSuchKey }
            let name = parts[parts.count - 1]
            guard let sample = scenario.samples(of: task).first(where: { $0.name == name }) else { return .noSuchKey }
            if isOutput, sample.resultProperty == 2 { return .noSuchKey }
            return .found(StoredObject(path: "\(bucket)/\(key)", size: sample.size ?? 0, lastModified: state.startedAt, seed: state.seed))
        default:
            return .noSuchBucket
        }
    }
}
