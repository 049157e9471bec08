import Foundation
import Synchronization
import XCTest

@testable import JSON
@testable import Services
@testable import Transport

final class IAMTokenTests: XCTestCase {
    /// A fake IAM + MetaStudio: tokens `tok-1`, `tok-2`, ... living `lifetime` seconds.
    final class FakeCloud: Sendable {
        final class Shared: Sendable {
            let state = Mutex<(issued: Int, expiredToken: String?)>((0, nil))
        }
        let clock: VirtualClock
        let lifetime: Double
        let fetchDelay: Duration
        let shared = Shared()
        let transport: FakeTransport

        init(clock: VirtualClock, lifetime: Double = 86400, fetchDelay: Duration = .zero) {
            self.clock = clock
            self.lifetime = lifetime
            self.fetchDelay = fetchDelay
            let shared = shared
            self.transport = FakeTransport { request, _ in
                try await Self.handle(request, shared: shared, clock: clock, lifetime: lifetime, fetchDelay: fetchDelay)
            }
        }

        var issued: Int { shared.state.withLock { $0.issued } }
        /// Makes the service answer 401 "token expired" for `token`.
        func expire(_ token: String) { shared.state.withLock { $0.expiredToken = token } }

        func handle(_ request: ServiceRequest) async throws -> ServiceResponse {
            try await Self.handle(request, shared: shared, clock: clock, lifetime: lifetime, fetchDelay: fetchDelay)
        }

        static func handle(
            _ request: ServiceRequest, shared: Shared, clock: VirtualClock, lifetime: Double, fetchDelay: Duration
        ) async throws -> ServiceResponse {
            if request.url.path == "/v3/auth/tokens" {
                if fetchDelay > .zero { try await Task.sleep(for: fetchDelay) }
                let body = try JSONParser.parse(request.body)
                let password = body["auth"]?["identity"]?["password"]?["user"]?["password"]?.stringValue
                guard password == "iam-password" else {
                    return response(401, #"{"error": {"code": 401, "message": "The username or password is wrong."}}"#)
                }
                let number = shared.state.withLock { state in
                    state.issued += 1
                    return state.issued
                }
                let expires = UTCTime.parts(fromEpochSeconds: Int64(clock.wall + lifetime))
                let stamp = String(
                    format: "%04d-%02d-%02dT%02d:%02d:%02d.000000Z", expires.year, expires.month, expires.day, expires.hour,
                    expires.minute, expires.second)
                return response(
                    201, #"{"token": {"expires_at": "\#(stamp)", "methods": ["password"]}}"#,
                    headers: ["X-Subject-Token": "tok-\(number)"])
            }
            let token = request.headers["X-Auth-Token"]
            if token == nil || token == shared.state.withLock({ $0.expiredToken }) {
                return response(401, #"{"error_code": "APIG.0307", "error_msg": "The token must be updated."}"#)
            }
            return response(200, #"{"job_id": "j", "state": "SUCCEED", "seen_token": "\#(token!)"}"#)
        }
    }

    private func provider(_ cloud: FakeCloud, password: String = "iam-password", counters: RunCounters = RunCounters())
        -> IAMTokenProvider
    {
        let caller = makeCaller(.iam, transport: cloud.transport, clock: cloud.clock, counters: counters)
        return IAMTokenProvider(
            credentials: .init(
                endpoint: try! ServiceURL(parsing: "https://iam.example.test"), user: "alice", domain: "corp",
                password: password, projectID: "p1"),
            caller: caller)
    }

    func testTokenRequestShapeAndCaching() async throws {
        let cloud = FakeCloud(clock: VirtualClock())
        let iam = provider(cloud)
        let first = try await iam.token()
        let second = try await iam.token()
        XCTAssertEqual(first, "tok-1")
        XCTAssertEqual(second, "tok-1")
        XCTAssertEqual(cloud.issued, 1)
        let request = try XCTUnwrap(cloud.transport.requests.first)
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.url.description, "https://iam.example.test/v3/auth/tokens")
        XCTAssertEqual(
            String(decoding: request.body, as: UTF8.self),
            #"{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"alice","password":"iam-password","domain":{"name":"corp"}}}},"scope":{"project":{"id":"p1"}}}}"#)
    }

    func testRenewsWellBeforeExpiry() async throws {
        let clock = VirtualClock()
        let cloud = FakeCloud(clock: clock, lifetime: 86400)
        let iam = provider(cloud)
        do { let value = try await iam.token(); XCTAssertEqual(value, "tok-1") }
        clock.advance(86400 - 3601)  // 1 h + 1 s left: still fine
        do { let value = try await iam.token(); XCTAssertEqual(value, "tok-1") }
        clock.advance(2)  // less than an hour left: renewed, long before expiry
        do { let value = try await iam.token(); XCTAssertEqual(value, "tok-2") }
        XCTAssertEqual(cloud.issued, 2)
    }

    func testShortLivedTokensRenewAtThreeQuartersOfLifetime() async throws {
        let clock = VirtualClock()
        let cloud = FakeCloud(clock: clock, lifetime: 100)
        let iam = provider(cloud)
        do { let value = try await iam.token(); XCTAssertEqual(value, "tok-1") }
        clock.advance(74)
        do { let value = try await iam.token(); XCTAssertEqual(value, "tok-1") }
        clock.advance(2)
        do { let value = try await iam.token(); XCTAssertEqual(value, "tok-2") }
    }

    func testCancellingEveryCallerCancelsTheFetch() async throws {
        let cloud = FakeCloud(clock: VirtualClock(), fetchDelay: .seconds(30))
        let iam = provider(cloud)
        let callers = (0..<3).map { _ in Task { try await iam.token() } }
        try await Task.sleep(for: .milliseconds(100))
        let started = ContinuousClock.now
        for caller in callers { caller.cancel() }
        for caller in callers {
            let result = await caller.result
            XCTAssertThrowsError(try result.get()) { error in XCTAssertEqual((error as? ServiceError)?.kind, .canceled, "\(error)") }
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(5), "not after the 30 s fetch")
        XCTAssertEqual(cloud.issued, 0)
    }

    func testOneCallerCancelledLeavesTheSharedFetchToTheOthers() async throws {
        let cloud = FakeCloud(clock: VirtualClock(), fetchDelay: .milliseconds(300))
        let iam = provider(cloud)
        let leaving = Task { try await iam.token() }
        let staying = Task { try await iam.token() }
        try await Task.sleep(for: .milliseconds(50))
        leaving.cancel()
        let token = try await staying.value
        XCTAssertEqual(token, "tok-1")
        XCTAssertEqual(cloud.issued, 1)
    }

    func testConcurrentCallersShareOneFetch() async throws {
        let cloud = FakeCloud(clock: VirtualClock(), fetchDelay: .milliseconds(100))
        let iam = provider(cloud)
        let tokens = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<25 { group.addTask { try await iam.token() } }
            var all: [String] = []
            for try await token in group { all.append(token) }
            return all
        }
        XCTAssertEqual(Set(tokens), ["tok-1"])
        XCTAssertEqual(tokens.count, 25)
        XCTAssertEqual(cloud.issued, 1)
        let fetches = await iam.fetchCount
        XCTAssertEqual(fetches, 1)
    }

    func testExpiredTokenOn401RenewsOnceAndRetries() async throws {
        let clock = VirtualClock()
        let cloud = FakeCloud(clock: clock)
        let iam = provider(cloud)
        let client = MetaStudioClient(
            gateway: makeGateway(.metastudio, transport: cloud.transport, clock: clock, auth: .iam(iam)))
        let first = try await client.job(jobID: "j")
        XCTAssertEqual(first.fields["seen_token"], .string("tok-1"))
        cloud.expire("tok-1")
        let second = try await client.job(jobID: "j")
        XCTAssertEqual(second.fields["seen_token"], .string("tok-2"))
        XCTAssertEqual(cloud.issued, 2)
        // job, job(401), token, job
        let paths = cloud.transport.requests.map(\.url.path)
        XCTAssertEqual(paths.filter { $0 == "/v3/auth/tokens" }.count, 2)
        XCTAssertEqual(paths.count, 5)
    }

    func testRenewsOnlyOnceWhenTheServiceKeepsRefusing() async throws {
        let clock = VirtualClock()
        let cloud = FakeCloud(clock: clock)
        let iam = provider(cloud)
        let transport = FakeTransport { request, _ in
            if request.url.path == "/v3/auth/tokens" { return try await cloud.handle(request) }
            return response(401, #"{"error_code": "APIG.0307", "error_msg": "The token expired."}"#)
        }
        let client = MetaStudioClient(gateway: makeGateway(.metastudio, transport: transport, clock: clock, auth: .iam(iam)))
        let error = await assertServiceError { try await client.job(jobID: "j") }
        XCTAssertEqual(error?.kind, .auth)
        XCTAssertEqual(error?.code, "APIG.0307")
        XCTAssertEqual(cloud.issued, 2, "one renewal, no storm")
        XCTAssertEqual(transport.requests.filter { $0.url.path != "/v3/auth/tokens" }.count, 2)
    }

    func testWrongPasswordIsOneClearAuthErrorWithoutThePassword() async {
        let cloud = FakeCloud(clock: VirtualClock())
        let iam = provider(cloud, password: "wrong-password-123")
        let error = await assertServiceError { try await iam.token() }
        XCTAssertEqual(error?.kind, .auth)
        XCTAssertEqual(error?.service, "iam")
        XCTAssertTrue(error?.message.contains("alice") == true)
        XCTAssertTrue(error?.message.contains("The username or password is wrong.") == true, error?.message ?? "")
        XCTAssertFalse(error?.description.contains("wrong-password-123") == true)
        XCTAssertEqual(cloud.transport.count, 1)
    }

    func testTokenIsRegisteredAsSecret() async throws {
        let cloud = FakeCloud(clock: VirtualClock())
        let redactor = Redactor()
        let caller = makeCaller(.iam, transport: cloud.transport, clock: cloud.clock, redactor: redactor)
        let iam = IAMTokenProvider(
            credentials: .init(
                endpoint: try ServiceURL(parsing: "https://iam.example.test"), user: "alice", domain: "corp",
                password: "iam-password", projectID: nil, projectName: "cn-east-3"),
            caller: caller)
        _ = try await iam.token()
        XCTAssertEqual(redactor.redact("X-Auth-Token: tok-1"), "X-Auth-Token: ***")
        let body = String(decoding: cloud.transport.requests[0].body, as: UTF8.self)
        XCTAssertTrue(body.hasSuffix(#""scope":{"project":{"name":"cn-east-3"}}}}"#), body)
    }
}
