import XCTest

@testable import RunConfiguration
@testable import Services

final class ServiceHubTests: XCTestCase {
    static let toml = """
        [tryon]
        api_url = "https://tryon.test"
        oss_url = "https://oss.test/"
        rate = "60/min"
        max_coins = 0.3
        [huaweicloud]
        region = "cn-east-3"
        project_id = "proj"
        [metastudio]
        app_user_id = "app-7"
        """
    static let environment = [
        "CLOUD_SDK_AK": "AK-1", "CLOUD_SDK_SK": "SK-1", "TRYON_OPEN_ID": "oid", "TRYON_API_KEY": "key",
    ]

    private func hub(_ transport: FakeTransport, clock: VirtualClock = VirtualClock(), unknown: Collector<String>? = nil) throws
        -> ServiceHub
    {
        ServiceHub(
            configuration: try MoonwatchConfiguration.load(toml: Self.toml), environment: Self.environment,
            transport: transport, clock: clock.clock, random: .constant(0.5),
            onUnknownState: { service, state in unknown?.add("\(service.rawValue):\(state)") })
    }

    func testBuildsEveryClientFromConfiguration() async throws {
        let transport = FakeTransport { request, _ in
            switch request.url.host {
            case "tryon.test": response(200, #"{"code": 200, "msg": "ok", "data": {"state": 2, "body_url": "b.png", "showUrl": "s.png"}}"#)
            case "modelarts.cn-east-3.myhuaweicloud.com": response(200, #"{"count": 0, "results": [], "has_more": false}"#)
            case "iva.cn-east-3.myhuaweicloud.com": response(200, #"{"id": "t", "state": "RUNNING"}"#)
            default: response(200, #"{"job_id": "j", "state": "WAITING"}"#)
            }
        }
        let hub = try hub(transport)
        XCTAssertEqual(hub.problems(for: ServiceName.allCases).map(\.message), [])
        let tryon = try await hub.tryon().result(infID: 5)
        XCTAssertEqual(tryon.table["show_url"], .string("https://oss.test/s.png"))
        let job = try await hub.metastudio().job(jobID: "j")
        XCTAssertEqual(job.status, .queued)
        let page = try await hub.modelarts().results(.init(taskID: "t", versionID: "v"))
        XCTAssertEqual(page.table["count"], .integer(0))
        let task = try await hub.faceedge().task(taskID: "t")
        XCTAssertEqual(task.status, .running)

        let hosts = transport.requests.map(\.url.hostHeader)
        XCTAssertEqual(
            hosts,
            ["tryon.test", "metastudio.cn-east-3.myhuaweicloud.com", "modelarts.cn-east-3.myhuaweicloud.com", "iva.cn-east-3.myhuaweicloud.com"])
        XCTAssertEqual(transport.requests[1].headers["X-App-UserId"], "app-7")
        XCTAssertTrue(transport.requests[1].headers["Authorization"]?.contains("Access=AK-1,") == true)
        let snapshot = hub.snapshot
        XCTAssertEqual(snapshot.requests, ["tryon": 1, "metastudio": 1, "modelarts": 1, "faceedge": 1])
        XCTAssertEqual(snapshot.coinsSpent, 0.1)
        XCTAssertEqual(snapshot.totalRetries, 0)
    }

    func testBudgetAndRateAreRunWide() async throws {
        let clock = VirtualClock()
        let transport = FakeTransport(responses: [response(200, #"{"code": 200, "data": {"state": 1}}"#)])
        let hub = try hub(transport, clock: clock)
        let start = clock.now
        // Three different client values, one budget and one limiter.
        _ = try await hub.tryon().result(infID: 1)
        _ = try await hub.tryon().result(infID: 2)
        _ = try await hub.tryon().result(infID: 3)
        let error = await assertServiceError { try await hub.tryon().result(infID: 4) }
        XCTAssertEqual(error?.kind, .budget)
        XCTAssertEqual(transport.count, 3)
        XCTAssertEqual(hub.snapshot.coinsSpent, 0.3)
        XCTAssertEqual(clock.now - start, 2, accuracy: 1e-9, "60/min spaces queries 1 s apart")
    }

    func testRetriesAreCountedAndUnknownStatesReported() async throws {
        let unknown = Collector<String>()
        let transport = FakeTransport(responses: [response(503, ""), response(200, #"{"id": "t", "state": "MIGRATING"}"#)])
        let hub = try hub(transport, unknown: unknown)
        let task = try await hub.faceedge().task(taskID: "t")
        XCTAssertEqual(task.status, .unknown)
        _ = try await hub.faceedge().task(taskID: "t")
        XCTAssertEqual(hub.snapshot.retries, ["faceedge": 1])
        XCTAssertEqual(hub.snapshot.requests, ["faceedge": 3])
        XCTAssertEqual(unknown.all, ["faceedge:MIGRATING"])
    }
}
