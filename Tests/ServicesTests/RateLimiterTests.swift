import XCTest

@testable import RunConfiguration
@testable import Services
@testable import Transport

final class RateLimiterTests: XCTestCase {
    func testParsing() {
        XCTAssertEqual(RateLimit(parsing: "10/min"), RateLimit(count: 10, per: 60))
        XCTAssertEqual(RateLimit(parsing: " 2 / s "), RateLimit(count: 2, per: 1))
        XCTAssertEqual(RateLimit(parsing: "0.5/sec"), RateLimit(count: 0.5, per: 1))
        XCTAssertEqual(RateLimit(parsing: "100/hour"), RateLimit(count: 100, per: 3600))
        XCTAssertNil(RateLimit(parsing: "10"))
        XCTAssertNil(RateLimit(parsing: "10/day"))
        XCTAssertNil(RateLimit(parsing: "0/min"))
        XCTAssertNil(RateLimit(parsing: "-1/min"))
        XCTAssertEqual(RateLimit(count: 10, per: 60).description, "10/min")
    }

    func testSlotsAreSpacedEvenly() {
        let clock = VirtualClock()
        let limiter = RateLimiter(RateLimit(count: 10, per: 60), clock: clock.clock)
        // The first request goes at once, each later one 6 s after the previous slot.
        let waits = (0..<4).map { _ in limiter.reserve() }
        XCTAssertEqual(waits, [0, 6, 12, 18])
        clock.advance(30)
        // 30 s later the backlog (last slot at +18) is gone but no burst builds up beyond one.
        XCTAssertEqual(limiter.reserve(), 0)
        XCTAssertEqual(limiter.reserve(), 6)
    }

    func testBurstCapacity() {
        let clock = VirtualClock()
        let limiter = RateLimiter(RateLimit(count: 1, per: 1, burst: 3), clock: clock.clock)
        XCTAssertEqual((0..<5).map { _ in limiter.reserve() }, [0, 0, 0, 1, 2])
        clock.advance(100)
        XCTAssertEqual((0..<4).map { _ in limiter.reserve() }, [0, 0, 0, 1])
    }

    func testAcquireSleepsOnTheInjectedClock() async throws {
        let clock = VirtualClock()
        let limiter = RateLimiter(RateLimit(count: 2, per: 1), clock: clock.clock)
        let start = clock.now
        for _ in 0..<5 { try await limiter.acquire() }
        XCTAssertEqual(clock.sleeps, [0.5, 0.5, 0.5, 0.5])
        XCTAssertEqual(clock.now - start, 2.0, accuracy: 1e-9)
    }

    func testConcurrentCallersAreServedInArrivalOrderAtTheRate() async throws {
        let clock = VirtualClock()
        let limiter = RateLimiter(RateLimit(count: 10, per: 60), clock: clock.clock)
        // Reservations are taken in arrival order; the waits grow by exactly one period each.
        let waits = await withTaskGroup(of: Double.self) { group in
            for _ in 0..<20 { group.addTask { limiter.reserve() } }
            var all: [Double] = []
            for await wait in group { all.append(wait) }
            return all.sorted()
        }
        XCTAssertEqual(waits, (0..<20).map { Double($0) * 6 })
    }

    func testCancelledWaiterGivesItsSlotBack() async {
        let limiter = RateLimiter(RateLimit(count: 1, per: 10), clock: ServiceClock.system)
        XCTAssertEqual(limiter.reserve(), 0)
        let waiter = Task { try await limiter.acquire() }
        try? await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        let outcome = await waiter.result
        XCTAssertThrowsError(try outcome.get()) { error in
            XCTAssertEqual((error as? ServiceError)?.kind, .canceled)
        }
        // The slot at +10 s was returned: the next caller gets it instead of +20 s.
        let next = limiter.reserve()
        XCTAssertGreaterThan(next, 9)
        XCTAssertLessThan(next, 10.01)
    }

    func testTryOnQueriesGoThroughTheLimiter() async throws {
        let clock = VirtualClock()
        let limiter = RateLimiter(RateLimit(count: 10, per: 60), clock: clock.clock)
        let transport = FakeTransport(responses: [response(200, #"{"code": 200, "data": {"state": 1}}"#)])
        let tryon = TryOnClient(
            caller: makeCaller(.tryon, transport: transport, clock: clock, limiter: limiter),
            apiURL: try ServiceURL(parsing: "https://t.test"), ossURL: "", keys: .init(openID: "o", apiKey: "k"),
            budget: CoinBudget(maxCoins: nil))
        let start = clock.now
        for id in 0..<4 { _ = try await tryon.result(infID: Int64(id)) }
        XCTAssertEqual(transport.count, 4)
        XCTAssertEqual(clock.now - start, 18, accuracy: 1e-9)
    }

    func testPauseHoldsBackLaterSlotsButNeverBringsThemForward() {
        let clock = VirtualClock()
        let limiter = RateLimiter(RateLimit(count: 10, per: 60), clock: clock.clock)
        XCTAssertEqual(limiter.reserve(), 0)
        limiter.pause(for: 30)
        XCTAssertEqual(limiter.reserve(), 30, accuracy: 1e-9)
        limiter.pause(for: 5)
        XCTAssertEqual(limiter.reserve(), 36, accuracy: 1e-9, "already later than 5 s: unchanged")
    }

    func testThrottledAnswerPausesTheWholeService() async throws {
        let clock = VirtualClock()
        let limiter = RateLimiter(RateLimit(count: 60, per: 60), clock: clock.clock)
        let transport = FakeTransport(responses: [
            response(429, #"{"code": 429, "msg": "blocked"}"#, headers: ["Retry-After": "45"]),
            response(200, #"{"code": 200, "data": {"state": 1}}"#),
        ])
        let tryon = TryOnClient(
            caller: makeCaller(.tryon, transport: transport, clock: clock, policy: .none, limiter: limiter),
            apiURL: try ServiceURL(parsing: "https://t.test"), ossURL: "", keys: .init(openID: "o", apiKey: "k"),
            budget: CoinBudget(maxCoins: nil))
        let error = await assertServiceError { try await tryon.result(infID: 1) }
        XCTAssertEqual(error?.kind, .throttled)
        XCTAssertEqual(error?.retryAfter, 45)
        // Another job's query now waits out the pause instead of tripping the block again.
        let start = clock.now
        let next = try await tryon.result(infID: 2)
        XCTAssertEqual(next.status, .queued)
        XCTAssertEqual(clock.now - start, 45, accuracy: 1e-9)
    }

    func testTryOnRetryPolicyBacksOffSlowly() async throws {
        let clock = VirtualClock()
        let transport = FakeTransport(responses: [
            response(429, #"{"code": 429, "msg": "too fast"}"#), response(200, #"{"code": 200, "data": {"state": 1}}"#),
        ])
        let tryon = TryOnClient(
            caller: makeCaller(.tryon, transport: transport, clock: clock, policy: .tryOn),
            apiURL: try ServiceURL(parsing: "https://t.test"), ossURL: "", keys: .init(openID: "o", apiKey: "k"),
            budget: CoinBudget(maxCoins: nil))
        _ = try await tryon.result(infID: 1)
        XCTAssertEqual(clock.sleeps, [60], "a throttled try-on query waits a minute before its one retry")
        XCTAssertEqual(RetryPolicy.defaults(for: .tryon), .tryOn)
        XCTAssertEqual(RetryPolicy.defaults(for: .modelarts), .standard)
    }
}
