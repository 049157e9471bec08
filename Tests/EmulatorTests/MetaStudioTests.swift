import Emulator
import Foundation
import Testing

@Suite struct MetaStudioTests {
    @Test func aSucceedingJobWalksWaitingProcessingSucceed() async throws {
        let job = Outcomes.metaStudioJob(ending: "SUCCEED")
        try await EmulatorHarness.with { h in
            let path = h.metaStudioPath(job.jobID)
            var r = try await h.signedGET(path)
            #expect(r.status == 200)
            #expect(r.json["state"] as? String == "WAITING")
            #expect(r.json["start_time"] == nil && r.json["end_time"] == nil)
            #expect(r.header("X-Request-Id")?.count == 32)

            h.clock.advance(by: job.timeline[0].seconds!)
            r = try await h.signedGET(path)
            #expect(r.json["state"] as? String == "PROCESSING")
            #expect(r.json["start_time"] is String)

            h.clock.advance(by: job.timeline[1].seconds!)
            r = try await h.signedGET(path)
            let body = r.json
            #expect(body["state"] as? String == "SUCCEED")
            #expect(body["end_time"] is String)
            #expect(body["error_info"] is NSNull)
            #expect((body["model_asset_id"] as? String)?.count == 32)
            let cover = try #require(body["model_cover_url"] as? String)
            #expect(cover.contains("AccessKeyId=") && cover.contains("&Expires=") && cover.contains("&Signature="))
            let image = try await TestHTTP.send(.GET, cover)
            #expect(image.status == 200)
            #expect(Array(image.body.prefix(4)) == [0x89, 0x50, 0x4e, 0x47])
            #expect(image.body.count == job.cover?.size)
        }
    }

    @Test(arguments: ["FAILED", "PARTIAL_SUCCEED", "CANCELED"])
    func otherTerminalStates(state: String) async throws {
        let job = Outcomes.metaStudioJob(ending: state)
        try await EmulatorHarness.with { h in
            h.clock.advance(by: 0)
            _ = try await h.signedGET(h.metaStudioPath(job.jobID))
            h.clock.advance(by: job.timeline.compactMap(\.seconds).reduce(0, +))
            let body = try await h.signedGET(h.metaStudioPath(job.jobID)).json
            #expect(body["state"] as? String == state)
            #expect(body["model_cover_url"] == nil)
            switch state {
            case "FAILED":
                let error = try #require(body["error_info"] as? [String: Any])
                #expect((error["error_code"] as? String)?.hasPrefix("MSS.") == true)
                #expect(error["error_msg"] is String)
                #expect(body["model_asset_id"] == nil)
            case "PARTIAL_SUCCEED":
                #expect(body["model_asset_id"] is String)
                #expect(body["error_info"] is [String: Any])
            default:
                #expect(body["start_time"] == nil)
                #expect(body["end_time"] is String)
            }
        }
    }

    @Test func speedCompressesTheTimeline() async throws {
        let job = Outcomes.metaStudioJob(ending: "SUCCEED")
        try await EmulatorHarness.with(speed: 600) { h in
            _ = try await h.signedGET(h.metaStudioPath(job.jobID))
            // At 600x, the whole job (at most 150 s of scenario time) is over within a second.
            h.clock.advance(by: 1)
            #expect(try await h.signedGET(h.metaStudioPath(job.jobID)).json["state"] as? String == "SUCCEED")
        }
    }

    @Test func aTimelineInPollsAdvancesPerQueryNotPerSecond() async throws {
        let pinned = MetaStudioJob(jobID: "p", timeline: [
            .init(state: "WAITING", polls: 1), .init(state: "PROCESSING", polls: 2), .init(state: "SUCCEED"),
        ])
        try await EmulatorHarness.with(scenario: Scenario(metastudio: .init(jobs: [pinned]))) { h in
            var states: [String] = []
            for _ in 0..<5 {
                states.append(try await h.signedGET(h.metaStudioPath("p")).json["state"] as? String ?? "?")
            }
            // The clock never moved: only the queries did.
            #expect(states == ["WAITING", "PROCESSING", "PROCESSING", "SUCCEED", "SUCCEED"])
            // The cover exists once the job has succeeded; looking at it is not a query.
            let cover = try #require(try await h.signedGET(h.metaStudioPath("p")).json["model_cover_url"] as? String)
            #expect(try await TestHTTP.send(.GET, cover).status == 200)
        }
        let mixed = MetaStudioJob(jobID: "m", timeline: [.init(state: "WAITING", polls: 1), .init(state: "PROCESSING", seconds: 3), .init(state: "SUCCEED")])
        await #expect(throws: ScenarioError.self) {
            try await EmulatorHarness.with(scenario: Scenario(metastudio: .init(jobs: [mixed]))) { _ in }
        }
    }

    @Test func unknownJobsAre404WhenTheScenarioSaysSo() async throws {
        let pinned = MetaStudioJob(jobID: "pinned", timeline: [.init(state: "PROCESSING", seconds: 5), .init(state: "SUCCEED")])
        let scenario = Scenario(unknownIDs: .notFound, metastudio: .init(jobs: [pinned]))
        try await EmulatorHarness.with(scenario: scenario) { h in
            #expect(try await h.signedGET(h.metaStudioPath("pinned")).json["state"] as? String == "PROCESSING")
            let missing = try await h.signedGET(h.metaStudioPath("other"))
            #expect(missing.status == 404)
            #expect(missing.json["error_code"] as? String == "MSS.00000003")
        }
    }

    @Test func appUserIDMustBeASCII() async throws {
        try await EmulatorHarness.with { h in
            #expect(try await h.signedGET(h.metaStudioPath("j"), extraHeaders: ["X-App-UserId": "user-42"]).status == 200)
            let r = try await h.signedGET(h.metaStudioPath("j"), extraHeaders: ["X-App-UserId": "用户"])
            #expect(r.status == 400)
            #expect(r.json["error_code"] as? String == "MSS.00000003")
        }
    }

    @Test func theProjectMustMatchThePath() async throws {
        try await EmulatorHarness.with { h in
            let r = try await h.signedGET(h.metaStudioPath("j", project: "someone-else"))
            #expect(r.status == 403)
            #expect(r.json["error_code"] as? String == "MSS.00000005")
            #expect(r.json["error_msg"] as? String == "Forbidden: X-Project-Id mw-demo-project does not match project someone-else in the URL")
        }
    }
}
