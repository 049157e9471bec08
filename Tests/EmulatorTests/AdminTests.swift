import Emulator
import Foundation
import Testing

@Suite struct AdminTests {
    /// `key = value` lines per `[section]`, enough TOML for checking the generated file.
    static func parse(_ toml: String) -> [String: [String: String]] {
        var out: [String: [String: String]] = [:]
        var section = ""
        for line in toml.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) where !line.hasPrefix("#") && !line.isEmpty {
            if line.hasPrefix("[") {
                section = String(line.dropFirst().dropLast())
                continue
            }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let value = parts[1].split(separator: "#")[0].trimmingCharacters(in: .whitespaces)
            out[section, default: [:]][parts[0]] = value.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return out
    }

    @Test func theConfigPointsEveryServiceHere() async throws {
        try await EmulatorHarness.with { h in
            let served = try await h.admin(.GET, "config")
            #expect(served.status == 200)
            #expect(served.text == h.emulator.configTOML)
            let toml = Self.parse(served.text)
            #expect(Set(toml.keys) == ["", "tryon", "huaweicloud", "metastudio", "modelarts", "faceedge"])
            #expect(Set(toml[""]!.keys) == ["out", "concurrency"])
            #expect(toml["tryon"] == [
                "api_url": h.base + "/tryon", "oss_url": h.base + "/oss/", "open_id_env": "TRYON_OPEN_ID",
                "api_key_env": "TRYON_API_KEY", "rate": "10/min", "max_coins": "50.0",
            ])
            #expect(toml["huaweicloud"] == ["region": "cn-east-3", "project_id": "mw-demo-project", "ak_env": "CLOUD_SDK_AK", "sk_env": "CLOUD_SDK_SK"])
            #expect(toml["metastudio"]?["endpoint"] == h.base)
            #expect(toml["modelarts"] == ["endpoint": h.base])
            #expect(toml["faceedge"] == ["endpoint": h.base])
            #expect(served.text.contains("export CLOUD_SDK_AK=MWDEMOAK CLOUD_SDK_SK=mw-demo-secret"))
            #expect(served.text.contains("export TRYON_OPEN_ID=mw-demo-open-id TRYON_API_KEY=mw-demo-api-key"))
        }
    }

    @Test func theConfiguredRateStaysUnderTheFirewall() async throws {
        let firewall = TryOnFirewall(maxRequests: 6, windowSeconds: 60, blockSeconds: 60)
        try await EmulatorHarness.with(scenario: Scenario(tryon: .init(firewall: firewall))) { h in
            #expect(Self.parse(h.emulator.configTOML)["tryon"]?["rate"] == "3/min")
        }
    }

    @Test func countersByRouteAndStatus() async throws {
        try await EmulatorHarness.with { h in
            _ = try await h.signedGET(h.metaStudioPath("j"))
            _ = try await h.signedGET(h.metaStudioPath("j"), signer: TestSigner(accessKey: "MWDEMOAK", secretKey: "x"))
            _ = try await h.tryOn(1)
            let missing = try await TestHTTP.send(.GET, h.base + "/no/such/route")
            #expect(missing.status == 404 && missing.json["error_code"] as? String == "APIG.0101")
            #expect(missing.header("X-Request-Id") != nil)
            let counters = try await h.admin(.GET, "counters").json
            let requests = counters["requests"] as? [String: [String: Int]]
            #expect(requests?["metastudio.job"] == ["200": 1, "401": 1])
            #expect(requests?["tryon.result"] == ["200": 1])
            #expect(requests?["unmatched"] == ["404": 1])
            #expect((counters["coins_charged"] as? [String: Double])?["mw-demo-open-id"] == 0.1)
            #expect((counters["bytes_served"] as? Int ?? 0) > 0)
            #expect(counters["firewall_blocks"] as? Int == 0)
        }
    }

    @Test func loadScenarioResetAndErrors() async throws {
        try await EmulatorHarness.with { h in
            let scenario = """
                {"unknown_ids": "not_found", "metastudio": {"jobs": [{"job_id": "only", "timeline": [{"state": "SUCCEED"}]}]},
                 "faults": [{"route": "faceedge.task", "kind": "error", "status": 500}]}
                """
            #expect(try await h.admin(.POST, "scenario", json: scenario).status == 200)
            #expect(try await h.signedGET(h.metaStudioPath("only")).json["state"] as? String == "SUCCEED")
            #expect(try await h.signedGET(h.metaStudioPath("other")).status == 404)
            #expect(try await h.signedGET(h.faceEdgePath("t")).status == 500)
            let current = try await h.admin(.GET, "scenario").json
            #expect(current["unknown_ids"] as? String == "not_found")

            let typo = try await h.admin(.POST, "scenario", json: "{\"unknown_id\": \"not_found\"}")
            #expect(typo.status == 400)
            #expect((typo.json["error"] as? String)?.contains("unknown key \"unknown_id\"") == true)
            let badState = try await h.admin(.POST, "scenario", json: "{\"metastudio\": {\"jobs\": [{\"job_id\": \"x\", \"timeline\": [{\"state\": \"DONE\"}]}]}}")
            #expect(badState.status == 400 && (badState.json["error"] as? String)?.contains("unknown state DONE") == true)

            #expect(try await h.admin(.POST, "reset").status == 200)
            let counters = try await h.admin(.GET, "counters").json
            let requests = try #require(counters["requests"] as? [String: Any])
            #expect(requests["metastudio.job"] == nil)
        }
    }

    @Test func faultsOverTheAdminAPI() async throws {
        try await EmulatorHarness.with { h in
            #expect(try await h.admin(.POST, "faults", json: "[{\"route\":\"metastudio.job\",\"kind\":\"error\",\"status\":503,\"requests\":[2]}]").status == 200)
            _ = try await h.signedGET(h.metaStudioPath("j"))
            #expect(try await h.signedGET(h.metaStudioPath("j")).status == 503)
            let listed = try JSONSerialization.jsonObject(with: Data(try await h.admin(.GET, "faults").body)) as? [[String: Any]]
            #expect(listed?.first?["seen"] as? Int == 2 && listed?.first?["fired"] as? Int == 1)
            #expect(try await h.admin(.DELETE, "faults").status == 200)
            #expect((try JSONSerialization.jsonObject(with: Data(try await h.admin(.GET, "faults").body)) as? [Any])?.isEmpty == true)
        }
    }

    @Test func clockAndTimeline() async throws {
        let job = Outcomes.metaStudioJob(ending: "SUCCEED")
        try await EmulatorHarness.with { h in
            let timeline = try await h.admin(.GET, "timeline?service=metastudio&id=\(job.jobID)").json
            #expect((timeline["timeline"] as? [[String: Any]])?.map { $0["state"] as? String } == ["WAITING", "PROCESSING", "SUCCEED"])
            #expect(try await h.admin(.GET, "timeline?service=tryon&id=12").json["inf_id"] as? Int == 12)
            #expect(try await h.admin(.GET, "timeline?service=faceedge&id=t").json["task_id"] as? String == "t")
            #expect((try await h.admin(.GET, "timeline?service=modelarts&id=t&version=v").json["samples"] as? [Any])?.isEmpty == false)

            _ = try await h.signedGET(h.metaStudioPath(job.jobID))
            let before = h.clock.now()
            let moved = try await h.admin(.POST, "clock", json: "{\"advance_seconds\": 3600}").json
            #expect(abs((moved["now"] as? Double ?? 0) - (before + 3600)) < 1)
            // The client signs with the emulator's new time, as a client whose clock matches would.
            #expect(try await h.signedGET(h.metaStudioPath(job.jobID), date: before + 3600).json["state"] as? String == "SUCCEED")
        }
    }

    @Test func everyRouteCarriesARequestID() async throws {
        try await EmulatorHarness.with { h in
            let responses = [
                try await h.tryOn(1),
                try await TestHTTP.send(.GET, h.base + "/oss/result/1/body.png"),
                try await h.signedGET(h.metaStudioPath("j")),
                try await h.signedGET(h.modelArtsPath(task: "t", version: "v")),
                try await h.signedGET(h.faceEdgePath("t")),
                try await TestHTTP.send(.POST, h.base + "/v3/auth/tokens", body: IAMTokenTests.tokenRequest()),
                try await TestHTTP.send(.GET, h.base + "/obs/mw-modelarts/x"),
                try await h.admin(.GET, "counters"),
                try await TestHTTP.send(.PUT, h.base + "/v3/auth/tokens"),
            ]
            let ids = responses.compactMap { $0.header("X-Request-Id") }
            #expect(ids.count == responses.count)
            #expect(Set(ids).count == ids.count)
        }
    }
}
