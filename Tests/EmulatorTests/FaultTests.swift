import Emulator
import Foundation
import Testing

@Suite struct FaultTests {
    @Test(arguments: [(500, "MSS.00000004"), (502, "APIG.0202"), (503, "MSS.00000004")])
    func serverErrorsOnAScheduledRequest(status: Int, code: String) async throws {
        let rule = FaultRule(route: "metastudio.job", kind: .error, status: status, requests: [3])
        try await EmulatorHarness.with(scenario: Scenario(faults: [rule])) { h in
            var statuses: [Int] = []
            var third: TestResponse?
            for i in 1...5 {
                let r = try await h.signedGET(h.metaStudioPath("j"))
                statuses.append(r.status)
                if i == 3 { third = r }
            }
            #expect(statuses == [200, 200, status, 200, 200])
            #expect(third?.json["error_code"] as? String == code)
            #expect(third?.header("X-Request-Id") != nil)
            #expect(h.emulator.counters().faultsInjected["metastudio.job"]?["error"] == 1)
        }
    }

    @Test func throttlingSaysWhenToRetry() async throws {
        try await EmulatorHarness.with { h in
            try h.emulator.addFaults([FaultRule(route: "modelarts.results", kind: .throttle, retryAfter: 3, limit: 1), FaultRule(route: "tryon.result", kind: .throttle)])
            let r = try await h.signedGET(h.modelArtsPath(task: "t", version: "v"))
            #expect(r.status == 429)
            #expect(r.header("Retry-After") == "3")
            #expect(r.json["error_code"] as? String == "APIG.0308")
            #expect((r.json["error_msg"] as? String)?.hasPrefix("The throttling threshold has been reached") == true)
            #expect(try await h.signedGET(h.modelArtsPath(task: "t", version: "v")).status == 200, "limit 1")
            let tryOn = try await h.tryOn(1)
            #expect(tryOn.status == 429 && tryOn.header("Retry-After") == "2")
        }
    }

    @Test func addedLatency() async throws {
        try await EmulatorHarness.with { h in
            try h.emulator.addFaults([FaultRule(route: "*", kind: .latency, latencyMs: 300)])
            let started = ContinuousClock.now
            #expect(try await h.signedGET(h.faceEdgePath("t")).status == 200)
            #expect(ContinuousClock.now - started >= .milliseconds(300))
        }
    }

    static let fileScenario = Scenario(tryon: .init(jobs: [TryOnJob(infID: 9, timeline: [.init(state: 2)], files: .init(body: .init(size: 200_000), show: .init(size: 10)))]))

    @Test func connectionResetMidResponse() async throws {
        try await EmulatorHarness.with(scenario: Self.fileScenario) { h in
            _ = try await h.tryOn(9)
            try h.emulator.addFaults([FaultRule(route: "tryon.file", kind: .reset, limit: 1)])
            let cut = try await TestHTTP.sendPartial(h.base + "/oss/result/9/body.png")
            #expect(cut.status == 200)
            #expect(cut.error != nil)
            #expect(cut.received < 200_000)
            let whole = try await TestHTTP.sendPartial(h.base + "/oss/result/9/body.png")
            #expect(whole.error == nil && whole.received == 200_000)
        }
    }

    @Test func truncatedBodyUnderAFullContentLength() async throws {
        try await EmulatorHarness.with(scenario: Self.fileScenario) { h in
            _ = try await h.tryOn(9)
            try h.emulator.addFaults([FaultRule(route: "tryon.file", kind: .truncate, limit: 1), FaultRule(route: "metastudio.job", kind: .truncate, limit: 1)])
            let cut = try await TestHTTP.sendPartial(h.base + "/oss/result/9/body.png")
            #expect(cut.headers.first(name: "Content-Length") == "200000")
            #expect(cut.error != nil)
            // Half the body is on the wire (curl shows exactly 100000 bytes); a client may hand out less.
            #expect(cut.received <= 100_000)
            // JSON routes are cut the same way.
            await #expect(throws: (any Error).self) { try await h.signedGET(h.metaStudioPath("j")) }
            #expect(h.emulator.counters().faultsInjected["tryon.file"]?["truncate"] == 1)
        }
    }

    @Test func malformedJSON() async throws {
        try await EmulatorHarness.with { h in
            try h.emulator.addFaults([FaultRule(route: "faceedge.task", kind: .malformedJSON), FaultRule(route: "metastudio.job", kind: .malformedJSON)])
            let face = try await h.signedGET(h.faceEdgePath("t"))
            #expect(face.status == 200)
            #expect((try? JSONSerialization.jsonObject(with: Data(face.body))) == nil)
            // The seed's own defect: target_roi's quotes unescaped.
            #expect(face.text.contains("\"target_roi\":\"{\"polygons\":[{\"data\":[[100,100]"))
            let meta = try await h.signedGET(h.metaStudioPath("j"))
            #expect(meta.status == 200 && (try? JSONSerialization.jsonObject(with: Data(meta.body))) == nil)
        }
    }

    @Test func rangeIgnored() async throws {
        try await EmulatorHarness.with(scenario: Self.fileScenario) { h in
            _ = try await h.tryOn(9)
            try h.emulator.addFaults([FaultRule(route: "tryon.file", kind: .ignoreRange)])
            let r = try await TestHTTP.send(.GET, h.base + "/oss/result/9/body.png", headers: ["Range": "bytes=100-"])
            #expect(r.status == 200 && r.body.count == 200_000 && r.header("Content-Range") == nil)
        }
    }

    @Test func signedURLAlreadyExpired() async throws {
        let scenario = Scenario(modelarts: .init(tasks: [ModelArtsTask(taskID: "t", versionID: "v", sampleCount: 1)]))
        try await EmulatorHarness.with(scenario: scenario) { h in
            try h.emulator.addFaults([FaultRule(route: "modelarts.results", kind: .expiredURL, limit: 1)])
            let stale = try await h.signedGET(h.modelArtsPath(task: "t", version: "v")).json["results"] as? [[String: Any]]
            let staleURL = try #require(stale?.first?["signed_origin_source"] as? String)
            let refused = try await TestHTTP.send(.GET, staleURL)
            #expect(refused.status == 403 && refused.text.contains("Request has expired"))
            let fresh = try await h.signedGET(h.modelArtsPath(task: "t", version: "v")).json["results"] as? [[String: Any]]
            #expect(try await TestHTTP.send(.GET, try #require(fresh?.first?["signed_origin_source"] as? String)).status == 200)
            // On the object route itself, a valid URL is answered as expired.
            try h.emulator.addFaults([FaultRule(route: "obs.object", kind: .expiredURL, limit: 1)])
            let url = try #require(fresh?.first?["signed_origin_source"] as? String)
            #expect(try await TestHTTP.send(.GET, url).status == 403)
            #expect(try await TestHTTP.send(.GET, url).status == 200)
        }
    }

    @Test func probabilityIsReproducibleForASeed() async throws {
        func statuses(seed: UInt64) async throws -> [Int] {
            try await EmulatorHarness.with(scenario: Scenario(faults: [FaultRule(route: "faceedge.task", kind: .error, status: 503, probability: 0.3)]), seed: seed) { h in
                var out: [Int] = []
                for _ in 0..<100 { out.append(try await h.signedGET(h.faceEdgePath("t")).status) }
                return out
            }
        }
        let first = try await statuses(seed: 1)
        let failures = first.filter { $0 == 503 }.count
        #expect((15...45).contains(failures))
        #expect(try await statuses(seed: 1) == first)
    }

    @Test func invalidRulesAreRefused() async throws {
        try await EmulatorHarness.with { h in
            #expect(throws: (any Error).self) { try h.emulator.addFaults([FaultRule(route: "obs.object", kind: .malformedJSON)]) }
            #expect(throws: (any Error).self) { try h.emulator.addFaults([FaultRule(route: "nowhere", kind: .reset)]) }
            #expect(throws: (any Error).self) { try h.emulator.addFaults([FaultRule(route: "*", kind: .error, status: 404)]) }
            let r = try await h.admin(.POST, "faults", json: "{\"route\":\"metastudio.job\",\"kind\":\"latency\"}")
            #expect(r.status == 400 && (r.json["error"] as? String)?.contains("latency_ms") == true)
        }
    }
}
