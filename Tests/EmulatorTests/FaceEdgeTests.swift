import Emulator
import Foundation
import Testing

@Suite struct FaceEdgeTests {
    @Test func anyServiceSegmentAndTheSeedShape() async throws {
        try await EmulatorHarness.with { h in
            for service in ["c-face-edge", "c-other-service"] {
                let r = try await h.signedGET(h.faceEdgePath("task-1", service: service))
                #expect(r.status == 200)
                let body = r.json
                #expect(body["id"] as? String == "task-1")
                #expect(body["project_id"] as? String == EmulatorHarness.project)
                #expect(body["state"] as? String == "PENDING")
                let common = (body["service_config"] as? [String: Any])?["common"] as? [String: Any]
                // target_roi is a JSON document inside a properly escaped string.
                let roi = try #require(common?["target_roi"] as? String)
                #expect((try? JSONSerialization.jsonObject(with: Data(roi.utf8))) != nil)
            }
        }
    }

    @Test func unknownTasksAre404WhenTheScenarioSaysSo() async throws {
        let task = FaceEdgeTask(taskID: "known", timeline: [.init(state: "RUNNING")])
        try await EmulatorHarness.with(scenario: Scenario(unknownIDs: .notFound, faceedge: .init(tasks: [task]))) { h in
            #expect(try await h.signedGET(h.faceEdgePath("known")).json["state"] as? String == "RUNNING")
            let other = try await h.signedGET(h.faceEdgePath("known", service: "c-other"))
            #expect(other.status == 404)
            #expect(other.json["error_code"] as? String == "IVA.0004")
        }
    }
}
