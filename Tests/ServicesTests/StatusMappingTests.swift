import XCTest

@testable import Services

final class StatusMappingTests: XCTestCase {
    func testTerminalStatuses() {
        let terminal = JobStatus.allCases.filter(\.isTerminal).map(\.rawValue)
        XCTAssertEqual(terminal, ["stopped", "succeeded", "partial", "failed", "canceled"])
        XCTAssertEqual(
            JobStatus.allCases.map(\.rawValue),
            ["queued", "starting", "running", "stopping", "stopped", "succeeded", "partial", "failed", "canceled", "unknown"])
    }

    func testMetaStudioEveryState() {
        let expected: [String: JobStatus] = [
            "WAITING": .queued, "PROCESSING": .running, "SUCCEED": .succeeded, "PARTIAL_SUCCEED": .partial,
            "FAILED": .failed, "CANCELED": .canceled, "SUCCEEDED": .unknown, "": .unknown,
        ]
        for (state, status) in expected {
            XCTAssertEqual(MetaStudioClient.status(forState: state), status, state)
        }
    }

    func testFaceEdgeEveryState() {
        let expected: [String: JobStatus] = [
            "PENDING": .queued, "STARTING": .starting, "RECOVERING": .starting, "UPGRADING": .starting,
            "RUNNING": .running, "STOPPING": .stopping, "STOPPED": .stopped, "DELETING": .stopped,
            "FREEZING": .stopped, "FROZEN": .stopped, "SUCCEEDED": .succeeded, "FAILED": .failed,
            "CREATE_FAILED": .failed, "START_FAILED": .failed, "ABNORMAL": .failed, "HIBERNATING": .unknown,
        ]
        for (state, status) in expected {
            XCTAssertEqual(FaceEdgeClient.status(forState: state), status, state)
        }
    }

    func testTryOnEveryState() {
        XCTAssertEqual(TryOnClient.status(forState: 1), .queued)
        XCTAssertEqual(TryOnClient.status(forState: 2), .succeeded)
        XCTAssertEqual(TryOnClient.status(forState: -1), .failed)
        XCTAssertEqual(TryOnClient.status(forState: 0), .unknown)
        XCTAssertEqual(TryOnClient.status(forState: 3), .unknown)
        XCTAssertEqual(TryOnClient.status(forState: nil), .unknown)
    }

    func testMetaStudioResultTable() async throws {
        let body = """
            {"job_id": "j1", "state": "FAILED", "start_time": "2022-11-07T11:43:08Z",
             "error_info": {"error_code": "MSS.00010001", "error_msg": "no face found"}, "model_cover_url": null}
            """
        let transport = FakeTransport(responses: [response(200, body, headers: ["X-Request-Id": "req-9"])])
        let client = MetaStudioClient(gateway: makeGateway(.metastudio, transport: transport), defaultAppUserID: "app-1")
        let result = try await client.job(jobID: "j1")
        XCTAssertEqual(result.status, .failed)
        XCTAssertTrue(result.terminal)
        XCTAssertEqual(result.error, "no face found (MSS.00010001)")
        XCTAssertEqual(result.requestID, "req-9")
        let table = result.table
        XCTAssertEqual(table.keys, ["job_id", "state", "start_time", "error_info", "model_cover_url", "status", "terminal", "error", "request_id"])
        XCTAssertEqual(table["state"], .string("FAILED"))
        XCTAssertEqual(table["status"], .string("failed"))
        XCTAssertEqual(table["terminal"], .bool(true))
        let request = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(request.method, "GET")
        XCTAssertEqual(request.url.description, "https://metastudio.example.test/v1/p1/digital-human/stylized/picture-modelings/j1")
        XCTAssertEqual(request.headers["X-App-UserId"], "app-1")
        XCTAssertEqual(request.headers["X-Project-Id"], "p1")
        XCTAssertTrue(request.headers["Authorization"]?.hasPrefix("SDK-HMAC-SHA256 Access=TESTAK, SignedHeaders=content-type;host;user-agent;x-app-userid;x-project-id;x-sdk-date, Signature=") == true)
    }

    func testMetaStudioSucceededHasNoError() async throws {
        let body = #"{"job_id": "j1", "state": "SUCCEED", "error_info": null}"#
        let transport = FakeTransport(responses: [response(200, body)])
        let client = MetaStudioClient(gateway: makeGateway(.metastudio, transport: transport))
        let result = try await client.job(jobID: "j1", appUserID: "u-2")
        XCTAssertEqual(result.status, .succeeded)
        XCTAssertNil(result.error)
        XCTAssertEqual(result.table["error"], nil)
        XCTAssertEqual(transport.requests.first?.headers["X-App-UserId"], "u-2")
    }

    func testAppUserIDMustBeASCII() async {
        let transport = FakeTransport(responses: [response(200, "{}")])
        let client = MetaStudioClient(gateway: makeGateway(.metastudio, transport: transport))
        let error = await assertServiceError { try await client.job(jobID: "j1", appUserID: "用户") }
        XCTAssertEqual(error?.kind, .invalidArgument)
        XCTAssertTrue(error?.message.contains("app_user_id") == true)
        XCTAssertEqual(transport.count, 0, "refused before sending")
        let empty = await assertServiceError { try await client.job(jobID: "") }
        XCTAssertEqual(empty?.kind, .invalidArgument)
    }

    func testUnknownStatesAreReportedOnceAndNeverCrash() async throws {
        let reports = Collector<String>()
        let reporter = UnknownStateReporter { service, state in reports.add("\(service.rawValue):\(state)") }
        let transport = FakeTransport { request, _ in
            if request.url.path.contains("tasks") { return response(200, #"{"id": "t", "state": "HIBERNATING"}"#) }
            return response(200, #"{"job_id": "j", "state": "ARCHIVED"}"#)
        }
        let faceedge = FaceEdgeClient(gateway: makeGateway(.faceedge, transport: transport, unknown: reporter))
        let metastudio = MetaStudioClient(gateway: makeGateway(.metastudio, transport: transport, unknown: reporter))
        for _ in 0..<3 {
            let task = try await faceedge.task(taskID: "t")
            XCTAssertEqual(task.status, .unknown)
            XCTAssertFalse(task.terminal)
            XCTAssertEqual(task.rawState, "HIBERNATING")
            let job = try await metastudio.job(jobID: "j")
            XCTAssertEqual(job.status, .unknown)
        }
        XCTAssertEqual(reports.all, ["faceedge:HIBERNATING", "metastudio:ARCHIVED"])
    }

    func testFaceEdgeTaskAndFailureReason() async throws {
        let body = """
            {"id": "8d7c", "name": "edge-0", "state": "START_FAILED", "error_msg": "camera offline",
             "input": {"type": "edgecamera"}, "output": {"webhook": {"url": "https://x"}}}
            """
        let transport = FakeTransport(responses: [response(200, body)])
        let client = FaceEdgeClient(gateway: makeGateway(.faceedge, transport: transport))
        let result = try await client.task(taskID: "8d7c")
        XCTAssertEqual(result.status, .failed)
        XCTAssertEqual(result.error, "camera offline")
        XCTAssertEqual(result.fields["output"]?["webhook"]?["url"], .string("https://x"))
        XCTAssertEqual(
            transport.requests.first?.url.description, "https://faceedge.example.test/v2/p1/services/c-face-edge/tasks/8d7c")
        _ = try await client.task(taskID: "8d7c", service: "other-svc")
        XCTAssertEqual(transport.requests.last?.url.path, "/v2/p1/services/other-svc/tasks/8d7c")
    }

    func testFaceEdgeWrappedTaskAndReasonFallback() async throws {
        let transport = FakeTransport(responses: [response(200, #"{"task": {"id": "t", "state": "ABNORMAL"}}"#)])
        let result = try await FaceEdgeClient(gateway: makeGateway(.faceedge, transport: transport)).task(taskID: "t")
        XCTAssertEqual(result.status, .failed)
        XCTAssertEqual(result.error, "the task is in state ABNORMAL")
        XCTAssertEqual(result.fields["id"], .string("t"))
    }

    func testModelArtsPageHasNoStatus() async throws {
        let body = #"{"count": 3, "results": [{"sample_id": "a"}], "has_more": true}"#
        let transport = FakeTransport(responses: [response(200, body)])
        let client = ModelArtsClient(gateway: makeGateway(.modelarts, transport: transport))
        let page = try await client.results(
            .init(taskID: "t1", versionID: "v1", limit: 10, offset: 0, resultProperty: -1, processParameter: "image/resize,m_lfit,h_200"))
        XCTAssertNil(page.status)
        XCTAssertFalse(page.terminal)
        XCTAssertEqual(page.table["count"], .integer(3))
        XCTAssertEqual(page.table["has_more"], .bool(true))
        XCTAssertNil(page.table["status"])
        XCTAssertEqual(
            transport.requests.first?.url.description,
            "https://modelarts.example.test/v2/p1/processor-tasks/t1/versions/v1/results?limit=10&offset=0&result_property=-1&process_parameter=image%2Fresize%2Cm_lfit%2Ch_200")
    }

    func testModelArtsArgumentValidation() async {
        let transport = FakeTransport(responses: [response(200, "{}")])
        let client = ModelArtsClient(gateway: makeGateway(.modelarts, transport: transport))
        for query in [
            ModelArtsClient.ResultsQuery(taskID: "t", versionID: "v", limit: 0),
            .init(taskID: "t", versionID: "v", limit: 101),
            .init(taskID: "t", versionID: "v", offset: -1),
            .init(taskID: "t", versionID: "v", resultProperty: 4),
            .init(taskID: "", versionID: "v"),
        ] {
            let error = await assertServiceError { try await client.results(query) }
            XCTAssertEqual(error?.kind, .invalidArgument)
            XCTAssertTrue(error?.message.hasPrefix("api.modelarts.results: argument '") == true, error?.message ?? "")
        }
        XCTAssertEqual(transport.count, 0)
    }
}
