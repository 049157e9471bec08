import Foundation
import Testing

@testable import Emulator

/// Scenario files are written by hand: a misspelt key anywhere is an error naming it, not a silent default.
@Suite struct ScenarioDecodingTests {
    @Test(arguments: [
        (#"{"iam": {"users": [{"name": "u", "password": "p", "domain": "d", "project_id": "x", "projct": 1}]}}"#, "scenario.iam.users[0]"),
        (#"{"tryon": {"accounts": [{"open_id": "o", "api_key": "k", "coins": 1, "coin": 2}]}}"#, "scenario.tryon.accounts[0]"),
        (#"{"tryon": {"jobs": [{"inf_id": 1, "timeline": [{"state": -1}], "failure": {"info": "a", "info_en": "b", "infoEn": "c"}}]}}"#, "scenario.tryon.jobs[0].failure"),
        (#"{"tryon": {"jobs": [{"inf_id": 1, "timeline": [{"state": 2}], "files": {"body": {"size": 1}, "show": {"size": 1}, "pose": {"size": 1}}}]}}"#, "scenario.tryon.jobs[0].files"),
        (#"{"tryon": {"jobs": [{"inf_id": 1, "timeline": [{"state": 2}], "files": {"body": {"size": 1, "sise": 2}, "show": {"size": 1}}}]}}"#, "scenario.tryon.jobs[0].files.body"),
        (#"{"metastudio": {"jobs": [{"job_id": "j", "timeline": [{"state": "FAILED"}], "error": {"error_code": "c", "error_msg": "m", "msg": "x"}}]}}"#, "scenario.metastudio.jobs[0].error"),
        (#"{"modelarts": {"tasks": [{"task_id": "t", "version_id": "v", "samples": [{"result_property": 0, "sise": 5}]}]}}"#, "scenario.modelarts.tasks[0].samples[0]"),
    ])
    func nestedTypesRefuseUnknownKeys(json: String, path: String) throws {
        #expect {
            _ = try Scenario.decode(from: Data(json.utf8))
        } throws: { error in
            let message = "\(error)"
            return message.contains(path) && message.contains("unknown key")
        }
    }
}
