import XCTest

@testable import Services
@testable import Transport

final class RetryTests: XCTestCase {
    private let ok = response(200, #"{"job_id": "j", "state": "PROCESSING"}"#)

    private func metastudio(
        _ transport: FakeTransport, clock: VirtualClock, policy: RetryPolicy = .standard, counters: RunCounters = RunCounters()
    ) -> MetaStudioClient {
        MetaStudioClient(gateway: makeGateway(.metastudio, transport: transport, clock: clock, policy: policy, counters: counters))
    }

    func testRetries5xxThenSucceeds() async throws {
        let clock = VirtualClock()
        let counters = RunCounters()
        let transport = FakeTransport(responses: [
            response(500, #"{"error_code": "MSS.00000004", "error_msg": "Internal Error"}"#), response(503, ""), ok,
        ])
        let result = try await metastudio(transport, clock: clock, counters: counters).job(jobID: "j")
        XCTAssertEqual(result.status, .running)
        XCTAssertEqual(transport.count, 3)
        // Full jitter with random = 0.5: 0.5 * 0.5 * 2^(n-1).
        XCTAssertEqual(clock.sleeps, [0.25, 0.5])
        XCTAssertEqual(counters.snapshot.retries["metastudio"], 2)
        XCTAssertEqual(counters.snapshot.requests["metastudio"], 3)
    }

    func testEachAttemptIsSignedAfresh() async throws {
        // The wall clock starts at 1_700_000_000; a 429 asks for 7 s, so the retry is signed 7 s later.
        let clock = VirtualClock()
        let transport = FakeTransport(responses: [response(429, "", headers: ["Retry-After": "7"]), ok])
        _ = try await metastudio(transport, clock: clock).job(jobID: "j")
        XCTAssertEqual(transport.count, 2)
        let dates = transport.requests.map { $0.headers["X-Sdk-Date"] }
        XCTAssertEqual(dates[0], UTCTime.sdkDate(epochSeconds: 1_700_000_000))
        XCTAssertEqual(dates[1], UTCTime.sdkDate(epochSeconds: 1_700_000_000 + clock.sleeps.reduce(0, +)))
        XCTAssertNotEqual(dates[0], dates[1])
        let signatures = transport.requests.map { $0.headers["Authorization"] }
        XCTAssertNotNil(signatures[0])
        XCTAssertNotEqual(signatures[0], signatures[1], "a new signature for the new date")
    }

    func testRetriesConnectionResets() async throws {
        let clock = VirtualClock()
        let transport = FakeTransport { _, number in
            if number < 2 { throw ServiceError(.network, "connection reset by peer") }
            return response(200, #"{"job_id": "j", "state": "PROCESSING"}"#)
        }
        let result = try await metastudio(transport, clock: clock).job(jobID: "j")
        XCTAssertEqual(result.status, .running)
        XCTAssertEqual(transport.count, 3)
    }

    func testThrottledHonoursRetryAfterButCapsIt() async throws {
        let clock = VirtualClock()
        let throttled: (String) -> ServiceResponse = { after in
            response(
                429, #"{"error_code": "APIG.0308", "error_msg": "The throttling threshold has been reached"}"#,
                headers: ["Retry-After": after])
        }
        let transport = FakeTransport(responses: [throttled("7"), throttled("3600"), ok])
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: 0.5, maxDelay: 20, retryAfterCap: 30)
        _ = try await metastudio(transport, clock: clock, policy: policy).job(jobID: "j")
        XCTAssertEqual(clock.sleeps, [7, 30], "Retry-After honoured, then capped")
    }

    func testThrottledWithoutRetryAfterWaitsAFewSeconds() async throws {
        let clock = VirtualClock()
        let transport = FakeTransport(responses: [response(429, #"{"error_code": "APIG.0308", "error_msg": "x"}"#), ok])
        _ = try await metastudio(transport, clock: clock).job(jobID: "j")
        XCTAssertEqual(clock.sleeps, [2])
    }

    func testAuthFailsFastWithExactlyOneRequest() async {
        let clock = VirtualClock()
        let transport = FakeTransport(responses: [
            response(401, #"{"error_code": "APIGW.0301", "error_msg": "verify aksk signature fail"}"#, headers: ["X-Request-Id": "r1"])
        ])
        let error = await assertServiceError { try await self.metastudio(transport, clock: clock).job(jobID: "j") }
        XCTAssertEqual(error?.kind, .auth)
        XCTAssertEqual(error?.requestID, "r1")
        XCTAssertEqual(transport.count, 1)
        XCTAssertEqual(clock.sleeps, [])
    }

    func testOther4xxFailFast() async {
        for (status, kind) in [(400, ServiceError.Kind.invalidArgument), (403, .forbidden), (404, .notFound)] {
            let clock = VirtualClock()
            let transport = FakeTransport(responses: [response(status, #"{"error_code": "E", "error_msg": "m"}"#)])
            let error = await assertServiceError { try await self.metastudio(transport, clock: clock).job(jobID: "j") }
            XCTAssertEqual(error?.kind, kind)
            XCTAssertEqual(transport.count, 1, "HTTP \(status) must not be retried")
        }
    }

    func testGivesUpAfterMaxAttemptsWithClearMessage() async {
        let clock = VirtualClock()
        let transport = FakeTransport(responses: [response(502, "bad gateway")])
        let error = await assertServiceError {
            try await self.metastudio(transport, clock: clock, policy: RetryPolicy(maxAttempts: 3)).job(jobID: "j")
        }
        XCTAssertEqual(error?.kind, .server)
        XCTAssertEqual(transport.count, 3)
        XCTAssertEqual(error?.message, "HTTP 502: bad gateway (gave up after 3 attempts)")
    }

    func testBackoffDelaysAreCappedAndJittered() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: 1, maxDelay: 8, retryAfterCap: 30)
        let error = ServiceError(.server, "x")
        let top = (1...6).map { policy.delay(after: error, attempt: $0, random: .constant(0.999_999)) }
        XCTAssertEqual(top.map { $0.rounded() }, [1, 2, 4, 8, 8, 8])
        XCTAssertEqual(policy.delay(after: error, attempt: 5, random: .constant(0)), 0)
        XCTAssertFalse(policy.shouldRetry(ServiceError(.auth, "x"), attempt: 1))
        XCTAssertFalse(policy.shouldRetry(error, attempt: 10))
        XCTAssertTrue(policy.shouldRetry(error, attempt: 9))
    }

    func testCancellationIsNotRetried() async {
        let clock = VirtualClock()
        let transport = FakeTransport { _, _ in throw ServiceError(.canceled, "request canceled") }
        let error = await assertServiceError { try await self.metastudio(transport, clock: clock).job(jobID: "j") }
        XCTAssertEqual(error?.kind, .canceled)
        XCTAssertEqual(transport.count, 1)
    }
}

final class RandomSourceTests: XCTestCase {
    func testTheSystemSourceIsUniformInTheUnitInterval() {
        let random = RandomSource.system
        var sum = 0.0
        var buckets = [Int](repeating: 0, count: 10)
        for _ in 0..<100_000 {
            let value = random.next()
            XCTAssertTrue((0..<1).contains(value))
            sum += value
            buckets[Int(value * 10)] += 1
        }
        XCTAssertEqual(sum / 100_000, 0.5, accuracy: 0.01)
        for count in buckets { XCTAssertEqual(Double(count), 10_000, accuracy: 600, "\(buckets)") }
    }

    func testSeedsGiveDifferentSequences() {
        let one = SplitMix64(seed: 1), two = SplitMix64(seed: 2)
        let first = (0..<8).map { _ in one.nextUnitInterval() }
        XCTAssertNotEqual(first, (0..<8).map { _ in two.nextUnitInterval() })
        XCTAssertEqual(Set(first).count, 8)
    }
}
