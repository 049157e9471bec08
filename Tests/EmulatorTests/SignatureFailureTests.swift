import Emulator
import Foundation
import Testing

/// Every way an AK/SK request can fail the gateway: 401 APIGW.0301 with the gateway's wording.
@Suite struct SignatureFailureTests {
    static func expectRefused(_ r: TestResponse, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == 401, sourceLocation: sourceLocation)
        #expect(r.json["error_code"] as? String == "APIGW.0301", sourceLocation: sourceLocation)
        let message = r.json["error_msg"] as? String ?? ""
        #expect(message.hasPrefix("Incorrect IAM authentication information: "), sourceLocation: sourceLocation)
        #expect(message.contains(fragment), "\(message)", sourceLocation: sourceLocation)
        #expect(r.json["request_id"] as? String == r.header("X-Request-Id"), sourceLocation: sourceLocation)
    }

    @Test func wrongSecretKey() async throws {
        try await EmulatorHarness.with { h in
            let r = try await h.signedGET(h.metaStudioPath("j"), signer: TestSigner(accessKey: DemoCredentials.accessKey, secretKey: "not-the-secret"))
            Self.expectRefused(r, "verify aksk signature fail")
            // Like the real gateway, the refusal shows the canonical request it computed.
            let message = r.json["error_msg"] as? String ?? ""
            #expect(message.contains("canonicalRequest: GET\n/v1/mw-demo-project/digital-human/stylized/picture-modelings/j/\n\ncontent-type:application/json\nhost:\(h.host)\n"))
        }
    }

    @Test func unknownAccessKey() async throws {
        try await EmulatorHarness.with { h in
            let r = try await h.signedGET(h.metaStudioPath("j"), signer: TestSigner(accessKey: "NOSUCHAK", secretKey: "x"))
            Self.expectRefused(r, "Get secretKey failed")
        }
    }

    @Test func tamperedPath() async throws {
        try await EmulatorHarness.with { h in
            let date = TestSigner.date(h.clock.now())
            let signed = EmulatorHarness.demoSigner.sign(
                method: "GET", path: h.metaStudioPath("job-a"), query: [],
                headers: ["Host": h.host, "X-Project-Id": EmulatorHarness.project], date: date
            ).filter { $0.key != "Host" }
            let r = try await TestHTTP.send(.GET, h.url(h.metaStudioPath("job-b")), headers: signed)
            Self.expectRefused(r, "verify aksk signature fail")
        }
    }

    @Test func tamperedQuery() async throws {
        try await EmulatorHarness.with { h in
            let path = h.modelArtsPath(task: "t1", version: "v1")
            let date = TestSigner.date(h.clock.now())
            let signed = EmulatorHarness.demoSigner.sign(
                method: "GET", path: path, query: [("limit", "10"), ("offset", "0")],
                headers: ["Host": h.host, "X-Project-Id": EmulatorHarness.project], date: date
            ).filter { $0.key != "Host" }
            let honest = try await TestHTTP.send(.GET, h.url(path, [("offset", "0"), ("limit", "10")]), headers: signed)
            #expect(honest.status == 200, "parameter order does not matter")
            let r = try await TestHTTP.send(.GET, h.url(path, [("limit", "100"), ("offset", "0")]), headers: signed)
            Self.expectRefused(r, "verify aksk signature fail")
        }
    }

    @Test func staleAndFutureDates() async throws {
        try await EmulatorHarness.with { h in
            Self.expectRefused(try await h.signedGET(h.metaStudioPath("j"), date: h.clock.now() - 16 * 60), "signature expired")
            Self.expectRefused(try await h.signedGET(h.metaStudioPath("j"), date: h.clock.now() + 16 * 60), "signature expired")
            #expect(try await h.signedGET(h.metaStudioPath("j"), date: h.clock.now() - 14 * 60).status == 200)
            // A signature ages with the server's clock too.
            let signedNow = TestSigner.date(h.clock.now())
            h.clock.advance(by: 15 * 60 + 1)
            Self.expectRefused(try await h.signedGET(h.metaStudioPath("j"), date: RFCDate.parse(signedNow)), "signature expired")
        }
    }

    @Test func requiredHeadersMustBeSigned() async throws {
        try await EmulatorHarness.with { h in
            for header in ["x-sdk-date", "host", "x-project-id"] {
                let r = try await h.signedGET(h.metaStudioPath("j")) { headers in
                    let auth = headers["Authorization"]!
                    let list = auth.split(separator: " ")[2].dropFirst("SignedHeaders=".count).dropLast()
                    let reduced = list.split(separator: ";").filter { $0 != header }.joined(separator: ";")
                    headers["Authorization"] = auth.replacingOccurrences(of: "SignedHeaders=\(list),", with: "SignedHeaders=\(reduced),")
                }
                Self.expectRefused(r, "header \(header) is not in SignedHeaders")
            }
        }
    }

    @Test func missingDateMalformedHeaderAndMissingCredentials() async throws {
        try await EmulatorHarness.with { h in
            Self.expectRefused(try await h.signedGET(h.metaStudioPath("j")) { $0["X-Sdk-Date"] = nil }, "x-sdk-date not found")
            Self.expectRefused(try await h.signedGET(h.metaStudioPath("j")) { $0["Authorization"] = "SDK-HMAC-SHA256 Access=MWDEMOAK" }, "not SDK-HMAC-SHA256")
            Self.expectRefused(try await TestHTTP.send(.GET, h.url(h.metaStudioPath("j"))), "x-auth-token not found")
            Self.expectRefused(try await h.signedGET(h.metaStudioPath("j"), project: nil), "X-Project-Id is required")
        }
    }

    @Test func aKeyOnlyActsOnItsOwnProject() async throws {
        let other = AccessKeyPair(accessKey: "AK-OTHER", secretKey: "SK-OTHER", projectID: "other-project")
        try await EmulatorHarness.with(scenario: Scenario(credentials: [other])) { h in
            let signer = TestSigner(accessKey: "AK-OTHER", secretKey: "SK-OTHER")
            #expect(try await h.signedGET(h.metaStudioPath("j", project: "other-project"), signer: signer, project: "other-project").status == 200)
            let r = try await h.signedGET(h.metaStudioPath("j"), signer: signer)
            #expect(r.status == 403)
            #expect((r.json["error_msg"] as? String)?.contains("AK-OTHER has no access to project mw-demo-project") == true)
        }
    }
}

enum RFCDate {
    /// The Unix time of an SDK date.
    static func parse(_ text: String) -> Double {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.date(from: text)!.timeIntervalSince1970
    }
}
