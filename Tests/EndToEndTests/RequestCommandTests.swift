import Emulator
import Foundation
import XCTest

/// `api.huaweicloud.request` and `http.request` through the real binary against
/// the emulator: the create → wait → download path, and each guard rail of
/// plain requests (errors as results or raised, timeout, redirects, size,
/// allow list, header injection, cancellation). Every script call is bounded
/// by a timeout, and the whole script by `task.timeout`.
final class RequestCommandTests: XCTestCase {
    static let fastCreatedJobs = Scenario(metastudio: .init(createTimeline: [
        .init(state: "WAITING", polls: 1), .init(state: "PROCESSING", polls: 1), .init(state: "SUCCEED"),
    ]))

    /// Runs `body` as a script with the emulator's echo URL in `ECHO`; each
    /// `check(name, fn)` in it emits `{name =, ok =, value = fn() or the error table}`.
    private func runChecks(
        _ body: String, session: EmulatorSession, file: StaticString = #filePath, line: UInt = #line
    ) async throws -> (result: BinaryHarness.Result, checks: [String: [String: Any]]) {
        try session.harness.write("checks.lua", """
            local ECHO = args[1]
            local function check(name, fn)
              local ok, value = pcall(fn)
              if not ok and type(value) == "table" then
                value = {kind = value.kind, message = value.message, status = value.status, code = value.code, service = value.service}
              end
              emit({name = name, ok = ok, value = value})
            end
            task.timeout(120, function()
            \(body)
            end)
            """)
        let result = try await session.run("checks.lua", [session.emulator.baseURL + "/_emulator/echo"])
        XCTAssertEqual(result.status, 0, result.stderr, file: file, line: line)
        return (result, try session.records(by: "name"))
    }

    private func value(_ check: [String: Any]?, _ path: String...) -> Any? {
        var current: Any? = check?["value"]
        for key in path { current = (current as? [String: Any])?[key] }
        return current
    }

    func testCreateWaitAndDownloadThroughSignedRequests() async throws {
        let session = try await EmulatorSession.start(scenario: Self.fastCreatedJobs)
        let (_, checks) = try await runChecks("""
            local PATH = "/v1/{project_id}/digital-human/stylized/picture-modelings"
            local created = api.huaweicloud.request{service = "metastudio", method = "POST", path = PATH,
              body = {name = "e2e-model", style_id = "system_male_001"}, timeout = 10}
            emit({name = "created", ok = true, value = created})
            local job_id = created.body.job_id
            check("get", function()
              return api.huaweicloud.request{service = "metastudio", path = PATH .. "/" .. job_id, timeout = 10}
            end)
            local job = api.metastudio.wait{job_id = job_id, min_delay = 0.05, max_delay = 0.1, timeout = 30}
            check("waited", function() return {status = job.status, name = job.name} end)
            check("cover", function() return http.download(job.model_cover_url, "cover.jpg") end)
            check("unconfigured", function() return api.huaweicloud.request{service = "vod", path = "/v1/x"} end)
            check("missing path", function() return api.huaweicloud.request{service = "metastudio"} end)
            check("typo", function() return api.huaweicloud.request{service = "metastudio", path = "/", bdoy = "x"} end)
            check("not found", function()
              return api.huaweicloud.request{service = "metastudio", path = PATH .. "/no-such/extra", timeout = 10}
            end)
            """, session: session)
        let counters = session.emulator.counters()
        await session.shutdown()

        let created = try XCTUnwrap(checks["created"])
        XCTAssertEqual(value(created, "status") as? Int, 200)
        XCTAssertEqual((value(created, "body", "job_id") as? String)?.count, 32)
        XCTAssertNotNil(value(created, "request_id"))
        XCTAssertEqual(value(checks["get"], "body", "state") as? String, "WAITING")
        XCTAssertEqual(value(checks["get"], "headers", "content-type") as? String, "application/json;charset=UTF-8")
        XCTAssertEqual(value(checks["waited"], "status") as? String, "succeeded")
        XCTAssertEqual(value(checks["waited"], "name") as? String, "e2e-model")
        XCTAssertGreaterThan(value(checks["cover"], "bytes") as? Int ?? 0, 0)
        XCTAssertEqual(value(checks["unconfigured"], "kind") as? String, "config")
        XCTAssertTrue((value(checks["unconfigured"], "message") as? String ?? "").contains("add [services.vod]"))
        XCTAssertEqual(value(checks["missing path"], "message") as? String, "api.huaweicloud.request: option 'path' is required (a string)")
        XCTAssertEqual(value(checks["typo"], "message") as? String, "api.huaweicloud.request: unknown option 'bdoy'")
        XCTAssertEqual(value(checks["not found"], "kind") as? String, "not_found")
        XCTAssertEqual(counters.requests["metastudio.create"]?["200"], 1, "\(counters.requests)")
    }

    func testPlainRequestsAnswerRaiseAndStopWhereTheyShould() async throws {
        let session = try await EmulatorSession.start()
        let (result, checks) = try await runChecks("""
            check("get", function() return http.get(ECHO .. "/a?x=1", {query = {y = {"2", "3"}}, headers = {["X-Trace"] = "t-1"}}) end)
            check("post", function() return http.post(ECHO, {json = {hello = "world", n = 2}}) end)
            check("text", function() return http.request{url = ECHO .. "?content_type=text/plain", method = "PUT", body = "plain words"} end)
            check("500", function() return http.get(ECHO .. "?status=500", {retry = false}) end)
            check("500 raised", function() return http.get(ECHO .. "?status=500", {retry = false, raise = true}) end)
            check("timeout", function() return http.get(ECHO .. "?delay_ms=4000", {timeout = 0.5}) end)
            check("redirects", function() return http.get(ECHO .. "/r?redirect=3") end)
            check("loop", function() return http.get(ECHO .. "/r?redirect=loop") end)
            check("too big", function() return http.get(ECHO .. "?bytes=100000", {max_bytes = 1000}) end)
            check("injection", function() return http.get(ECHO, {headers = {["X-A"] = "v\\r\\nX-Injected: 1"}}) end)
            check("scheme", function() return http.get("file:///etc/passwd") end)
            check("both bodies", function() return http.post(ECHO, {json = {}, body = "x"}) end)
            check("bad option", function() return http.get(ECHO, {retries = 3}) end)
            """, session: session)
        await session.shutdown()

        XCTAssertEqual(value(checks["get"], "status") as? Int, 200)
        XCTAssertEqual(value(checks["get"], "body", "path") as? String, "/_emulator/echo/a")
        XCTAssertEqual(value(checks["get"], "body", "query", "x") as? String, "1")
        XCTAssertEqual(value(checks["get"], "body", "headers", "x-trace") as? String, "t-1")
        XCTAssertNil(value(checks["get"], "body", "headers", "authorization"), "no credential is attached")
        XCTAssertNil(value(checks["get"], "body", "headers", "x-auth-token"))
        XCTAssertTrue((value(checks["get"], "url") as? String ?? "").hasSuffix("/_emulator/echo/a?x=1&y=2&y=3"))
        XCTAssertEqual(value(checks["post"], "body", "method") as? String, "POST")
        XCTAssertEqual(value(checks["post"], "body", "headers", "content-type") as? String, "application/json")
        let posted = try XCTUnwrap((value(checks["post"], "body", "body") as? String)?.data(using: .utf8))
        XCTAssertEqual(try JSONSerialization.jsonObject(with: posted) as? NSDictionary, ["hello": "world", "n": 2])
        XCTAssertEqual(value(checks["text"], "body") as? String, "plain words")
        XCTAssertEqual(value(checks["500"], "status") as? Int, 500, "an error status is an answer")
        XCTAssertEqual(checks["500"]?["ok"] as? Bool, true)
        XCTAssertEqual(checks["500 raised"]?["ok"] as? Bool, false)
        XCTAssertEqual(value(checks["500 raised"], "kind") as? String, "server")
        XCTAssertEqual(value(checks["500 raised"], "status") as? Int, 500)
        XCTAssertEqual(value(checks["500 raised"], "service") as? String, "http")
        XCTAssertEqual(value(checks["timeout"], "kind") as? String, "timeout")
        XCTAssertEqual(value(checks["redirects"], "status") as? Int, 200)
        XCTAssertEqual(value(checks["redirects"], "body", "query", "redirect") as? String, nil, "the last hop echoes")
        XCTAssertEqual(value(checks["loop"], "kind") as? String, "bad_response")
        XCTAssertTrue((value(checks["loop"], "message") as? String ?? "").contains("more than 5 redirects"))
        XCTAssertEqual(value(checks["too big"], "kind") as? String, "bad_response")
        XCTAssertTrue((value(checks["too big"], "message") as? String ?? "").contains("larger than 1000 bytes"))
        XCTAssertEqual(value(checks["injection"], "kind") as? String, "invalid_argument")
        XCTAssertEqual(
            value(checks["injection"], "message") as? String,
            "http.request: header 'X-A' has a CR or LF in its value (header injection refused)")
        XCTAssertEqual(value(checks["scheme"], "kind") as? String, "invalid_argument")
        XCTAssertEqual(value(checks["both bodies"], "message") as? String, "http.post: give either option 'json' or option 'body', not both")
        XCTAssertEqual(value(checks["bad option"], "message") as? String, "http.get: unknown option 'retries'")
        XCTAssertLessThan(result.seconds, 60)
    }

    func testAHostOutsideTheAllowListIsRefusedBeforeConnecting() async throws {
        let session = try await EmulatorSession.start { $0 + "\n[http]\nallow = [\"hooks.example.com\"]\n" }
        let localhost = session.emulator.baseURL.replacingOccurrences(of: "127.0.0.1", with: "localhost") + "/_emulator/echo"
        try session.harness.write("allow.lua", """
            local ok, err = pcall(http.get, args[1], {timeout = 5})
            emit({ok = ok, kind = err.kind, message = err.message})
            local allowed = http.get(args[2], {timeout = 5})
            emit({ok = true, status = allowed.status})
            """)
        let before = session.emulator.counters().requests["echo"]
        let result = try await session.run("allow.lua", [localhost, session.emulator.baseURL + "/_emulator/echo"])
        let counters = session.emulator.counters()
        await session.shutdown()

        XCTAssertEqual(result.status, 0, result.stderr)
        let records = try session.records()
        XCTAssertEqual(records.first?["kind"] as? String, "forbidden")
        XCTAssertTrue((records.first?["message"] as? String ?? "").contains("host localhost is not allowed by [http] allow (moonwatch.toml:"))
        XCTAssertEqual(records.last?["status"] as? Int, 200, "the emulator's host, a configured service's, is always allowed")
        XCTAssertNil(before)
        XCTAssertEqual(counters.requests["echo"]?.values.reduce(0, +), 1, "only the allowed request reached the server")
    }

    func testACanceledTaskCancelsItsRequest() async throws {
        let session = try await EmulatorSession.start()
        try session.harness.write("cancel.lua", """
            local started = os.time()
            local slow = task.spawn(function() return http.get(args[1] .. "?delay_ms=8000", {timeout = 60}) end)
            task.sleep(0.5)
            slow:cancel()
            local ok, err = pcall(slow.wait, slow)
            emit({ok = ok, kind = err.kind, seconds = os.time() - started})
            """)
        let result = try await session.run("cancel.lua", [session.emulator.baseURL + "/_emulator/echo"])
        await session.shutdown()

        XCTAssertEqual(result.status, 0, result.stderr)
        let record = try XCTUnwrap(try session.records().first)
        XCTAssertEqual(record["ok"] as? Bool, false)
        XCTAssertEqual(record["kind"] as? String, "canceled")
        XCTAssertLessThan(result.seconds, 5, "the run did not wait for the 8 s answer")
    }

    func testTheCreateAndWaitExamplePostsItsSummary() async throws {
        // Scheduled faults only: four jobs polled at once draw probabilistic ones in an order
        // that varies with timing, and five failures in a row would end a wait.
        let faults = [
            FaultRule(route: "metastudio.job", kind: .error, status: 503, requests: [2]),
            FaultRule(route: "metastudio.job", kind: .throttle, retryAfter: 1, requests: [4, 5]),
            FaultRule(route: "metastudio.job", kind: .reset, requests: [7]),
            FaultRule(route: "echo", kind: .error, status: 503, requests: [1]),
        ]
        let session = try await EmulatorSession.start(
            scenario: Scenario(metastudio: Self.fastCreatedJobs.metastudio, faults: faults), speed: 100)
        let result = try await session.runExample(
            "metastudio_create_and_wait.lua", ["4", session.emulator.baseURL + "/_emulator/echo/hook"])
        let counters = session.emulator.counters()
        await session.shutdown()

        XCTAssertEqual(result.status, 0, result.stderr)
        let records = try session.records(by: "index")
        XCTAssertEqual(records.count, 4)
        for (_, record) in records {
            XCTAssertEqual(record["status"] as? String, "succeeded", "\(record)")
            let cover = try XCTUnwrap(record["image"] as? String)
            XCTAssertTrue(FileManager.default.fileExists(atPath: session.harness.folder.appendingPathComponent("out/" + cover).path), cover)
        }
        XCTAssertTrue(result.stderr.contains("4 MetaStudio jobs: succeeded 4"), result.stderr)
        XCTAssertTrue(result.stderr.contains("summary posted (HTTP 200)"), result.stderr)
        XCTAssertEqual(counters.requests["metastudio.create"]?["200"], 4)
        XCTAssertEqual(counters.requests["echo"]?["503"], 1, "the webhook's first 503 was retried: \(counters.requests)")
        XCTAssertEqual(counters.requests["echo"]?["200"], 1)
        XCTAssertEqual(counters.faultsInjected["metastudio.job"]?.values.reduce(0, +), 4, "\(counters.faultsInjected)")
    }
}
