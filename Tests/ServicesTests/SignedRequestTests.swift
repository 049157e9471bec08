import Emulator
import JSON
import XCTest

@testable import RunConfiguration
@testable import Services
@testable import Transport

/// `api.huaweicloud.request`'s client against the emulator's own signature
/// check: a signed POST (the MetaStudio create call, body signed) and GET are
/// accepted; the same requests changed after signing are refused.
final class SignedRequestTests: XCTestCase {
    /// Sends through the real transport, after `tamper` changes the signed request.
    final class TamperingTransport: HTTPTransport {
        let inner = HTTP1Transport()
        let tamper: @Sendable (inout ServiceRequest) -> Void
        init(_ tamper: @escaping @Sendable (inout ServiceRequest) -> Void) { self.tamper = tamper }
        func send(_ request: ServiceRequest) async throws -> ServiceResponse {
            var request = request
            tamper(&request)
            return try await inner.send(request)
        }
    }

    private func withHub(
        tamper: @escaping @Sendable (inout ServiceRequest) -> Void = { _ in },
        _ body: (ServiceHub) async throws -> Void
    ) async throws {
        let scenario = Scenario(metastudio: .init(createTimeline: [
            .init(state: "WAITING", polls: 1), .init(state: "PROCESSING", polls: 1), .init(state: "SUCCEED"),
        ]))
        let emulator = try await Emulator.start(EmulatorOptions(seed: 7, scenario: scenario))
        let transport = TamperingTransport(tamper)
        let environment = ["CLOUD_SDK_AK": DemoCredentials.accessKey, "CLOUD_SDK_SK": DemoCredentials.secretKey]
        let configuration = try MoonwatchConfiguration.load(toml: emulator.configTOML, environment: environment)
        let hub = ServiceHub(
            configuration: configuration, environment: environment, transport: transport,
            retryPolicies: [.metastudio: .none])
        do {
            try await body(hub)
        } catch {
            try await transport.inner.shutdown()
            await emulator.shutdown()
            throw error
        }
        try await transport.inner.shutdown()
        await emulator.shutdown()
    }

    static let create = HuaweiCloudClient.Request(
        method: "POST", path: "/v1/{project_id}/digital-human/stylized/picture-modelings",
        headers: [("X-App-UserId", "user-1")], body: Array(#"{"name":"signed-1","style_id":"system_female_002"}"#.utf8))

    func testASignedPostAndGetAreAccepted() async throws {
        try await withHub { hub in
            let client = try hub.huaweiCloud(.metastudio)
            let created = try await client.send(Self.create)
            XCTAssertEqual(created.status, 200)
            XCTAssertNotNil(created.requestID)
            let jobID = try XCTUnwrap(try JSONParser.parse(created.body)["job_id"]?.scalarText)
            var states: [String] = []
            for _ in 0..<3 {
                let job = try await client.send(
                    .init(method: "GET", path: "/v1/{project_id}/digital-human/stylized/picture-modelings/\(jobID)",
                        query: [("unused", "a b&c")]))
                let object = try JSONParser.parse(job.body)
                states.append(object["state"]?.scalarText ?? "")
                XCTAssertEqual(object["name"]?.scalarText, "signed-1")
                XCTAssertEqual(object["style_id"]?.scalarText, "system_female_002")
            }
            XCTAssertEqual(states, ["WAITING", "PROCESSING", "SUCCEED"])
        }
    }

    func testRequestsChangedAfterSigningAreRefused() async throws {
        let tampers: [(String, @Sendable (inout ServiceRequest) -> Void)] = [
            ("body", { $0.body = Array(#"{"name":"changed!","style_id":"system_female_002"}"#.utf8) }),
            ("signed header", { $0.headers["X-App-UserId"] = "user-2" }),
            ("query", { $0.url.query.append(.init("extra", "1")) }),
        ]
        for (what, tamper) in tampers {
            try await withHub(tamper: tamper) { hub in
                let error = await assertServiceError { try await hub.huaweiCloud(.metastudio).send(Self.create) }
                XCTAssertEqual(error?.kind, .auth, what)
                XCTAssertEqual(error?.status, 401, what)
                XCTAssertEqual(error?.code, "APIGW.0301", what)
                XCTAssertEqual(error?.service, "metastudio", what)
                XCTAssertTrue(error?.message.contains("verify aksk signature fail") ?? false, "\(what): \(error?.message ?? "")")
            }
        }
    }
}
