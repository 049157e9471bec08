import Crypto
import Hummingbird
import JSON

/// `GET /v2/{project_id}/processor-tasks/{task_id}/versions/{version_id}/results` (seed 002).
/// `offset` is a page index (the docs' "start page"), `limit` 1...100 (default 10),
/// `result_property` -1 (all, default) or 0...3, `process_parameter` accepted and ignored.
struct ModelArtsRoute: Sendable {
    let state: EmulatorState
    let gateway: HuaweiGateway

    func handle(_ req: ServiceRequest) async throws -> Reply {
        let project = req.parameter("project_id")
        if let refusal = try await gateway.admit(req, service: .modelArts, pathProject: project) {
            return refusal
        }
        let query = req.query
        guard let limit = Self.integer(query["limit"], default: 10), (1...100).contains(limit) else {
            return .service(.modelArts, .badRequest, detail: "limit must be an integer from 1 to 100")
        }
        guard let page = Self.integer(query["offset"], default: 0), page >= 0 else {
            return .service(.modelArts, .badRequest, detail: "offset must be a page index >= 0")
        }
        guard let property = Self.integer(query["result_property"], default: -1), (-1...3).contains(property) else {
            return .service(.modelArts, .badRequest, detail: "result_property must be -1, 0, 1, 2 or 3")
        }
        let taskID = req.parameter("task_id"), versionID = req.parameter("version_id")
        let scenario = state.scenario
        guard let task = scenario.modelArtsTask(taskID, version: versionID) else {
            return .service(.modelArts, .notFound, detail: "task \(taskID) version \(versionID)")
        }
        let matching = scenario.samples(of: task).filter { property == -1 || $0.resultProperty == property }
        let first = min(page * limit, matching.count)
        let last = min(first + limit, matching.count)
        let hasMore = switch scenario.scenario.modelarts.hasMore {
        case .morePages: last < matching.count
        case .allReturned: last >= matching.count
        }
        let expires = req.faults.expiredURL ? Int(req.now) - 60 : Int(req.now + scenario.scenario.objectStorage.urlLifetimeSeconds)
        var out = "{\"count\":\(matching.count),\"results\":["
        for (i, sample) in matching[first..<last].enumerated() {
            if i > 0 { out += "," }
            out += json(sample, task: task, expires: expires)
        }
        out += "],\"has_more\":\(hasMore)}"
        return .json(.ok, out)
    }

    private func json(_ sample: ModelArtsSample, task: ModelArtsTask, expires: Int) -> String {
        let name = sample.name ?? ""
        let originKey = Buckets.originKey(task: task.taskID, version: task.versionID, name: name)
        let outputKey = Buckets.outputKey(task: task.taskID, version: task.versionID, name: name)
        let base = state.baseURL + "/obs"
        let signer = state.objectSigner
        var out = "{\"sample_id\":\"\(Hex.encode(Insecure.MD5.hash(data: Array(outputKey.utf8))))\""
        out += ",\"version_id\":\(JSONValue.quoted(task.versionID))"
        out += ",\"origin_source\":\(JSONValue.quoted("s3://\(Buckets.modelArts)/\(originKey)"))"
        // A deleted sample (2) has no processed file.
        if sample.resultProperty != 2 {
            out += ",\"new_source\":\(JSONValue.quoted("obs://\(Buckets.modelArts)/\(outputKey)"))"
        }
        let originURL = signer.url(baseURL: base, resource: ObjectURLSigner.resource(bucket: Buckets.modelArts, key: originKey), expires: expires)
        out += ",\"signed_origin_source\":\(JSONValue.quoted(originURL))"
        if sample.resultProperty != 2 {
            let outputURL = signer.url(baseURL: base, resource: ObjectURLSigner.resource(bucket: Buckets.modelArts, key: outputKey), expires: expires)
            out += ",\"signed_new_source\":\(JSONValue.quoted(outputURL))"
        }
        out += ",\"result_property\":\(sample.resultProperty),\"result_description\":["
        let description = sample.description ?? Self.description(for: sample.resultProperty)
        out += description.map { "[" + $0.map(JSONValue.quoted).joined(separator: ",") + "]" }.joined(separator: ",")
        return out + "]}"
    }

    static func description(for property: Int) -> [[String]] {
        switch property {
        case 3: [["use AddNoise augmentation"], ["result_description to translate"]]
        case 1: [["use Crop augmentation"]]
        case 2: [["duplicate sample removed"]]
        default: []
        }
    }

    /// The integer in a query value; `fallback` when absent, nil when not an integer.
    private static func integer(_ text: String?, default fallback: Int) -> Int? {
        guard let text else { return fallback }
        return Int(text)
    }
}
