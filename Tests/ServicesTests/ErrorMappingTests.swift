import XCTest

@testable import Services
@testable import Transport

final class ErrorMappingTests: XCTestCase {
    private func map(_ status: Int, _ body: String, headers: HTTPFields = [:]) -> ServiceError {
        ServiceError.fromHuaweiResponse(response(status, body, headers: headers), service: "metastudio", wallNow: 0)
    }

    func testKindsMatchSpecVocabulary() {
        XCTAssertEqual(
            ServiceError.Kind.allCases.map(\.rawValue),
            [
                "invalid_argument", "config", "auth", "forbidden", "not_found", "throttled", "server", "network",
                "timeout", "bad_response", "insufficient_coins", "budget", "checksum", "download", "sandbox", "canceled",
            ])
    }

    func testSignatureFailureIsAuth() {
        let error = map(
            401, #"{"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information: verify aksk signature fail"}"#,
            headers: ["X-Request-Id": "req-1"])
        XCTAssertEqual(error.kind, .auth)
        XCTAssertEqual(error.code, "APIGW.0301")
        XCTAssertEqual(error.status, 401)
        XCTAssertEqual(error.requestID, "req-1")
        XCTAssertFalse(error.retryable)
        XCTAssertEqual(
            error.description,
            "auth error from metastudio (HTTP 401, APIGW.0301, request req-1): Incorrect IAM authentication information: verify aksk signature fail")
    }

    func testSignatureExpiredIsAuth() {
        let error = map(401, #"{"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information: signature expired"}"#)
        XCTAssertEqual(error.kind, .auth)
        XCTAssertFalse(error.retryable)
    }

    func testThrottlingIsRetryableWithRetryAfter() {
        let error = map(
            429, #"{"error_code": "APIG.0308", "error_msg": "The throttling threshold has been reached: policy ip over ratelimit"}"#,
            headers: ["Retry-After": "7"])
        XCTAssertEqual(error.kind, .throttled)
        XCTAssertEqual(error.code, "APIG.0308")
        XCTAssertEqual(error.retryAfter, 7)
        XCTAssertTrue(error.retryable)
        // APIG.0308 is throttling even when a gateway answers with another status.
        XCTAssertEqual(map(403, #"{"error_code": "APIG.0308", "error_msg": "x"}"#).kind, .throttled)
    }

    func testMetaStudioCodes() {
        let cases: [(Int, String, ServiceError.Kind, Bool)] = [
            (400, "MSS.00000003", .invalidArgument, false),
            (401, "MSS.00000001", .auth, false),
            (403, "MSS.00000005", .forbidden, false),
            (500, "MSS.00000004", .server, true),
        ]
        for (status, code, kind, retryable) in cases {
            let error = map(status, #"{"error_code": "\#(code)", "error_msg": "msg \#(code)"}"#, headers: ["X-Request-Id": "r-\(code)"])
            XCTAssertEqual(error.kind, kind, code)
            XCTAssertEqual(error.code, code)
            XCTAssertEqual(error.status, status)
            XCTAssertEqual(error.message, "msg \(code)")
            XCTAssertEqual(error.requestID, "r-\(code)")
            XCTAssertEqual(error.retryable, retryable, code)
        }
    }

    func testStatusOnlyMappings() {
        XCTAssertEqual(map(404, #"{"error_code": "APIG.0101", "error_msg": "The API does not exist"}"#).kind, .notFound)
        XCTAssertEqual(map(503, "").kind, .server)
        XCTAssertEqual(map(503, "").message, "HTTP 503 with an empty body")
        XCTAssertEqual(map(429, "{}").kind, .throttled)
        XCTAssertEqual(map(409, "{}").kind, .invalidArgument)
    }

    func testRequestIDFromBodyWhenNoHeader() {
        let error = map(500, #"{"error_code": "X.1", "error_msg": "boom", "request_id": "body-id"}"#)
        XCTAssertEqual(error.requestID, "body-id")
    }

    func testNonJSONErrorBodyIsQuoted() {
        let error = map(502, "<html>\n<body>Bad Gateway</body></html>")
        XCTAssertEqual(error.kind, .server)
        XCTAssertEqual(error.message, "HTTP 502: <html> <body>Bad Gateway</body></html>")
        XCTAssertNil(error.code)
    }

    func testMalformedJSONNamesServiceStatusAndOffset() async {
        let body = #"{"id": "t1", "state": "RUNNING", "target_roi": "{"polygons":[]}"}"#
        let transport = FakeTransport(responses: [response(200, body, headers: ["X-Request-Id": "rid"])])
        let client = FaceEdgeClient(gateway: makeGateway(.faceedge, transport: transport))
        let error = await assertServiceError { try await client.task(taskID: "t1") }
        XCTAssertEqual(error?.kind, .badResponse)
        XCTAssertEqual(error?.service, "faceedge")
        XCTAssertEqual(error?.status, 200)
        XCTAssertEqual(error?.requestID, "rid")
        XCTAssertEqual(error?.retryable, false)
        XCTAssertTrue(error?.message.contains("byte offset 50") == true, error?.message ?? "")
        XCTAssertTrue(error?.message.contains("faceedge (HTTP 200)") == true, error?.message ?? "")
        XCTAssertEqual(transport.count, 1, "a malformed body is not retried")
    }

    func testRetryAfterHTTPDate() {
        XCTAssertEqual(RetryAfter.seconds("Thu, 01 Jan 1970 00:01:40 GMT", wallNow: 90), 10)
        XCTAssertEqual(RetryAfter.seconds(" 3 ", wallNow: 0), 3)
        XCTAssertNil(RetryAfter.seconds("soon", wallNow: 0))
    }

    func testDescriptionIsOneLine() {
        let error = ServiceError(.network, "line one\nline two", service: "tryon")
        XCTAssertEqual(error.description, "network error from tryon: line one line two")
    }
}
