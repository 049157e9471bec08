@testable import Emulator
import Foundation
import Testing

@Suite struct MetaStudioCreateTests {
    /// Created jobs that need one poll per step.
    static let pollingScenario = Scenario(metastudio: .init(createTimeline: [
        .init(state: "WAITING", polls: 1), .init(state: "PROCESSING", polls: 1), .init(state: "SUCCEED"),
    ]))

    static func json(_ text: String) -> [UInt8] { Array(text.utf8) }

    static let boundary = "mw-test-boundary-7f3a"

    /// A multipart form: text fields, then a `file` part with some binary bytes.
    static func multipart(_ fields: [(String, String)], file: [UInt8]? = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x00, 0xff]) -> [UInt8] {
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if let file {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"me.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
            body += file + Array("\r\n".utf8)
        }
        return body + Array("--\(boundary)--\r\n".utf8)
    }

    static let multipartType = "multipart/form-data; boundary=\(boundary)"

    /// Checks a creation's answer, then polls the job through ``pollingScenario``'s timeline and
    /// downloads its cover.
    static func expectCreatedAndWalked(_ h: EmulatorHarness, _ created: TestResponse, name: String, styleID: String) async throws {
        #expect(created.status == 200, "\(created.text)")
        let jobID = try #require(created.json["job_id"] as? String)
        #expect(jobID.count == 32 && jobID.allSatisfy(\.isHexDigit))
        let assetID = try #require(created.json["model_asset_id"] as? String)
        var states: [String] = []
        var last: [String: Any] = [:]
        for _ in 0..<3 {
            let r = try await h.signedGET(h.metaStudioPath(jobID))
            #expect(r.status == 200)
            last = r.json
            states.append(last["state"] as? String ?? "?")
            #expect(last["name"] as? String == name)
            #expect(last["style_id"] as? String == styleID)
        }
        #expect(states == ["WAITING", "PROCESSING", "SUCCEED"])
        #expect(last["job_id"] as? String == jobID)
        #expect(last["model_asset_id"] as? String == assetID)
        let cover = try #require(last["model_cover_url"] as? String)
        let image = try await TestHTTP.send(.GET, cover)
        #expect(image.status == 200)
        #expect(Array(image.body.prefix(4)) == [0x89, 0x50, 0x4e, 0x47])
    }

    @Test func aSignedJSONBodyCreatesAJobThatRunsItsTimeline() async throws {
        try await EmulatorHarness.with(scenario: Self.pollingScenario) { h in
            let body = Self.json(#"{"name": "小明的模型", "style_id": "system_female_001", "notify_url": "https://example.com/hook"}"#)
            let created = try await h.signedPOST(h.metaStudioCreatePath(), body: body, contentType: "application/json")
            try await Self.expectCreatedAndWalked(h, created, name: "小明的模型", styleID: "system_female_001")
            // Two creations never share an id.
            let second = try await h.signedPOST(h.metaStudioCreatePath(), body: body, contentType: "application/json; charset=utf-8")
            #expect(second.status == 200)
            #expect(second.json["job_id"] as? String != created.json["job_id"] as? String)
            #expect(h.emulator.counters().requests(.metaStudioCreate, status: 200) == 2)
        }
    }

    @Test func aMultipartBodyCreatesAJobToo() async throws {
        try await EmulatorHarness.with(scenario: Self.pollingScenario) { h in
            let body = Self.multipart([("name", "photo model"), ("style_id", "system_male_001")])
            let created = try await h.signedPOST(h.metaStudioCreatePath(), body: body, contentType: Self.multipartType)
            try await Self.expectCreatedAndWalked(h, created, name: "photo model", styleID: "system_male_001")
        }
    }

    @Test func withoutCreateTimelineTheJobRunsItsDerivedTimelineFromCreation() async throws {
        try await EmulatorHarness.with { h in
            // IAM tokens are admitted as on every MetaStudio route.
            let token = try await h.demoToken()
            let created = try await TestHTTP.send(
                .POST, h.url(h.metaStudioCreatePath()),
                headers: ["X-Auth-Token": token, "Content-Type": "application/json"],
                body: Self.json(#"{"name": "n", "style_id": "s"}"#)
            )
            #expect(created.status == 200)
            let jobID = try #require(created.json["job_id"] as? String)
            let derived = DefaultJobs.metaStudio(jobID: jobID, seed: 0)
            let timeline = try await h.admin(.GET, "timeline?service=metastudio&id=\(jobID)").json
            #expect(timeline["name"] as? String == "n" && timeline["style_id"] as? String == "s")
            #expect((timeline["timeline"] as? [[String: Any]])?.map { $0["state"] as? String } == derived.timeline.map(\.state))
            // The clock runs from the creation, not from the first query.
            h.clock.advance(by: derived.timeline[0].seconds!)
            let r = try await h.signedGET(h.metaStudioPath(jobID))
            #expect(r.json["state"] as? String == derived.timeline[1].state)
        }
    }

    @Test func theSignatureCoversTheBodyAndTheProjectMustMatch() async throws {
        try await EmulatorHarness.with { h in
            let body = Self.json(#"{"name": "n", "style_id": "s"}"#)
            let tampered = try await h.signedPOST(h.metaStudioCreatePath(), body: body, contentType: "application/json", sent: Self.json(#"{"name": "m", "style_id": "s"}"#))
            SignatureFailureTests.expectRefused(tampered, "verify aksk signature fail")
            let unsigned = try await TestHTTP.send(.POST, h.url(h.metaStudioCreatePath()), headers: ["Content-Type": "application/json"], body: body)
            SignatureFailureTests.expectRefused(unsigned, "x-auth-token not found")
            let elsewhere = try await h.signedPOST(h.metaStudioCreatePath(project: "someone-else"), body: body, contentType: "application/json")
            #expect(elsewhere.status == 403)
            #expect(elsewhere.json["error_code"] as? String == "MSS.00000005")
            #expect(h.emulator.counters().requests(.metaStudioCreate, status: 200) == 0)
        }
    }

    @Test(arguments: [
        ("application/json", #"{"style_id": "s"}"#, "name is required"),
        ("application/json", #"{"name": "", "style_id": "s"}"#, "name must be 1 to 64 characters"),
        ("application/json", #"{"name": "\#(String(repeating: "n", count: 65))", "style_id": "s"}"#, "name must be 1 to 64 characters"),
        ("application/json", #"{"name": 7, "style_id": "s"}"#, "name must be a string"),
        ("application/json", #"{"name": "n"}"#, "style_id is required"),
        ("application/json", #"{"name": "n", "style_id": 5}"#, "style_id must be a string"),
        ("application/json", #"{"name": "n", "style_id": ""}"#, "style_id must not be empty"),
        ("application/json", #"{"name": "n", "style_id": "s", "notify_url": "ftp://example.com"}"#, "notify_url must start with http:// or https://"),
        ("application/json", #"{"name": "n", "style_id": "s", "notify_url": null}"#, "notify_url must be a string"),
        ("application/json", "name=n&style_id=s", "the body is not a JSON object"),
        ("application/json", #"["n", "s"]"#, "the body is not a JSON object"),
        ("application/json", "", "the request body is empty"),
        ("text/plain", #"{"name": "n", "style_id": "s"}"#, "Content-Type text/plain is not application/json or multipart/form-data"),
        ("multipart/form-data", "--x\r\n", "Content-Type multipart/form-data needs a boundary"),
        (MetaStudioCreateTests.multipartType, "no delimiter here", "the multipart/form-data body is malformed"),
        (MetaStudioCreateTests.multipartType, String(decoding: MetaStudioCreateTests.multipart([("name", "n")]), as: UTF8.self), "style_id is required"),
    ])
    func badBodiesAre400NamingTheProblem(contentType: String, body: String, detail: String) async throws {
        try await EmulatorHarness.with { h in
            let r = try await h.signedPOST(h.metaStudioCreatePath(), body: Self.json(body), contentType: contentType)
            #expect(r.status == 400)
            #expect(r.json["error_code"] as? String == "MSS.00000003")
            #expect(r.json["error_msg"] as? String == "Invalid parameter: \(detail)", "\(r.text)")
        }
    }

    @Test func createdJobsAreKnownWhenUnknownIDsAre404UntilAReset() async throws {
        try await EmulatorHarness.with(scenario: Scenario(unknownIDs: .notFound, metastudio: Self.pollingScenario.metastudio)) { h in
            #expect(try await h.signedGET(h.metaStudioPath("never-created")).status == 404)
            let created = try await h.signedPOST(h.metaStudioCreatePath(), body: Self.json(#"{"name": "n", "style_id": "s"}"#), contentType: "application/json")
            let jobID = try #require(created.json["job_id"] as? String)
            #expect(try await h.signedGET(h.metaStudioPath(jobID)).json["state"] as? String == "WAITING")
            #expect(try await h.admin(.GET, "timeline?service=metastudio&id=\(jobID)").json["job_id"] as? String == jobID)
            #expect(try await h.admin(.POST, "reset").status == 200)
            let forgotten = try await h.signedGET(h.metaStudioPath(jobID))
            #expect(forgotten.status == 404)
            #expect(forgotten.json["error_code"] as? String == "MSS.00000003")
            #expect(try await h.admin(.GET, "timeline?service=metastudio&id=\(jobID)").status == 404)
        }
    }

    @Test func createTimelineIsCheckedAndShownWithTheScenario() async throws {
        try await EmulatorHarness.with { h in
            let scenario = #"{"metastudio": {"create_timeline": [{"state": "PROCESSING", "seconds": 5}, {"state": "FAILED"}]}}"#
            #expect(try await h.admin(.POST, "scenario", json: scenario).status == 200)
            let shown = try await h.admin(.GET, "scenario").json["metastudio"] as? [String: Any]
            #expect((shown?["create_timeline"] as? [[String: Any]])?.map { $0["state"] as? String } == ["PROCESSING", "FAILED"])
            // A created job that fails reports why.
            let created = try await h.signedPOST(h.metaStudioCreatePath(), body: Self.json(#"{"name": "n", "style_id": "s"}"#), contentType: "application/json")
            let jobID = try #require(created.json["job_id"] as? String)
            h.clock.advance(by: 5)
            let failed = try await h.signedGET(h.metaStudioPath(jobID)).json
            #expect(failed["state"] as? String == "FAILED")
            #expect(((failed["error_info"] as? [String: Any])?["error_code"] as? String)?.hasPrefix("MSS.") == true)
            for bad in [
                #"{"metastudio": {"create_timeline": []}}"#,
                #"{"metastudio": {"create_timeline": [{"state": "WAITING", "polls": 1}, {"state": "PROCESSING", "seconds": 3}, {"state": "SUCCEED"}]}}"#,
                #"{"metastudio": {"create_timeline": [{"state": "DONE"}]}}"#,
                #"{"metastudio": {"create_timeline": [{"state": "SUCCEED", "after": 1}]}}"#,
            ] {
                let refused = try await h.admin(.POST, "scenario", json: bad)
                #expect(refused.status == 400, "\(bad)")
                #expect((refused.json["error"] as? String)?.contains("create_timeline") == true, "\(refused.text)")
            }
        }
    }

    @Test func faultRulesTargetTheCreateRoute() async throws {
        try await EmulatorHarness.with { h in
            try h.emulator.addFaults([FaultRule(route: "metastudio.create", kind: .error, status: 503, limit: 1)])
            let body = Self.json(#"{"name": "n", "style_id": "s"}"#)
            let faulted = try await h.signedPOST(h.metaStudioCreatePath(), body: body, contentType: "application/json")
            #expect(faulted.status == 503 && faulted.json["error_code"] as? String == "MSS.00000004")
            #expect(try await h.signedPOST(h.metaStudioCreatePath(), body: body, contentType: "application/json").status == 200)
            #expect(h.emulator.counters().faultsInjected["metastudio.create"]?["error"] == 1)
        }
    }
}
