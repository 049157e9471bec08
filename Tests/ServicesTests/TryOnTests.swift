import XCTest

@testable import Services
@testable import Transport

final class TryOnTests: XCTestCase {
    static let keys = TryOnClient.Keys(openID: "open-id-secret", apiKey: "api-key-secret")

    private func client(
        _ transport: FakeTransport, budget: CoinBudget = CoinBudget(maxCoins: nil), policy: RetryPolicy = .standard,
        redactor: Redactor = Redactor(), counters: RunCounters = RunCounters()
    ) -> TryOnClient {
        TryOnClient(
            caller: makeCaller(.tryon, transport: transport, policy: policy, counters: counters, redactor: redactor),
            apiURL: try! ServiceURL(parsing: "https://tryon.example.test/base"), ossURL: "https://oss.example.test/",
            keys: Self.keys, budget: budget)
    }

    private func answer(_ data: String, code: Int = 200) -> ServiceResponse {
        response(200, #"{"code": \#(code), "msg": "ok", "data": \#(data)}"#)
    }

    func testRequestShape() async throws {
        let transport = FakeTransport(responses: [answer(#"{"id": 3619, "state": 1, "position": 4}"#)])
        _ = try await client(transport).result(infID: 2880)
        let request = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.url.description, "https://tryon.example.test/base/api/inf/get_result")
        XCTAssertEqual(request.headers["Content-Type"], "application/json")
        XCTAssertEqual(
            String(decoding: request.body, as: UTF8.self),
            #"{"openId":"open-id-secret","apiKey":"api-key-secret","infId":2880}"#)
    }

    func testQueuedWithPosition() async throws {
        let transport = FakeTransport(responses: [answer(#"{"id": 3619, "state": 1, "position": 4, "showUrl": ""}"#)])
        let result = try await client(transport).result(infID: 3619)
        XCTAssertEqual(result.status, .queued)
        XCTAssertFalse(result.terminal)
        XCTAssertEqual(result.table["position"], .integer(4))
        XCTAssertEqual(result.table["code"], .integer(200))
        XCTAssertNil(result.table["pose_url"])
    }

    func testSucceededBuildsURLs() async throws {
        let data = #"{"id": 3619, "state": 2, "position": 0, "body_url": "pose/1.png", "showUrl": "show/1.png", "cost": 5.0}"#
        let transport = FakeTransport(responses: [answer(data)])
        let result = try await client(transport).result(infID: 3619)
        XCTAssertEqual(result.status, .succeeded)
        XCTAssertTrue(result.terminal)
        XCTAssertEqual(result.table["pose_url"], .string("https://oss.example.test/pose/1.png"))
        XCTAssertEqual(result.table["show_url"], .string("https://oss.example.test/show/1.png"))
        XCTAssertEqual(result.table["cost"], .number(5.0))
        XCTAssertNil(result.error)
    }

    func testFailedCarriesEnglishReason() async throws {
        let data = #"{"id": 3653, "state": -1, "infInfo": "没有检测到脸部", "infInfoEn": "No face was detected."}"#
        let result = try await client(FakeTransport(responses: [answer(data)])).result(infID: 3653)
        XCTAssertEqual(result.status, .failed)
        XCTAssertEqual(result.error, "No face was detected.")
        XCTAssertEqual(result.table["error"], .string("No face was detected."))
    }

    func testUnknownStateTolerated() async throws {
        let result = try await client(FakeTransport(responses: [answer(#"{"state": 7}"#)])).result(infID: 1)
        XCTAssertEqual(result.status, .unknown)
        XCTAssertEqual(result.rawState, "7")
        XCTAssertFalse(result.terminal)
    }

    func testEnvelopeErrorCodeAndMissingData() async {
        let denied = await assertServiceError {
            try await self.client(FakeTransport(responses: [response(200, #"{"code": 401, "msg": "bad key api-key-secret"}"#)]))
                .result(infID: 1)
        }
        XCTAssertEqual(denied?.kind, .auth)
        XCTAssertEqual(denied?.code, "401")
        XCTAssertEqual(denied?.message, "bad key ***")
        let empty = await assertServiceError {
            try await self.client(FakeTransport(responses: [response(200, #"{"code": 200, "msg": "ok"}"#)])).result(infID: 1)
        }
        XCTAssertEqual(empty?.kind, .badResponse)
    }

    func testStateMinusTwoStopsEveryLaterQuery() async {
        let transport = FakeTransport(responses: [answer(#"{"state": -2}"#)])
        let budget = CoinBudget(maxCoins: nil)
        let tryon = client(transport, budget: budget)
        let first = await assertServiceError { try await tryon.result(infID: 1) }
        XCTAssertEqual(first?.kind, .insufficientCoins)
        XCTAssertEqual(first?.retryable, false)
        for id in 2...5 {
            let later = await assertServiceError { try await tryon.result(infID: Int64(id)) }
            XCTAssertEqual(later?.kind, .insufficientCoins)
        }
        XCTAssertEqual(transport.count, 1, "no try-on query is sent after state -2")
        XCTAssertTrue(budget.isExhausted)
    }

    func testBudgetNeverExceededAndRefusedBeforeSending() async throws {
        let transport = FakeTransport(responses: [answer(#"{"state": 1, "position": 1}"#)])
        let counters = RunCounters()
        let budget = CoinBudget(maxCoins: 0.5, counters: counters)
        let tryon = client(transport, budget: budget, counters: counters)
        for id in 1...5 { _ = try await tryon.result(infID: Int64(id)) }
        let refused = await assertServiceError { try await tryon.result(infID: 6) }
        XCTAssertEqual(refused?.kind, .budget)
        XCTAssertTrue(refused?.message.contains("0.5 of max_coins 0.5") == true, refused?.message ?? "")
        XCTAssertEqual(transport.count, 5)
        XCTAssertEqual(budget.spent, 0.5)
        XCTAssertEqual(counters.snapshot.milliCoinsSpent, 500)
        XCTAssertEqual(counters.snapshot.requests["tryon"], 5)
    }

    func testBudgetChargesRetriesAndStopsThem() async {
        // Every answer is a 503: retries are queries too, and the budget stops them.
        let transport = FakeTransport(responses: [response(503, "")])
        let budget = CoinBudget(maxCoins: 0.3)
        let tryon = client(transport, budget: budget, policy: RetryPolicy(maxAttempts: 10))
        let error = await assertServiceError { try await tryon.result(infID: 1) }
        XCTAssertEqual(error?.kind, .budget)
        XCTAssertEqual(transport.count, 3)
        XCTAssertEqual(budget.spent, 0.3)
    }

    func testConcurrentQueriesNeverExceedBudget() async throws {
        let transport = FakeTransport(responses: [answer(#"{"state": 1}"#)])
        let budget = CoinBudget(maxCoins: 1.0)
        let tryon = client(transport, budget: budget)
        let kinds = await withTaskGroup(of: ServiceError.Kind?.self) { group in
            for id in 0..<40 {
                group.addTask {
                    do {
                        _ = try await tryon.result(infID: Int64(id))
                        return nil
                    } catch { return (error as? ServiceError)?.kind }
                }
            }
            var kinds: [ServiceError.Kind?] = []
            for await kind in group { kinds.append(kind) }
            return kinds
        }
        XCTAssertEqual(kinds.filter { $0 == nil }.count, 10, "ten queries fit the budget")
        XCTAssertEqual(kinds.filter { $0 == .budget }.count, 30, "every other one is refused by the budget")
        XCTAssertEqual(transport.count, 10)
        XCTAssertEqual(budget.spent, 1.0)
    }

    func testTheEchoedOpenIDNeverReachesTheScript() async throws {
        let data = #"{"state": 1, "openId": "open-id-secret", "shareUser": -1, "note": ["by open-id-secret"]}"#
        let result = try await client(FakeTransport(responses: [answer(data)])).result(infID: 1)
        XCTAssertEqual(result.table["openId"], .string("***"))
        XCTAssertEqual(result.table["note"], .array([.string("by ***")]))
        XCTAssertEqual(result.table["shareUser"], .integer(-1))
    }

    func testKeysAreRegisteredWithTheRedactor() {
        let redactor = Redactor()
        _ = client(FakeTransport(responses: []), redactor: redactor)
        XCTAssertEqual(redactor.redact("id=open-id-secret key=api-key-secret"), "id=*** key=***")
        XCTAssertEqual(TryOnTests.keys.description, "TryOnClient.Keys(***)")
    }
}
