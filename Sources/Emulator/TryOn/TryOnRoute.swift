import Hummingbird
import JSON

/// `POST|GET {ApiUrl}/api/inf/get_result` (seed 000), with the firewall and the coin ledger
/// in front of it.
struct TryOnRoute: Sendable {
    let state: EmulatorState

    func handle(_ req: ServiceRequest) async throws -> Reply {
        let ip = req.context.remoteIP
        guard state.firewall.admit(ip: ip, now: req.now) else {
            state.counters.recordFirewallBlock(ip: ip)
            return .proxyPage(.forbidden)
        }
        let body = try await req.request.body.collect(upTo: 64 * 1024)
        let query: TryOnQuery
        switch TryOnQuery.parse(query: req.query, body: body) {
        case .success(let parsed): query = parsed
        case .failure(.missing(let field)): return .tryOnError(.badRequest, "missing parameter \(field)")
        case .failure(.invalidInfID(let text)): return .tryOnError(.badRequest, "infId must be an integer, got \(text)")
        }
        let scenario = state.scenario
        // "Each call will consume 0.1 coins": the charge comes before the task lookup.
        let charge = state.coins.charge(openID: query.openID, apiKey: query.apiKey, price: scenario.scenario.tryon.queryCost)
        if charge == .unknownAccount {
            return .tryOnError(.unauthorized, "invalid openId or apiKey")
        }
        guard let job = scenario.tryOnJob(query.infID) else {
            return .tryOnError(.notFound, "task \(query.infID) not found")
        }
        let progress = state.jobs.query(of: .tryOn, id: String(query.infID), now: req.now)
        let position = state.position(on: job.timeline, progress, now: req.now)
        let reported = charge == .insufficient ? -2 : position.step.state
        return .json(.ok, Self.body(job: job, openID: query.openID, state: reported, position: position.step.position ?? 0))
    }

    /// The seed's envelope and fields, in the seed's order.
    static func body(job: TryOnJob, openID: String, state: Int, position: Int) -> String {
        let succeeded = state == 2
        let failure = state == -1 ? job.failure ?? DefaultJobs.tryOnFailures[0] : nil
        return """
            {"code":200,"msg":"ok","data":{"bmi":0.000402367,\
            "body_url":\(JSONValue.quoted(succeeded ? Buckets.tryOnBodyPath(infID: job.infID) : "")),\
            "cost":\(JSONValue.number(job.cost).serialized),"hairOcclued":0,"height":0.0,"id":\(job.infID),\
            "imgUrl1":"","imgUrl2":"","imgUrl3":"",\
            "infInfo":\(JSONValue.quoted(failure?.info ?? "")),"infInfoEn":\(JSONValue.quoted(failure?.infoEn ?? "")),\
            "ipId":"","isApi":1,"modelBmi":0.0,"openId":\(JSONValue.quoted(openID)),"position":\(state == 1 ? position : 0),\
            "shareUser":-1,"showUrl":\(JSONValue.quoted(succeeded ? Buckets.tryOnShowPath(infID: job.infID) : "")),\
            "state":\(state),"tempId":208,"useInfId":-1,"weight":0.0}}
            """
    }
}
