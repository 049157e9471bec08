import Foundation
import Testing

@testable import Emulator

/// The two test vectors of docs/contract.md §4, produced by the official Python SDK signer, checked against
/// both the emulator's verifier and the test-side signer.
@Suite struct SigningVectorTests {
    struct Vector {
        let accessKey, secretKey, path, rawQuery, date, signedHeaders, signature: String
        let query: [(String, String)]
        let headers: [String: String]
    }

    static let vectors = [
        Vector(
            accessKey: "AKTEST", secretKey: "SKTEST",
            path: "/v2/p1/processor-tasks/t1/versions/v1/results",
            rawQuery: "limit=10&offset=0&result_property=0",
            date: "20240101T000000Z",
            signedHeaders: "content-type;host;user-agent;x-project-id;x-sdk-date",
            signature: "cc0a40b2e1731943d0663f743dc459c57f6dc1f5030ab1e656c814f5eeed4334",
            query: [("limit", "10"), ("offset", "0"), ("result_property", "0")],
            headers: [
                "Content-Type": "application/json", "Host": "127.0.0.1:8080",
                "User-Agent": "huaweicloud-usdk-python/3.0", "X-Project-Id": "p1",
            ]
        ),
        Vector(
            accessKey: "AK2", secretKey: "SK2",
            path: "/v1/f488337c31c8e4622f1590735b134c65/digital-human/stylized/picture-modelings/f503894a-20e2-4274-ad88-8364f59a93da_SMS",
            rawQuery: "",
            date: "20261121T080000Z",
            signedHeaders: "content-type;host;x-app-userid;x-project-id;x-sdk-date",
            signature: "66f52b19e7ad4366cd74c1ace02b7a015e6353a143f027b6d8dda6d2733267af",
            query: [],
            headers: [
                "Content-Type": "application/json", "Host": "127.0.0.1:9000",
                "X-App-UserId": "user-42", "X-Project-Id": "f488337c31c8e4622f1590735b134c65",
            ]
        ),
    ]

    @Test(arguments: 0..<2)
    func emulatorVerifierAcceptsTheVector(index: Int) {
        let v = Self.vectors[index]
        var lowered = Dictionary(uniqueKeysWithValues: v.headers.map { ($0.key.lowercased(), $0.value) })
        lowered["x-sdk-date"] = v.date
        let view = SignedRequestView(
            method: "GET", rawPath: v.path, query: QueryString(v.rawQuery),
            headers: lowered.map { ($0.key, $0.value) }, bodySHA256Hex: SHA256Hex.empty
        )
        let check = SDKSignatureCheck { $0 == v.accessKey ? SigningKey(secret: v.secretKey) : nil }
        let authorization = "SDK-HMAC-SHA256 Access=\(v.accessKey), SignedHeaders=\(v.signedHeaders), Signature=\(v.signature)"
        let now = RFC3339.parseSDKDate(v.date)!
        #expect(check.verify(view, authorization: authorization, now: now) == .success(v.accessKey))
        // One flipped hex digit is refused, and the refusal carries the canonical request.
        let wrong = authorization.dropLast() + (authorization.hasSuffix("0") ? "1" : "0")
        guard case .failure(.mismatch(let canonical, _)) = check.verify(view, authorization: String(wrong), now: now) else {
            Issue.record("a wrong signature was accepted")
            return
        }
        #expect(canonical.hasPrefix("GET\n\(v.path)/\n\(v.rawQuery)\n"))
    }

    @Test(arguments: 0..<2)
    func testSignerReproducesTheVector(index: Int) {
        let v = Self.vectors[index]
        let signer = TestSigner(accessKey: v.accessKey, secretKey: v.secretKey)
        let signed = signer.sign(method: "GET", path: v.path, query: v.query, headers: v.headers, date: v.date)
        #expect(signed["Authorization"] == "SDK-HMAC-SHA256 Access=\(v.accessKey), SignedHeaders=\(v.signedHeaders), Signature=\(v.signature)")
    }

    @Test func canonicalURIEncodesSegmentsAndAddsTheTrailingSlash() {
        #expect(SDKCanonicalRequest.uri(rawPath: "/v1/p/jobs/a%20b~c") == "/v1/p/jobs/a%20b~c/")
        #expect(SDKCanonicalRequest.uri(rawPath: "/v1/p/jobs/a:b") == "/v1/p/jobs/a%3Ab/")
        #expect(SDKCanonicalRequest.uri(rawPath: "/already/") == "/already/")
    }

    @Test func canonicalQuerySortsByKeyThenValueAndEncodesSpaces() {
        let query = QueryString("b=2&a=z&a=y&c=x%20y&d")
        #expect(SDKCanonicalRequest.query(query) == "a=y&a=z&b=2&c=x%20y&d=")
    }

    @Test func sdkDatesParseAndFormat() {
        let epoch = RFC3339.parseSDKDate("20240101T000000Z")
        #expect(epoch == 1_704_067_200)
        #expect(RFC3339.sdkDate(1_704_067_200) == "20240101T000000Z")
        #expect(RFC3339.parseSDKDate("2024-01-01T00:00:00Z") == nil)
        #expect(RFC3339.httpDate(1_704_067_200) == "Mon, 01 Jan 2024 00:00:00 GMT")
        #expect(RFC3339.micros(1_704_067_200.5) == "2024-01-01T00:00:00.500000Z")
    }
}
