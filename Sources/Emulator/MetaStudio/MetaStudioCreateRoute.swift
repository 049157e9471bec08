import Hummingbird
import JSON
import NIOCore

/// `POST /v1/{project_id}/digital-human/stylized/picture-modelings`: creates a photo-modeling
/// job (see ``ModelingRequest`` for the body) and answers its `job_id` and `model_asset_id`.
/// The job is the one derived for its new id, with the request's name and style, on the
/// scenario's `metastudio.create_timeline` if it gives one; the timeline starts now, so the
/// GET route then walks it from the moment of creation.
struct MetaStudioCreateRoute: Sendable {
    let state: EmulatorState
    let gateway: HuaweiGateway
    let jobs: MetaStudioRoute

    /// The largest body read. The signature covers the body, so it is read whole, once, and
    /// handed to the gateway.
    static let maxBody = 1 << 20

    func handle(_ req: ServiceRequest) async throws -> Reply {
        let project = req.parameter("project_id")
        let body: ByteBuffer
        do {
            body = try await req.request.body.collect(upTo: Self.maxBody)
        } catch is NIOTooManyBytesError {
            return .service(.metaStudio, .badRequest, detail: "the request body is larger than 1 MiB")
        }
        if let refusal = try await gateway.admit(req, service: .metaStudio, pathProject: project, body: body) {
            return refusal
        }
        if let refusal = jobs.appUserRefusal(req) {
            return refusal
        }
        let request: ModelingRequest
        do {
            request = try ModelingRequest(contentType: req.header(.contentType), body: body)
        } catch {
            return .service(.metaStudio, .badRequest, detail: error.detail)
        }
        let createTimeline = state.scenario.scenario.metastudio.createTimeline
        let job = state.createdJobs.create { jobID in
            var job = DefaultJobs.metaStudio(jobID: jobID, seed: state.seed)
            job.name = request.name
            job.styleID = request.styleID
            if let createTimeline {
                job.timeline = createTimeline
                job.error = DefaultJobs.metaStudioError(ending: createTimeline[createTimeline.count - 1].state, jobID: jobID, seed: state.seed)
            }
            return job
        }
        state.jobs.start(of: .metaStudio, id: job.jobID, now: req.now)
        return .json(.ok, "{\"job_id\":\(JSONValue.quoted(job.jobID)),\"model_asset_id\":\(JSONValue.quoted(jobs.modelAssetID(of: job)))}")
    }
}
