import XCTest

@testable import RunConfiguration
@testable import Services
@testable import Transport

/// The try-on firewall: a 403 with an HTML page is a block (`throttled`), not
/// `forbidden`; the whole run stops querying for the cool-down, lowers its
/// rate once per block, and retries after it.
final class FirewallTests: XCTestCase {
    static let firewallPage = response(
        403, "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n"
            + "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
        headers: ["Content-Type": "text/html"])
    static let queued = response(200, #"{"code": 200, "msg": "ok", "data": {"state": 1, "position": 2}}"#)

    private func client(
        _ transport: FakeTransport, clock: VirtualClock, limiter: RateLimiter?, policy: RetryPolicy = .tryOn,
        backoff: BlockBackoff = .tryOn
    ) -> TryOnClient {
        TryOnClient(
            caller: makeCaller(.tryon, transport: transport, clock: clock, policy: policy, limiter: limiter),
            apiURL: try! ServiceURL(parsing: "https://tryon.example.test"), ossURL: "", keys: .init(openID: "open-id-1", apiKey: "api-key-1"),
            budget: CoinBudget(maxCoins: nil), blockBackoff: backoff)
    }

    func testFirewallPageIsThrottledButAJSONForbiddenIsNot() async {
        let clock = VirtualClock()
        let blocked = await assertServiceError {
            try await self.client(FakeTransport(responses: [Self.firewallPage]), clock: clock, limiter: nil, policy: .none)
                .result(infID: 1)
        }
        XCTAssertEqual(blocked?.kind, .throttled)
        XCTAssertEqual(blocked?.status, 403)
        XCTAssertEqual(blocked?.retryable, true)
        XCTAssertEqual(blocked?.retryAfter, 300)
        XCTAssertTrue(blocked?.message.contains("firewall") == true, blocked?.message ?? "")

        let denied = await assertServiceError {
            try await self.client(
                FakeTransport(responses: [response(403, #"{"code": 403, "msg": "account disabled"}"#)]), clock: clock,
                limiter: nil, policy: .none
            ).result(infID: 1)
        }
        XCTAssertEqual(denied?.kind, .forbidden)
        XCTAssertEqual(denied?.message, "account disabled")
    }

    func testBlockPausesTheRunHalvesTheRateAndRetriesAfterTheCooldown() async throws {
        let clock = VirtualClock()
        let limiter = RateLimiter(RateLimit(count: 60, per: 60), clock: clock.clock)
        let transport = FakeTransport(responses: [Self.firewallPage, Self.queued])
        let tryon = client(transport, clock: clock, limiter: limiter)
        let start = clock.now
        let result = try await tryon.result(infID: 7)
        XCTAssertEqual(result.status, .queued)
        XCTAssertEqual(transport.count, 2, "one blocked query, one retry")
        XCTAssertEqual(clock.now - start, 300, accuracy: 1e-9, "the retry waits out the whole cool-down")
        XCTAssertEqual(limiter.limit, RateLimit(count: 30, per: 60))
        // Every later query of the run goes at the lowered rate: 2 s apart instead of 1 s.
        let next = clock.now
        _ = try await tryon.result(infID: 8)
        XCTAssertEqual(clock.now - next, 2, accuracy: 1e-9)
    }

    func testTheCooldownIsConfigurable() async throws {
        let clock = VirtualClock()
        let limiter = RateLimiter(RateLimit(count: 60, per: 60), clock: clock.clock)
        let transport = FakeTransport(responses: [Self.firewallPage, Self.queued])
        let tryon = client(transport, clock: clock, limiter: limiter, backoff: BlockBackoff(cooldown: 4, rateFactor: 0.25))
        let start = clock.now
        _ = try await tryon.result(infID: 7)
        // The retry policy's jitter (up to 5 s at random 0.5: 2.5 s) is shorter than the cool-down.
        XCTAssertEqual(clock.now - start, 4, accuracy: 1e-9)
        XCTAssertEqual(limiter.limit, RateLimit(count: 15, per: 60))
    }

    func testAnswersToQueriesAlreadyInFlightLowerTheRateOnlyOnce() {
        let clock = VirtualClock()
        let limiter = RateLimiter(RateLimit(count: 40, per: 60), clock: clock.clock)
        XCTAssertEqual(limiter.block(for: 10, slowingBy: 0.5), RateLimit(count: 20, per: 60))
        clock.advance(1)
        XCTAssertNil(limiter.block(for: 10, slowingBy: 0.5), "an echo of the same block")
        XCTAssertEqual(limiter.limit, RateLimit(count: 20, per: 60))
        // The echo extended the pause to 10 s after itself.
        XCTAssertEqual(limiter.reserve(), 10, accuracy: 1e-9)
        clock.advance(30)
        XCTAssertEqual(limiter.block(for: 10, slowingBy: 0.5), RateLimit(count: 10, per: 60), "a new block")
    }

    func testQueriesThatHadReservedASlotWaitOutTheBlock() async throws {
        // Real time, small numbers: three queries reserve slots 50 ms apart; a block arrives
        // before the second slot. Neither of the two waiting may go out before the block ends,
        // and they go out at the lowered rate (100 ms apart).
        let limiter = RateLimiter(RateLimit(count: 20, per: 1), clock: .system)
        let clock = ServiceClock.system
        let started = clock.now()
        try await limiter.acquire()
        @Sendable func sent() async throws -> Double {
            try await limiter.acquire()
            return clock.now()
        }
        async let second = sent()
        async let third = sent()
        try await Task.sleep(for: .milliseconds(10))
        let blockedAt = clock.now()
        limiter.block(for: 0.3, slowingBy: 0.5)
        let times = try await [second, third].sorted()
        XCTAssertGreaterThanOrEqual(times[0] - blockedAt, 0.3, "sent during the block")
        XCTAssertGreaterThanOrEqual(times[1] - blockedAt, 0.4, "not at the lowered rate")
        XCTAssertLessThan(times[1] - started, 5)
    }

    func testTheHubAppliesItsBackoffToTryOn() async throws {
        let clock = VirtualClock()
        let transport = FakeTransport(responses: [Self.firewallPage, Self.queued])
        let hub = ServiceHub(
            configuration: try MoonwatchConfiguration.load(toml: ServiceHubTests.toml), environment: ServiceHubTests.environment,
            transport: transport, clock: clock.clock, random: .constant(0), tryonBlockBackoff: BlockBackoff(cooldown: 9))
        let start = clock.now
        _ = try await hub.tryon().result(infID: 1)
        XCTAssertEqual(clock.now - start, 9, accuracy: 1e-9)
        XCTAssertEqual(hub.limiters[.tryon]?.limit, RateLimit(count: 30, per: 60))
        XCTAssertEqual(hub.snapshot.throttled["tryon"], 1)
    }
}
