import Hummingbird
import JSON

/// `GET /v1/{project_id}/digital-human/stylized/picture-modelings/{job_id}` (seed 001).
struct MetaStudioRoute: Sendable {
    let state: EmulatorState
    let gateway: HuaweiGateway

    func handle(_ req: ServiceRequest) async throws -> Reply {
        let project = req.parameter("project_id")
        if let refusal = try await gateway.admit(req, service: .metaStudio, pathProject: project) {
            return refusal
        }
        if let refusal = appUserRefusal(req) {
            return refusal
        }
        let jobID = req.parameter("job_id")
        guard let job = state.metaStudioJob(jobID) else {
            return .service(.metaStudio, .notFound, detail: "job \(jobID) does not exist")
        }
        let progress = state.jobs.query(of: .metaStudio, id: jobID, now: req.now)
        let start = progress.start
        let position = state.position(on: job.timeline, progress, now: req.now)
        return .json(.ok, body(job: job, position: position, start: start, req: req))
    }

    private func body(job: MetaStudioJob, position: TimelinePosition<String>, start: Double, req: ServiceRequest) -> String {
        let stateName = position.step.state
        var out = "{\"job_id\":\(JSONValue.quoted(job.jobID)),\"state\":\(JSONValue.quoted(stateName))"
        // start_time is when processing began; end_time is set once the job is over.
        if let processingStart = startTime(of: job, start: start, upTo: position.index) {
            out += ",\"start_time\":\"\(RFC3339.seconds(processingStart))\""
        }
        let terminal = MetaStudioJob.terminal.contains(stateName)
        if terminal {
            out += ",\"end_time\":\"\(RFC3339.seconds(state.realTime(start: start, scenarioSeconds: position.enteredAt)))\""
        }
        let reportsError = stateName == "FAILED" || stateName == "PARTIAL_SUCCEED"
        if reportsError, let error = job.error {
            out += ",\"error_info\":{\"error_code\":\(JSONValue.quoted(error.errorCode)),\"error_msg\":\(JSONValue.quoted(error.errorMsg))}"
        } else {
            out += ",\"error_info\":null"
        }
        if stateName == "SUCCEED" || stateName == "PARTIAL_SUCCEED" {
            out += ",\"model_asset_id\":\(JSONValue.quoted(modelAssetID(of: job)))"
        }
        out += ",\"name\":\(JSONValue.quoted(job.name)),\"style_id\":\(JSONValue.quoted(job.styleID))"
        if stateName == "SUCCEED" {
            let expires = req.faults.expiredURL ? Int(req.now) - 60 : Int(req.now + state.scenario.scenario.objectStorage.urlLifetimeSeconds)
            let resource = ObjectURLSigner.resource(bucket: Buckets.metaStudio, key: Buckets.coverKey(jobID: job.jobID))
            out += ",\"model_cover_url\":\(JSONValue.quoted(state.objectSigner.url(baseURL: state.baseURL + "/obs", resource: resource, expires: expires)))"
        }
        return out + "}"
    }

    /// The real time processing began, if the job got that far (a job canceled while waiting
    /// never started).
    private func startTime(of job: MetaStudioJob, start: Double, upTo index: Int) -> Double? {
        var offset = 0.0
        for step in job.timeline[...index] {
            if step.state != "WAITING", step.state != "CANCELED" { return state.realTime(start: start, scenarioSeconds: offset) }
            offset += step.seconds ?? 0
        }
        return nil
    }

    /// MetaStudio's 400 for an `X-App-UserId` that is not printable ASCII (both MetaStudio routes).
    func appUserRefusal(_ req: ServiceRequest) -> Reply? {
        guard let user = req.header(.appUserID), !user.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) else { return nil }
        return .service(.metaStudio, .badRequest, detail: "X-App-UserId must be ASCII")
    }

    func modelAssetID(of job: MetaStudioJob) -> String {
        job.modelAssetID ?? Hex.encode(StableHash.of("asset", job.jobID, seed: state.seed)) + Hex.encode(StableHash.of("asset2", job.jobID, seed: state.seed))
    }
}
