import XCTest

@testable import Services
@testable import Transport

final class SignerTests: XCTestCase {
    /// Builds a request the way the vectors of docs/contract.md §4 list it (headers as given, no Authorization).
    private func request(_ url: String, headers: [(String, String)]) throws -> ServiceRequest {
        ServiceRequest(method: "GET", url: try ServiceURL(parsing: url), headers: HTTPFields(headers))
    }

    func testVectorOneModelArts() throws {
        let signer = AKSKSigner(accessKey: "AKTEST", secretKey: "SKTEST")
        let request = try request(
            "http://127.0.0.1:8080/v2/p1/processor-tasks/t1/versions/v1/results?limit=10&offset=0&result_property=0",
            headers: [
                ("Content-Type", "application/json"), ("Host", "127.0.0.1:8080"),
                ("User-Agent", "huaweicloud-usdk-python/3.0"), ("X-Project-Id", "p1"), ("X-Sdk-Date", "20240101T000000Z"),
            ])
        let result = signer.signature(for: request)
        XCTAssertEqual(result.signedHeaders, "content-type;host;user-agent;x-project-id;x-sdk-date")
        XCTAssertEqual(result.signature, "cc0a40b2e1731943d0663f743dc459c57f6dc1f5030ab1e656c814f5eeed4334")
    }

    func testVectorTwoMetaStudio() throws {
        let signer = AKSKSigner(accessKey: "AK2", secretKey: "SK2")
        let request = try request(
            "http://127.0.0.1:9000/v1/f488337c31c8e4622f1590735b134c65/digital-human/stylized/picture-modelings/f503894a-20e2-4274-ad88-8364f59a93da_SMS",
            headers: [
                ("Content-Type", "application/json"), ("Host", "127.0.0.1:9000"), ("X-App-UserId", "user-42"),
                ("X-Project-Id", "f488337c31c8e4622f1590735b134c65"), ("X-Sdk-Date", "20261121T080000Z"),
            ])
        let result = signer.signature(for: request)
        XCTAssertEqual(result.signedHeaders, "content-type;host;x-app-userid;x-project-id;x-sdk-date")
        XCTAssertEqual(result.signature, "66f52b19e7ad4366cd74c1ace02b7a015e6353a143f027b6d8dda6d2733267af")
    }

    /// `sign` sets X-Sdk-Date, Host and X-Project-Id itself and reproduces vector two.
    func testSignInPlaceReproducesVectorTwo() throws {
        let signer = AKSKSigner(accessKey: "AK2", secretKey: "SK2")
        var request = try request(
            "http://127.0.0.1:9000/v1/f488337c31c8e4622f1590735b134c65/digital-human/stylized/picture-modelings/f503894a-20e2-4274-ad88-8364f59a93da_SMS",
            headers: [("Content-Type", "application/json"), ("X-App-UserId", "user-42")])
        // 2026-11-21T08:00:00Z
        let epoch = Double(UTCTime.epochSeconds(.init(year: 2026, month: 11, day: 21, hour: 8, minute: 0, second: 0)))
        signer.sign(&request, epochSeconds: epoch, projectID: "f488337c31c8e4622f1590735b134c65")
        XCTAssertEqual(request.headers["X-Sdk-Date"], "20261121T080000Z")
        XCTAssertEqual(request.headers["Host"], "127.0.0.1:9000")
        XCTAssertEqual(
            request.headers["Authorization"],
            "SDK-HMAC-SHA256 Access=AK2, SignedHeaders=content-type;host;x-app-userid;x-project-id;x-sdk-date, "
                + "Signature=66f52b19e7ad4366cd74c1ace02b7a015e6353a143f027b6d8dda6d2733267af")
    }

    func testCanonicalRequestLayout() throws {
        let request = try request(
            "http://127.0.0.1:8080/v2/p1/x?b=2&a=1",
            headers: [("Host", "127.0.0.1:8080"), ("X-Sdk-Date", "20240101T000000Z")])
        let canonical = AKSKSigner.canonicalRequest(request).text
        let emptyBodyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        XCTAssertEqual(
            canonical,
            "GET\n/v2/p1/x/\na=1&b=2\nhost:127.0.0.1:8080\nx-sdk-date:20240101T000000Z\n\nhost;x-sdk-date\n" + emptyBodyHash)
        XCTAssertEqual(
            AKSKSigner.stringToSign(canonicalRequest: "abc", sdkDate: "20240101T000000Z"),
            "SDK-HMAC-SHA256\n20240101T000000Z\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testTrailingSlashAddedOnlyInCanonicalForm() throws {
        XCTAssertEqual(AKSKSigner.canonicalURI("/v1/p/jobs/j1"), "/v1/p/jobs/j1/")
        XCTAssertEqual(AKSKSigner.canonicalURI("/v1/p/jobs/j1/"), "/v1/p/jobs/j1/")
        XCTAssertEqual(AKSKSigner.canonicalURI(""), "/")
        var request = try request("https://h.test/v1/a", headers: [])
        testSigner.sign(&request, epochSeconds: 0, projectID: nil)
        XCTAssertEqual(request.url.path, "/v1/a", "the request line keeps its path")
        XCTAssertEqual(request.url.description, "https://h.test/v1/a")
    }

    func testQuerySortedByKeyThenValueAndEncoded() {
        let items: [ServiceURL.QueryItem] = [
            .init("limit", "10"), .init("b", "z"), .init("b", "a"), .init("a b", "x y"), .init("tilde", "~x"),
            .init("Upper", "1"),
        ]
        XCTAssertEqual(
            AKSKSigner.canonicalQuery(items), "Upper=1&a%20b=x%20y&b=a&b=z&limit=10&tilde=~x")
    }

    func testQueryNamesSpelledDifferentlySortByTheirBytes() {
        // "é" precomposed (C3 A9) and decomposed (65 CC 81) are equal Strings but different bytes.
        let items: [ServiceURL.QueryItem] = [.init("\u{E9}", "1"), .init("e\u{301}", "2")]
        XCTAssertEqual(AKSKSigner.canonicalQuery(items), "e%CC%81=2&%C3%A9=1")
        XCTAssertEqual(AKSKSigner.canonicalQuery(items.reversed()), "e%CC%81=2&%C3%A9=1")
    }

    func testPercentEncodingOfSpaceTildeUnicodeAndReserved() {
        XCTAssertEqual(PercentEncoding.encode("a b~c"), "a%20b~c")
        XCTAssertEqual(PercentEncoding.encode("é/中"), "%C3%A9%2F%E4%B8%AD")
        XCTAssertEqual(PercentEncoding.encode("A-z_0.9"), "A-z_0.9")
        XCTAssertEqual(PercentEncoding.encode("+=&?"), "%2B%3D%26%3F")
        XCTAssertEqual(PercentEncoding.decode("a%20b+c%zz"), "a b+c%zz")
        // Path segments are decoded then re-encoded: already-encoded and raw forms sign the same.
        XCTAssertEqual(AKSKSigner.canonicalURI("/v1/a%20b/~c/%E4%B8%AD"), "/v1/a%20b/~c/%E4%B8%AD/")
        XCTAssertEqual(AKSKSigner.canonicalURI("/v1/a b/中"), "/v1/a%20b/%E4%B8%AD/")
    }

    func testHostHeaderCarriesNonDefaultPortOnly() throws {
        XCTAssertEqual(try ServiceURL(parsing: "https://h.test:443/x").hostHeader, "h.test")
        XCTAssertEqual(try ServiceURL(parsing: "http://h.test:80/x").hostHeader, "h.test")
        XCTAssertEqual(try ServiceURL(parsing: "https://h.test:8443/x").hostHeader, "h.test:8443")
        XCTAssertEqual(try ServiceURL(parsing: "http://127.0.0.1:8080").hostHeader, "127.0.0.1:8080")
        XCTAssertEqual(try ServiceURL(parsing: "http://[::1]:9000/a").hostHeader, "[::1]:9000")
        var request = try request("https://h.test:8443/v1", headers: [])
        testSigner.sign(&request, epochSeconds: 0, projectID: "p")
        XCTAssertEqual(request.headers["Host"], "h.test:8443")
        XCTAssertEqual(request.headers["X-Project-Id"], "p")
        XCTAssertEqual(request.headers["X-Sdk-Date"], "19700101T000000Z")
    }

    func testHeaderValuesTrimmedAndNamesLowercased() throws {
        let request = try request(
            "http://h.test/a", headers: [("X-Custom", "  spaced value \t"), ("HOST", "h.test"), ("x-sdk-date", "d")])
        let canonical = AKSKSigner.canonicalRequest(request)
        XCTAssertEqual(canonical.signedHeaders, "host;x-custom;x-sdk-date")
        XCTAssertTrue(canonical.text.contains("x-custom:spaced value\n"))
    }

    func testHeaderNamesCompareWithoutCaseOnlyForLetters() throws {
        var fields: HTTPFields = ["Content-Type": "a", "X-Other": "o"]
        fields["content-TYPE"] = "b"
        XCTAssertEqual(fields.count, 2)
        XCTAssertEqual(fields["CONTENT-TYPE"], "b")
        XCTAssertFalse(HTTPFields.sameName("x-a", "x_a"))
        XCTAssertFalse(HTTPFields.sameName("a@", "a`"))
        XCTAssertFalse(HTTPFields.sameName("ab", "abc"))
        // The same name twice (as a proxy might add it): one signed header, the last value.
        let request = try request("http://h.test/a", headers: [("X-Dup", "1"), ("Host", "h.test"), ("x-dup", "2")])
        let canonical = AKSKSigner.canonicalRequest(request)
        XCTAssertEqual(canonical.signedHeaders, "host;x-dup")
        XCTAssertTrue(canonical.text.contains("\nx-dup:2\n"), canonical.text)
    }

    func testBodyHashIsPartOfTheSignature() throws {
        var a = try request("http://h.test/a", headers: [("Host", "h.test"), ("X-Sdk-Date", "d")])
        var b = a
        a.body = Array("{}".utf8)
        b.body = Array("{ }".utf8)
        XCTAssertNotEqual(testSigner.signature(for: a).signature, testSigner.signature(for: b).signature)
    }

    func testSdkDateFormatting() {
        XCTAssertEqual(UTCTime.sdkDate(epochSeconds: 1_704_067_200), "20240101T000000Z")
        XCTAssertEqual(UTCTime.sdkDate(epochSeconds: 951_782_400 + 3661.9), "20000229T010101Z")
        XCTAssertEqual(UTCTime.parseISO8601("2024-01-01T00:00:00.123456Z"), 1_704_067_200.123456)
        XCTAssertEqual(UTCTime.parseISO8601("2024-01-01T08:00:00+08:00"), 1_704_067_200)
        XCTAssertNil(UTCTime.parseISO8601("2024-13-01T00:00:00Z"))
    }
}
