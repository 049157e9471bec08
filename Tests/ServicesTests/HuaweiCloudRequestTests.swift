import XCTest

@testable import RunConfiguration
@testable import Services
@testable import Transport

/// `api.huaweicloud.request`'s client through a hub: endpoints by service name,
/// signing, `{project_id}`, retries by method, error bodies, configuration errors.
final class HuaweiCloudRequestTests: XCTestCase {
    static let toml = """
        [huaweicloud]
        region = "cn-east-3"
        project_id = "proj"
        [services.vod]
        endpoint = "https://vod.test/base/"
        rate = "100/s"
        """

    private func hub(_ transport: FakeTransport) throws -> ServiceHub {
        ServiceHub(
            configuration: try MoonwatchConfiguration.load(toml: Self.toml),
            environment: ["CLOUD_SDK_AK": "AK-1", "CLOUD_SDK_SK": "SK-secret-1"], transport: transport,
            clock: VirtualClock().clock, random: .constant(0.5))
    }

    func testABuiltInServiceRequestIsSignedUnderItsEndpoint() async throws {
        let transport = FakeTransport(responses: [
            response(200, #"{"job_id":"j1"}"#, headers: ["Content-Type": "application/json", "X-Request-Id": "rq"])
        ])
        let answer = try await hub(transport).huaweiCloud(.metastudio).send(
            .init(
                method: "post", path: "/v1/{project_id}/digital-human/stylized/picture-modelings",
                query: [("a b", "c/d")], headers: [("X-App-UserId", "u1")], body: Array(#"{"name":"n"}"#.utf8)))
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(answer.requestID, "rq")
        let sent = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(sent.method, "POST")
        XCTAssertEqual(sent.url.description, "https://metastudio.cn-east-3.myhuaweicloud.com/v1/proj/digital-human/stylized/picture-modelings?a%20b=c%2Fd")
        XCTAssertEqual(sent.headers["X-Project-Id"], "proj")
        XCTAssertEqual(sent.headers["Content-Type"], "application/json")
        XCTAssertEqual(sent.headers["X-App-UserId"], "u1")
        let authorization = try XCTUnwrap(sent.headers["Authorization"])
        XCTAssertTrue(authorization.hasPrefix("SDK-HMAC-SHA256 Access=AK-1, SignedHeaders="), authorization)
        XCTAssertTrue(authorization.contains("x-app-userid"))
        // The signature verifies over exactly what was sent, body included.
        let expected = AKSKSigner(accessKey: "AK-1", secretKey: "SK-secret-1").signature(for: sent)
        XCTAssertTrue(authorization.hasSuffix("Signature=\(expected.signature)"))
    }

    func testAConfiguredServiceKeepsItsEndpointPath() async throws {
        let transport = FakeTransport(responses: [response(200, "plain", headers: ["Content-Type": "text/plain"])])
        let answer = try await hub(transport).huaweiCloud(ServiceName(rawValue: "vod")).send(.init(method: "GET", path: "/v1.0/{project_id}/assets/a%2Fb"))
        XCTAssertFalse(answer.isJSON)
        XCTAssertEqual(transport.requests.first?.url.description, "https://vod.test/base/v1.0/proj/assets/a%2Fb")
    }

    func testPostIsNotRetriedUnlessAskedAndErrorsCarryTheHuaweiCode() async throws {
        let body = #"{"error_code":"MSS.00000004","error_msg":"Internal Error"}"#
        let transport = FakeTransport(responses: [response(500, body, headers: ["X-Request-Id": "r5"])])
        let client = try hub(transport).huaweiCloud(.metastudio)
        let error = await assertServiceError { try await client.send(.init(method: "POST", path: "/v1/{project_id}/x")) }
        XCTAssertEqual(error?.kind, .server)
        XCTAssertEqual(error?.code, "MSS.00000004")
        XCTAssertEqual(error?.requestID, "r5")
        XCTAssertEqual(error?.service, "metastudio")
        XCTAssertEqual(transport.count, 1)
        _ = await assertServiceError { try await client.send(.init(method: "POST", path: "/v1/x", retry: true)) }
        XCTAssertEqual(transport.count, 6)
        _ = await assertServiceError { try await client.send(.init(method: "GET", path: "/v1/x")) }
        XCTAssertEqual(transport.count, 11)
    }

    func testBadPathsHeadersAndNamesAreRefusedBeforeSending() async throws {
        let transport = FakeTransport(responses: [response(200, "{}")])
        let hub = try hub(transport)
        for (request, message) in [
            (HuaweiCloudClient.Request(method: "GET", path: "v1/x"), "api.huaweicloud.request: option 'path' must start with '/', got 'v1/x'"),
            (.init(method: "GET", path: "/v1/../admin"), "api.huaweicloud.request: option 'path' must not contain '.' or '..' segments, got '/v1/../admin'"),
            (.init(method: "GET", path: "/v1/{job_id}"), "api.huaweicloud.request: option 'path' has a placeholder other than {project_id} (in '{job_id}'); put the value in the path"),
            (.init(method: "BREW", path: "/v1"), "api.huaweicloud.request: option 'method' must be one of DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT, got 'BREW'"),
            (.init(method: "GET", path: "/v1", headers: [("Authorization", "x")]), "api.huaweicloud.request: header 'Authorization' is set by moonwatch and cannot be given"),
            (.init(method: "GET", path: "/v1", headers: [("X-A", "1\r\n")]), "api.huaweicloud.request: header 'X-A' has a CR or LF in its value (header injection refused)"),
        ] {
            let error = await assertServiceError { try await hub.huaweiCloud(.metastudio).send(request) }
            XCTAssertEqual(error?.kind, .invalidArgument)
            XCTAssertEqual(error?.message, message)
        }
        XCTAssertEqual(transport.count, 0)
        let unknown = await assertServiceError { try hub.huaweiCloud(ServiceName(rawValue: "nope")) }
        XCTAssertEqual(unknown?.kind, .config)
        XCTAssertEqual(
            unknown?.message,
            "service 'nope' is not configured: add [services.nope] with endpoint = \"https://...\" to moonwatch.toml (built in: metastudio, modelarts, faceedge)")
        let tryon = await assertServiceError { try hub.huaweiCloud(.tryon) }
        XCTAssertEqual(tryon?.kind, .config)
    }

    func testAnEchoedCredentialIsMaskedInTheAnswer() async throws {
        let transport = FakeTransport(responses: [response(200, #"{"seen":"SK-secret-1"}"#, headers: ["Content-Type": "application/json"])])
        let answer = try await hub(transport).huaweiCloud(.modelarts).send(.init(method: "GET", path: "/v2/x"))
        XCTAssertEqual(String(decoding: answer.body, as: UTF8.self), #"{"seen":"***"}"#)
    }
}
