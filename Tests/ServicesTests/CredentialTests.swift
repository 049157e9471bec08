import XCTest

@testable import RunConfiguration
@testable import Services
@testable import Transport

final class CredentialTests: XCTestCase {
    private func config(_ text: String = "") throws -> MoonwatchConfiguration {
        try MoonwatchConfiguration.load(toml: text)
    }

    func testAKSKPreferred() throws {
        let credentials = try config("[huaweicloud]\ntoken_env = \"TOK\"").resolveCredentials(environment: [
            "CLOUD_SDK_AK": "ak-value", "CLOUD_SDK_SK": "sk-value", "TOK": "token-value",
        ])
        XCTAssertEqual(try credentials.huawei.get(), .akSK(accessKey: "ak-value", secretKey: "sk-value"))
        XCTAssertEqual(Set(credentials.secrets), ["ak-value", "sk-value", "token-value"])
        XCTAssertFalse(credentials.description.contains("sk-value"))
        XCTAssertFalse(String(describing: try credentials.huawei.get()).contains("sk-value"))
    }

    func testTokenThenIAM() throws {
        let token = try config("[huaweicloud]\ntoken_env = \"TOK\"").resolveCredentials(environment: ["TOK": "t"])
        XCTAssertEqual(try token.huawei.get(), .token("t"))
        let iamText = """
            [huaweicloud]
            region = "cn-north-4"
            [huaweicloud.iam]
            user = "alice"
            domain = "corp"
            password_env = "PW"
            """
        let iam = try config(iamText).resolveCredentials(environment: ["PW": "secret-pw"])
        guard case .iam(let user, let domain, let password, let endpoint) = try iam.huawei.get() else {
            return XCTFail("expected IAM credentials")
        }
        XCTAssertEqual([user, domain, password], ["alice", "corp", "secret-pw"])
        XCTAssertEqual(endpoint.description, "https://iam.cn-north-4.myhuaweicloud.com/")
        XCTAssertFalse(String(describing: try iam.huawei.get()).contains("secret-pw"))
    }

    func testMissingCredentialsNameTheVariable() throws {
        let none = try config().resolveCredentials(environment: [:])
        XCTAssertThrowsError(try none.huawei.get()) { error in
            let message = (error as? ServiceError)?.message ?? ""
            XCTAssertTrue(message.contains("CLOUD_SDK_AK and CLOUD_SDK_SK"), message)
            XCTAssertEqual((error as? ServiceError)?.kind, .config)
        }
        XCTAssertThrowsError(try none.tryon.get()) { error in
            XCTAssertEqual(
                (error as? ServiceError)?.message,
                "missing try-on credentials: environment variables TRYON_OPEN_ID (tryon.open_id_env) and TRYON_API_KEY (tryon.api_key_env) are not set")
        }
        let halfTryOn = try config("[tryon]\napi_key_env = \"KEY\"").resolveCredentials(environment: ["TRYON_OPEN_ID": "o"])
        XCTAssertThrowsError(try halfTryOn.tryon.get()) { error in
            XCTAssertEqual(
                (error as? ServiceError)?.message,
                "missing try-on credentials: environment variable KEY (tryon.api_key_env) is not set")
        }
        let halfAKSK = try config().resolveCredentials(environment: ["CLOUD_SDK_AK": "a"])
        XCTAssertThrowsError(try halfAKSK.huawei.get()) { error in
            XCTAssertEqual(
                (error as? ServiceError)?.message,
                "environment variable CLOUD_SDK_AK is set but CLOUD_SDK_SK (huaweicloud.sk_env) is not")
        }
        let token = try config("[huaweicloud]\ntoken_env = \"HUAWEICLOUD_AUTH_TOKEN\"").resolveCredentials(environment: [:])
        XCTAssertThrowsError(try token.huawei.get()) { error in
            XCTAssertTrue((error as? ServiceError)?.message.contains("HUAWEICLOUD_AUTH_TOKEN (huaweicloud.token_env)") == true)
        }
        let iam = try config("[huaweicloud.iam]\nuser = \"u\"\ndomain = \"d\"\npassword_env = \"PW\"").resolveCredentials(environment: [:])
        XCTAssertThrowsError(try iam.huawei.get()) { error in
            XCTAssertEqual(
                (error as? ServiceError)?.message,
                "missing Huawei Cloud credentials: environment variable PW (huaweicloud.iam.password_env) is not set")
        }
        let incomplete = try config("[huaweicloud.iam]\nuser = \"u\"").resolveCredentials(environment: [:])
        XCTAssertThrowsError(try incomplete.huawei.get()) { error in
            XCTAssertEqual(
                (error as? ServiceError)?.message,
                "incomplete [huaweicloud.iam]: set huaweicloud.iam.domain, huaweicloud.iam.password_env")
        }
    }

    func testProblemsBeforeAnyRequest() throws {
        let transport = FakeTransport(responses: [response(200, "{}")])
        let hub = ServiceHub(
            configuration: try config("[tryon]\napi_url = \"https://t.test\""), environment: [:], transport: transport)
        let problems = hub.problems(for: [.tryon, .metastudio, .modelarts]).map(\.message)
        XCTAssertEqual(problems.count, 6, problems.joined(separator: "\n"))
        XCTAssertTrue(problems.contains { $0.contains("TRYON_OPEN_ID") })
        XCTAssertTrue(problems.contains("tryon.oss_url is not set"))
        XCTAssertTrue(problems.contains { $0.contains("CLOUD_SDK_AK") })
        XCTAssertTrue(problems.contains { $0.hasPrefix("huaweicloud.project_id is not set") })
        XCTAssertTrue(problems.contains("metastudio.endpoint is not set, nor huaweicloud.region to derive it from"))
        XCTAssertTrue(problems.contains("modelarts.endpoint is not set, nor huaweicloud.region to derive it from"))
        XCTAssertThrowsError(try hub.metastudio()) { error in
            XCTAssertEqual((error as? ServiceError)?.kind, .config)
        }
        XCTAssertThrowsError(try hub.tryon())
        XCTAssertEqual(transport.count, 0)
    }
}
