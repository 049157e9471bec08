import Emulator
import Foundation
import Testing

@Suite struct IAMTokenTests {
    static func tokenRequest(user: String = "mw-demo", password: String = "mw-demo-password", project: String = "\"id\":\"mw-demo-project\"") -> [UInt8] {
        Array("""
            {"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"\(user)","password":"\(password)","domain":{"name":"mw-demo"}}}},"scope":{"project":{\(project)}}}}
            """.utf8)
    }

    @Test func issuesATokenThatTheServicesAccept() async throws {
        try await EmulatorHarness.with { h in
            let r = try await TestHTTP.send(.POST, h.base + "/v3/auth/tokens", headers: ["Content-Type": "application/json"], body: Self.tokenRequest())
            #expect(r.status == 201)
            let token = try #require(r.header("X-Subject-Token"))
            let body = try #require(r.json["token"] as? [String: Any])
            #expect(body["methods"] as? [String] == ["password"])
            #expect((body["project"] as? [String: Any])?["id"] as? String == "mw-demo-project")
            let expiresAt = try #require(body["expires_at"] as? String)
            #expect(expiresAt.hasSuffix("Z") && expiresAt.count == "2020-01-04T09:05:22.701000Z".count)
            for path in [h.metaStudioPath("j"), h.faceEdgePath("t"), h.modelArtsPath(task: "t", version: "v")] {
                #expect(try await TestHTTP.send(.GET, h.url(path), headers: ["X-Auth-Token": token]).status == 200)
            }
            // Scope by project name (the region) works too.
            let byName = try await TestHTTP.send(.POST, h.base + "/v3/auth/tokens", body: Self.tokenRequest(project: "\"name\":\"cn-east-3\""))
            #expect(byName.status == 201)
            #expect(h.emulator.counters().tokensIssued == 2)
        }
    }

    @Test func wrongPasswordAndBadBodies() async throws {
        try await EmulatorHarness.with { h in
            let wrong = try await TestHTTP.send(.POST, h.base + "/v3/auth/tokens", body: Self.tokenRequest(password: "nope"))
            #expect(wrong.status == 401)
            #expect((wrong.json["error"] as? [String: Any])?["code"] as? Int == 401)
            let garbage = try await TestHTTP.send(.POST, h.base + "/v3/auth/tokens", body: Array("{".utf8))
            #expect(garbage.status == 400)
            let otherProject = try await TestHTTP.send(.POST, h.base + "/v3/auth/tokens", body: Self.tokenRequest(project: "\"id\":\"not-mine\""))
            #expect(otherProject.status == 401)
        }
    }

    @Test func tokensExpire() async throws {
        try await EmulatorHarness.with(scenario: Scenario(iam: .init(tokenLifetimeSeconds: 60))) { h in
            let token = try await h.demoToken()
            #expect(try await TestHTTP.send(.GET, h.url(h.metaStudioPath("j")), headers: ["X-Auth-Token": token]).status == 200)
            h.clock.advance(by: 61)
            let expired = try await TestHTTP.send(.GET, h.url(h.metaStudioPath("j")), headers: ["X-Auth-Token": token])
            SignatureFailureTests.expectRefused(expired, "token expires, expires_at: ")
            // A renewed token works again.
            let renewed = try await h.demoToken()
            #expect(try await TestHTTP.send(.GET, h.url(h.metaStudioPath("j")), headers: ["X-Auth-Token": renewed]).status == 200)
        }
    }

    @Test func unknownTokensAndOtherProjects() async throws {
        try await EmulatorHarness.with { h in
            SignatureFailureTests.expectRefused(try await TestHTTP.send(.GET, h.url(h.metaStudioPath("j")), headers: ["X-Auth-Token": "MIIbogus"]), "decrypt token fail")
            let token = try await h.demoToken()
            let other = try await TestHTTP.send(.GET, h.url(h.metaStudioPath("j", project: "elsewhere")), headers: ["X-Auth-Token": token])
            #expect(other.status == 403 && other.json["error_code"] as? String == "MSS.00000005")
        }
    }
}
