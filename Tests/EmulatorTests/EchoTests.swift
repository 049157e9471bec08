import AsyncHTTPClient
import Emulator
import Foundation
import NIOHTTP1
import Testing

@Suite struct EchoTests {
    /// Runs `body` with a client that hands redirects back instead of following them.
    static func withManualRedirects<T>(_ body: (HTTPClient) async throws -> T) async throws -> T {
        try await HTTPClient.withHTTPClient(configuration: .init(redirectConfiguration: .disallow), body)
    }

    @Test func getEchoesQueryAndHeaders() async throws {
        try await EmulatorHarness.with { h in
            let url = h.base + "/_emulator/echo/a/b%20c?x=1&y=two%20words&x=2"
            let r = try await TestHTTP.send(.GET, url, headers: ["X-Test": "yes", "Accept": "application/json"])
            #expect(r.status == 200)
            #expect(r.header("Content-Type")?.hasPrefix("application/json") == true)
            let echo = r.json
            #expect(echo["method"] as? String == "GET")
            #expect(echo["path"] as? String == "/_emulator/echo/a/b%20c")
            #expect(echo["query"] as? [String: String] == ["x": "1, 2", "y": "two words"])
            let headers = try #require(echo["headers"] as? [String: String])
            #expect(headers["x-test"] == "yes" && headers["accept"] == "application/json")
            #expect(headers["host"] == h.host)
            #expect(echo["body"] as? String == "")
            // The bare path answers too, and HEAD announces the length without a body.
            #expect(try await TestHTTP.send(.GET, h.base + "/_emulator/echo").json["path"] as? String == "/_emulator/echo")
            let head = try await TestHTTP.send(.HEAD, url)
            #expect(head.status == 200 && head.body.isEmpty)
            #expect(Int(head.header("Content-Length") ?? "") ?? 0 > 0)
            #expect(h.emulator.counters().requests(.echo, status: 200) == 3)
        }
    }

    @Test func otherMethodsEchoTheirBody() async throws {
        try await EmulatorHarness.with { h in
            let body = #"{"hello": "世界", "n": [1, 2]}"#
            for method in [.POST, .PUT, .PATCH, .DELETE] as [HTTPMethod] {
                let r = try await TestHTTP.send(method, h.base + "/_emulator/echo/items/7", headers: ["Content-Type": "application/json"], body: Array(body.utf8))
                #expect(r.status == 200)
                #expect(r.json["method"] as? String == method.rawValue)
                #expect(r.json["body"] as? String == body)
                #expect((r.json["headers"] as? [String: String])?["content-type"] == "application/json")
            }
        }
    }

    @Test func statusAndBadControls() async throws {
        try await EmulatorHarness.with { h in
            let failed = try await TestHTTP.send(.GET, h.base + "/_emulator/echo?status=500")
            #expect(failed.status == 500)
            #expect(failed.json["query"] as? [String: String] == ["status": "500"])
            for (query, parameter) in [
                ("status=abc", "status"), ("status=100", "status"), ("status=600", "status"), ("delay_ms=-1", "delay_ms"),
                ("delay_ms=60001", "delay_ms"), ("redirect=0", "redirect"), ("redirect=21", "redirect"),
                ("redirect=2&redirect_status=300", "redirect_status"), ("bytes=67108865", "bytes"), ("content_type=", "content_type"),
            ] {
                let r = try await TestHTTP.send(.GET, h.base + "/_emulator/echo?" + query)
                #expect(r.status == 400, "\(query)")
                #expect((r.json["error"] as? String)?.hasPrefix(parameter + " must") == true, "\(query): \(r.text)")
            }
        }
    }

    @Test func delayWaitsBeforeAnswering() async throws {
        try await EmulatorHarness.with { h in
            let started = ContinuousClock.now
            let r = try await TestHTTP.send(.GET, h.base + "/_emulator/echo?delay_ms=300")
            let elapsed = ContinuousClock.now - started
            #expect(r.status == 200)
            #expect(elapsed >= .milliseconds(300))
            // Only a guard against a hang: the request's own timeout is 30 s.
            #expect(elapsed < .seconds(20))
        }
    }

    @Test func redirectCountsDownToTheEcho() async throws {
        try await EmulatorHarness.with { h in
            try await Self.withManualRedirects { client in
                var next = "/_emulator/echo/r?k=v&redirect=3"
                var locations: [String] = []
                var answer: TestResponse?
                for _ in 0..<10 {
                    let r = try await TestHTTP.send(.GET, h.base + next, client: client)
                    guard r.status == 302 else {
                        answer = r
                        break
                    }
                    next = try #require(r.header("Location"))
                    locations.append(next)
                }
                #expect(locations == ["/_emulator/echo/r?k=v&redirect=2", "/_emulator/echo/r?k=v&redirect=1", "/_emulator/echo/r?k=v"])
                #expect(answer?.status == 200)
                #expect(answer?.json["query"] as? [String: String] == ["k": "v"])
                let chosen = try await TestHTTP.send(.POST, h.base + "/_emulator/echo?redirect=1&redirect_status=307", body: [], client: client)
                // The last hop drops `redirect` and keeps every other parameter.
                #expect(chosen.status == 307 && chosen.header("Location") == "/_emulator/echo?redirect_status=307")
            }
        }
    }

    @Test func redirectLoopPointsAtItself() async throws {
        try await EmulatorHarness.with { h in
            try await Self.withManualRedirects { client in
                let target = "/_emulator/echo/loop?redirect=loop&a=%2F"
                for _ in 0..<3 {
                    let r = try await TestHTTP.send(.GET, h.base + target, client: client)
                    #expect(r.status == 302)
                    #expect(r.header("Location") == target)
                }
            }
        }
    }

    @Test func bytesPadsTheAnswer() async throws {
        try await EmulatorHarness.with { h in
            let r = try await TestHTTP.send(.GET, h.base + "/_emulator/echo?bytes=100000")
            #expect(r.status == 200)
            #expect(r.body.count > 100_000)
            #expect((r.json["padding"] as? String)?.count == 100_000)
            #expect(r.json["method"] as? String == "GET")
        }
    }

    @Test func aNonJSONContentTypeAnswersTheBodyAlone() async throws {
        try await EmulatorHarness.with { h in
            let body = "plain words\nline two"
            let r = try await TestHTTP.send(.POST, h.base + "/_emulator/echo?content_type=text/plain;%20charset=utf-8", body: Array(body.utf8))
            #expect(r.status == 200)
            #expect(r.header("Content-Type") == "text/plain; charset=utf-8")
            #expect(r.text == body)
            // A JSON type other than the default still answers the echo.
            let problem = try await TestHTTP.send(.GET, h.base + "/_emulator/echo?content_type=application/problem%2Bjson")
            #expect(problem.header("Content-Type") == "application/problem+json")
            #expect(problem.json["method"] as? String == "GET")
        }
    }

    @Test func faultRulesApplyToTheEcho() async throws {
        try await EmulatorHarness.with { h in
            try h.emulator.addFaults([
                FaultRule(route: "echo", kind: .error, status: 503, limit: 1),
                FaultRule(route: "echo", kind: .throttle, retryAfter: 4, requests: [2]),
            ])
            let unavailable = try await TestHTTP.send(.GET, h.base + "/_emulator/echo")
            #expect(unavailable.status == 503)
            let throttled = try await TestHTTP.send(.GET, h.base + "/_emulator/echo")
            #expect(throttled.status == 429 && throttled.header("Retry-After") == "4")
            #expect(try await TestHTTP.send(.GET, h.base + "/_emulator/echo").status == 200)
            #expect(h.emulator.counters().faultsInjected["echo"] == ["error": 1, "throttle": 1])
        }
    }
}
