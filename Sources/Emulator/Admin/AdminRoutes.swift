import Foundation
import Hummingbird
import JSON

/// The admin API under `/_emulator/`, for tests and for scripts that drive a running emulator:
///
/// | request | effect |
/// |---|---|
/// | `GET /_emulator/config` | the ready moonwatch.toml |
/// | `GET /_emulator/counters` | ``EmulatorCounters`` as JSON |
/// | `GET /_emulator/scenario` | the loaded scenario |
/// | `POST /_emulator/scenario` | load a scenario (JSON body); resets state |
/// | `POST /_emulator/reset` | forget job starts, created jobs, tokens, balances, firewall, counters; re-install the scenario's faults |
/// | `GET /_emulator/faults` | installed rules with `seen` and `fired` |
/// | `POST /_emulator/faults` | add one rule or an array of rules |
/// | `DELETE /_emulator/faults` | remove every rule |
/// | `POST /_emulator/clock` | `{"advance_seconds": N}`: move the emulator's clock forward |
/// | `GET /_emulator/timeline?service=S&id=ID` | the job behind an id (S: tryon, metastudio, faceedge (`&task_service=`), modelarts (`&version=`)) |
/// | `GET /_emulator/objects/info?path=P` | size, sha256, md5 and ETag of a file (`/oss/...` or `/obs/...`) |
/// | `GET\|HEAD\|POST\|PUT\|PATCH\|DELETE /_emulator/echo[/...]` | the request back as JSON, steered by `status`, `delay_ms`, `redirect`, `redirect_status`, `bytes`, `content_type` (``EchoRoute``; route `echo`, faultable) |
struct AdminRoutes: Sendable {
    let state: EmulatorState
    let objects: ObjectStorageRoute
    let files: TryOnFileRoute

    func config(_ req: ServiceRequest) async throws -> Reply {
        .text(.ok, configTOML(), contentType: "application/toml; charset=utf-8")
    }

    func configTOML() -> String {
        ConfigTOML.make(baseURL: state.baseURL, firewall: state.scenario.scenario.tryon.firewall, seed: state.seed, speed: state.speed)
    }

    func counters(_ req: ServiceRequest) async throws -> Reply {
        try Self.json(state.counters.snapshot(coins: state.coins.snapshot()))
    }

    func scenario(_ req: ServiceRequest) async throws -> Reply {
        try Self.json(state.scenario.scenario)
    }

    func loadScenario(_ req: ServiceRequest) async throws -> Reply {
        let body = try await req.request.body.collect(upTo: 16 << 20)
        do {
            let scenario = try Scenario.decode(from: Data(body.readableBytesView))
            try state.load(scenario)
            return .json(.ok, "{\"loaded\":true}")
        } catch {
            return Self.problem("\(error)")
        }
    }

    func reset(_ req: ServiceRequest) async throws -> Reply {
        state.reset()
        return .json(.ok, "{\"reset\":true}")
    }

    private struct InstalledRule: Encodable {
        let rule: FaultRule
        let seen: Int
        let fired: Int

        func encode(to encoder: any Encoder) throws {
            try rule.encode(to: encoder)
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(seen, forKey: .seen)
            try c.encode(fired, forKey: .fired)
        }

        enum Keys: String, CodingKey { case seen, fired }
    }

    func faults(_ req: ServiceRequest) async throws -> Reply {
        try Self.json(state.faults.snapshot().map { InstalledRule(rule: $0.rule, seen: $0.seen, fired: $0.fired) })
    }

    func addFaults(_ req: ServiceRequest) async throws -> Reply {
        let data = Data(try await req.request.body.collect(upTo: 1 << 20).readableBytesView)
        let decoder = JSONDecoder()
        do {
            let isList = data.first { $0 != 0x20 && $0 != 0x0a && $0 != 0x0d && $0 != 0x09 } == UInt8(ascii: "[")
            let rules = isList ? try decoder.decode([FaultRule].self, from: data) : [try decoder.decode(FaultRule.self, from: data)]
            try state.faults.install(rules)
            return .json(.ok, "{\"installed\":\(rules.count)}")
        } catch {
            return Self.problem("\(error)")
        }
    }

    func clearFaults(_ req: ServiceRequest) async throws -> Reply {
        state.faults.clear()
        return .json(.ok, "{\"cleared\":true}")
    }

    private struct ClockRequest: Decodable {
        let advanceSeconds: Double

        enum CodingKeys: String, CodingKey { case advanceSeconds = "advance_seconds" }
    }

    func clock(_ req: ServiceRequest) async throws -> Reply {
        let data = Data(try await req.request.body.collect(upTo: 64 * 1024).readableBytesView)
        guard let request = try? JSONDecoder().decode(ClockRequest.self, from: data), request.advanceSeconds >= 0 else {
            return Self.problem("expected {\"advance_seconds\": N} with N >= 0")
        }
        state.time.advance(by: request.advanceSeconds)
        return .json(.ok, "{\"now\":\(state.now())}")
    }

    func timeline(_ req: ServiceRequest) async throws -> Reply {
        let query = req.query
        guard let service = query["service"], let id = query["id"] else { return Self.problem("service and id are required") }
        let scenario = state.scenario
        let found: Reply?
        switch service {
        case "tryon":
            guard let infID = Int64(id) else { return Self.problem("a try-on id is an integer") }
            found = try scenario.tryOnJob(infID).map(Self.json)
        case "metastudio":
            found = try state.metaStudioJob(id).map(Self.json)
        case "faceedge":
            found = try scenario.faceEdgeTask(id, service: query["task_service"] ?? "c-face-edge").map(Self.json)
        case "modelarts":
            guard let version = query["version"] else { return Self.problem("modelarts needs version") }
            found = try scenario.modelArtsTask(id, version: version).map { task in
                try Self.json(ModelArtsTask(taskID: task.taskID, versionID: task.versionID, samples: scenario.samples(of: task)))
            }
        default:
            return Self.problem("service is one of tryon, metastudio, faceedge, modelarts")
        }
        return found ?? .json(.notFound, "{\"error\":\"unknown id\"}")
    }

    func objectInfo(_ req: ServiceRequest) async throws -> Reply {
        guard let path = req.query["path"] else { return Self.problem("path is required") }
        let segments = path.split(separator: "?")[0].split(separator: "/").map { PercentEncoding.decode($0) }
        let object: StoredObject?
        if segments.first == "obs", segments.count >= 3 {
            if case .found(let found) = objects.lookup(bucket: segments[1], key: segments[2...].joined(separator: "/"), now: req.now) {
                object = found
            } else {
                object = nil
            }
        } else if segments.first == "oss" {
            object = files.lookup(path: segments.dropFirst().joined(separator: "/"), now: req.now)
        } else {
            object = nil
        }
        guard let object else { return .json(.notFound, "{\"error\":\"no such object\"}") }
        let digests = state.digests.digests(of: object)
        return .json(.ok, "{\"size\":\(object.size),\"sha256\":\"\(digests.sha256)\",\"md5\":\"\(digests.md5)\",\"etag\":\(JSONValue.quoted(digests.etag))}")
    }

    private static func json(_ value: some Encodable) throws -> Reply {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return .json(.ok, String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    private static func problem(_ message: String) -> Reply {
        .json(.badRequest, "{\"error\":\(JSONValue.quoted(message))}")
    }
}
