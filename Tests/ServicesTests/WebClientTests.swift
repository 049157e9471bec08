import XCTest

@testable import RunConfiguration
@testable import Services
@testable import Transport

/// `http.request`'s client on a fake transport: redirects, the allow list, header
/// checks, retries, limits and redaction, each visible in what was (not) sent.
final class WebClientTests: XCTestCase {
    private func client(
        _ transport: FakeTransport, allow: [String]? = nil, serviceHosts: Set<String> = [], clock: VirtualClock = VirtualClock(),
        redactor: Redactor = Redactor()
    ) -> WebClient {
        var problem = ""
        let patterns = allow.map { $0.map { HostPattern(parsing: $0, problem: &problem)! } }
        return WebClient(
            caller: makeCaller(.http, transport: transport, clock: clock, redactor: redactor), allow: patterns,
            allowOrigin: "moonwatch.toml:2", serviceHosts: serviceHosts)
    }

    func testAGetSendsOnlyWhatTheScriptGaveAndReturnsAnyStatus() async throws {
        let transport = FakeTransport(responses: [response(404, "{\"error\":\"no\"}", headers: ["Content-Type": "application/json", "X-Request-Id": "r1"])])
        let answer = try await client(transport).send(
            .init(url: "https://hooks.example.com/a/b?x=1", query: [("y", "2 3")], headers: [("X-Trace", "t")]))
        XCTAssertEqual(answer.status, 404)
        XCTAssertEqual(answer.requestID, "r1")
        XCTAssertTrue(answer.isJSON)
        let sent = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(sent.method, "GET")
        XCTAssertEqual(sent.url.description, "https://hooks.example.com/a/b?x=1&y=2%203")
        XCTAssertEqual(Set(sent.headers.map { $0.name }), ["X-Trace", "User-Agent"])
        XCTAssertNil(sent.headers["Authorization"])
        XCTAssertEqual(sent.maxBodyBytes, WebClient.defaultMaxBytes)
    }

    func testRaiseTurnsAnErrorStatusIntoTheErrorTable() async throws {
        let transport = FakeTransport(responses: [response(403, "denied")])
        let error = await assertServiceError {
            try await self.client(transport).send(.init(url: "http://h.test/x", method: "post", raise: true))
        }
        XCTAssertEqual(error?.kind, .forbidden)
        XCTAssertEqual(error?.status, 403)
        XCTAssertEqual(error?.service, "http")
        XCTAssertEqual(error?.message, "http.request POST http://h.test/x: HTTP 403: denied")
    }

    func testAHostOutsideTheAllowListIsRefusedBeforeAnyRequest() async throws {
        let transport = FakeTransport(responses: [response(200, "")])
        let web = client(transport, allow: ["hooks.slack.com", "*.example.com"], serviceHosts: ["127.0.0.1"])
        let error = await assertServiceError { try await web.send(.init(url: "https://evil.test/steal")) }
        XCTAssertEqual(error?.kind, .forbidden)
        XCTAssertEqual(
            error?.message,
            "http.request: host evil.test is not allowed by [http] allow (moonwatch.toml:2) — it allows hooks.slack.com, *.example.com, and the configured services' hosts")
        // The apex of a wildcard is not covered.
        _ = await assertServiceError { try await web.send(.init(url: "https://example.com/")) }
        XCTAssertEqual(transport.count, 0)
        for url in ["https://hooks.slack.com/x", "https://a.b.example.com/", "http://127.0.0.1:9/echo"] {
            _ = try await web.send(.init(url: url))
        }
        XCTAssertEqual(transport.count, 3)
    }

    func testARedirectToAHostOutsideTheAllowListIsRefused() async throws {
        let transport = FakeTransport(responses: [response(302, "", headers: ["Location": "https://evil.test/x"])])
        let error = await assertServiceError {
            try await self.client(transport, allow: ["ok.test"]).send(.init(url: "https://ok.test/start"))
        }
        XCTAssertEqual(error?.kind, .forbidden)
        XCTAssertTrue(error?.message.contains("host evil.test") ?? false)
        XCTAssertEqual(transport.count, 1)
    }

    func testRedirectsAreFollowedAtMostFiveTimes() async throws {
        let transport = FakeTransport { request, number in
            number < 3 ? response(307, "", headers: ["Location": "next\(number)?n=\(number)"]) : response(200, "done")
        }
        let answer = try await client(transport).send(.init(url: "http://h.test/dir/start", method: "PUT", body: Array("b".utf8)))
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(answer.url.description, "http://h.test/dir/next2?n=2")
        XCTAssertEqual(transport.requests.map(\.method), ["PUT", "PUT", "PUT", "PUT"])
        XCTAssertEqual(transport.requests.map { String(decoding: $0.body, as: UTF8.self) }, ["b", "b", "b", "b"])

        let loop = FakeTransport(responses: [response(302, "", headers: ["Location": "/again"])])
        let error = await assertServiceError { try await self.client(loop).send(.init(url: "http://h.test/again")) }
        XCTAssertEqual(error?.kind, .badResponse)
        XCTAssertEqual(error?.message, "http.request GET http://h.test/again: more than 5 redirects")
        XCTAssertEqual(loop.count, 6)
    }

    func testA303ContinuesAsAGetAndCredentialsStayWithTheirOrigin() async throws {
        let transport = FakeTransport { _, number in
            number == 0 ? response(303, "", headers: ["Location": "https://other.test/result"]) : response(200, "")
        }
        _ = try await client(transport).send(
            .init(url: "https://first.test/submit", method: "POST", headers: [("Authorization", "Bearer abcdefgh"), ("X-Keep", "k")],
                body: Array("{}".utf8)))
        let second = transport.requests[1]
        XCTAssertEqual(second.method, "GET")
        XCTAssertEqual(second.body, [])
        XCTAssertNil(second.headers["Authorization"])
        XCTAssertNil(second.headers["Content-Type"])
        XCTAssertEqual(second.headers["X-Keep"], "k")
    }

    func testHeaderInjectionAndReservedHeadersAreRefused() async throws {
        let transport = FakeTransport(responses: [response(200, "")])
        for (name, value, expected) in [
            ("X-A", "ok\r\nX-Evil: 1", "http.request: header 'X-A' has a CR or LF in its value (header injection refused)"),
            ("X-A", "ok\nmore", "http.request: header 'X-A' has a CR or LF in its value (header injection refused)"),
            ("X A", "v", "http.request: header name 'X A' is not a valid HTTP header name"),
            ("Host", "evil.test", "http.request: header 'Host' is set by moonwatch and cannot be given"),
            ("Content-Length", "3", "http.request: header 'Content-Length' is set by moonwatch and cannot be given"),
        ] {
            let error = await assertServiceError {
                try await self.client(transport).send(.init(url: "http://h.test/", headers: [(name, value)]))
            }
            XCTAssertEqual(error?.kind, .invalidArgument)
            XCTAssertEqual(error?.message, expected)
        }
        XCTAssertEqual(transport.count, 0)
    }

    func testIdempotentRequestsAreRetriedAndAPostOnlyWhenAsked() async throws {
        let flaky = { FakeTransport { _, number in number < 2 ? response(503, "busy") : response(200, "ok") } }
        let get = flaky()
        let answer = try await client(get).send(.init(url: "http://h.test/"))
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(get.count, 3)

        let post = flaky()
        let first = try await client(post).send(.init(url: "http://h.test/", method: "POST"))
        XCTAssertEqual(first.status, 503, "a POST is sent once and its answer returned")
        XCTAssertEqual(post.count, 1)

        let asked = flaky()
        let retried = try await client(asked).send(.init(url: "http://h.test/", method: "POST", retry: true))
        XCTAssertEqual(retried.status, 200)
        XCTAssertEqual(asked.count, 3)

        let always = FakeTransport(responses: [response(503, "still busy")])
        let last = try await client(always).send(.init(url: "http://h.test/"))
        XCTAssertEqual(last.status, 503, "after the last attempt a retryable status is still an answer")
        XCTAssertEqual(always.count, 5)
    }

    func testAnHTTPDateRetryAfterIsReadAgainstTheWallClock() async throws {
        let clock = VirtualClock()
        // Three seconds after the virtual wall clock's 1,700,000,000.
        let transport = FakeTransport { _, number in
            number == 0 ? response(503, "", headers: ["Retry-After": "Tue, 14 Nov 2023 22:13:23 GMT"]) : response(200, "")
        }
        let answer = try await client(transport, clock: clock).send(.init(url: "http://h.test/"))
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(clock.sleeps, [3])
    }

    func testRetriesStopAtTheRequestsTimeout() async throws {
        let clock = VirtualClock()
        // Each attempt fails after 4 s, or times out at the request's own limit, as the transport would.
        let transport = FakeTransport { request, _ in
            let limit = try XCTUnwrap(request.timeout)
            clock.advance(min(4, limit))
            if limit <= 4 { throw ServiceError(.timeout, "request timed out") }
            throw ServiceError(.network, "connection refused")
        }
        let error = await assertServiceError {
            try await self.client(transport, clock: clock).send(.init(url: "http://h.test/", timeout: 10))
        }
        XCTAssertEqual(error?.kind, .timeout)
        XCTAssertEqual(error?.message, "request timed out (no time left to retry after 3 attempts)")
        XCTAssertEqual(clock.now - 1000, 10, accuracy: 1e-9)
        XCTAssertTrue(transport.requests.allSatisfy { ($0.timeout ?? 0) > 0 && ($0.timeout ?? 99) <= 10 })
    }

    func testTheRequestsOwnSecretsAndTheRunsNeverShowInErrors() async throws {
        let transport = FakeTransport { request, _ in
            // A server that echoes what it got in its error.
            response(401, "bad token \(request.headers["Authorization"] ?? "") key=\(request.url.query.first?.value ?? "") \(String(decoding: request.body, as: UTF8.self))")
        }
        let redactor = Redactor(secrets: ["run-secret-value"])
        let error = await assertServiceError {
            try await self.client(transport, redactor: redactor).send(
                .init(
                    url: "https://h.test/hook?api_key=query-secret-1", method: "POST",
                    headers: [("Authorization", "Bearer header-secret-2")],
                    body: Array("{\"password\":\"body-secret-3\",\"note\":\"run-secret-value\"}".utf8), raise: true))
        }
        let message = try XCTUnwrap(error?.message)
        for secret in ["query-secret-1", "header-secret-2", "body-secret-3", "run-secret-value"] {
            XCTAssertFalse(message.contains(secret), "\(secret) in \(message)")
        }
        XCTAssertTrue(message.hasPrefix(#"http.request POST https://h.test/hook?…: HTTP 401: bad token *** key=*** {"password":"***","note":"***"}"#), message)
    }

    func testHostPatterns() {
        var problem = ""
        XCTAssertNil(HostPattern(parsing: "https://hooks.slack.com", problem: &problem))
        XCTAssertEqual(problem, "\"https://hooks.slack.com\" is a URL: give its host name only")
        XCTAssertNil(HostPattern(parsing: "a b.com", problem: &problem))
        XCTAssertNil(HostPattern(parsing: "*", problem: &problem))
        XCTAssertNil(HostPattern(parsing: "host:8080", problem: &problem))
        let wildcard = HostPattern(parsing: "*.Example.com", problem: &problem)!
        XCTAssertTrue(wildcard.matches("a.example.com"))
        XCTAssertFalse(wildcard.matches("example.com"))
        XCTAssertFalse(wildcard.matches("badexample.com"))
        XCTAssertEqual(wildcard.description, "*.example.com")
    }

    func testLocationsResolveLikeABrowser() throws {
        let base = try ServiceURL(parsing: "https://h.test:8443/a/b/c?q=1")
        XCTAssertEqual(try base.following("d").description, "https://h.test:8443/a/b/d")
        XCTAssertEqual(try base.following("./d?x=2").description, "https://h.test:8443/a/b/d?x=2")
        XCTAssertEqual(try base.following("/root").description, "https://h.test:8443/root")
        XCTAssertEqual(try base.following("//other.test/p").description, "https://other.test/p")
        XCTAssertEqual(try base.following("http://x.test/y#frag").description, "http://x.test/y")
        XCTAssertThrowsError(try base.following("ftp://x.test/"))
    }
}
