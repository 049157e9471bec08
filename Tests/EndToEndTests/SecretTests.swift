import Emulator
import Foundation
import XCTest

/// A full run's standard output, standard error (its log), and records hold
/// none of the secrets: AK, SK, try-on openId and apiKey, IAM password, IAM
/// tokens. The script does its best to leak them: it emits and logs whole
/// result tables (the try-on service echoes the openId in every answer), logs
/// at debug level, and provokes errors and retries.
final class SecretTests: XCTestCase {
    static let accessKey = "E2EQ7AKZRW"
    static let secretKey = "e2e-sk-5ecret-v4lue"
    static let openID = "e2e-open-1d-x9"
    static let apiKey = "e2e-api-k3y-x9"
    static let iamPassword = "e2e-iam-pa55word"
    static let secrets = [accessKey, secretKey, openID, apiKey, iamPassword]

    static let scenario = Scenario(
        credentials: [AccessKeyPair(accessKey: accessKey, secretKey: secretKey, projectID: DemoCredentials.projectID)],
        iam: IAMSettings(
            users: [IAMUser(name: "e2e-user", password: iamPassword, domain: "e2e-domain", projectID: DemoCredentials.projectID)],
            tokenLifetimeSeconds: 2),
        tryon: TryOnSettings(
            accounts: [TryOnAccount(openID: openID, apiKey: apiKey, coins: 100)],
            firewall: TryOnFirewall(maxRequests: 10_000, windowSeconds: 60),
            jobs: [TryOnJob(infID: 11, timeline: [.init(state: 1, seconds: 0.5), .init(state: 2)])]),
        faults: [
            FaultRule(route: "*", kind: .error, status: 503, probability: 0.15),
            FaultRule(route: "*", kind: .throttle, retryAfter: 0, requests: [2]),
        ])

    static let script = """
        local function show(label, value)
          emit({label = label, value = value})
          log.debug("%s: %s", label, json.encode(value))
          log.info("%s: %s", label, tostring(value))
        end
        show("tryon", api.tryon.wait(11, {initial_delay = 0, min_delay = 0.2, max_delay = 0.2}))
        show("metastudio", api.metastudio.wait{job_id = "secret-job", min_delay = 0.2, max_delay = 0.5, timeout = 600})
        for result in api.modelarts.each_result{task_id = "secret-task", version_id = "v1", limit = 5} do
          show("sample", result)
        end
        show("faceedge", api.faceedge.task{task_id = "secret-edge"})
        for i = 1, 8 do
          show("poll " .. i, api.metastudio.job{job_id = "secret-job"})
          task.sleep(0.3)
        end
        local ok, err = pcall(api.metastudio.job, {job_id = "bad/id"})
        show("argument error", tostring(err))
        -- The generic calls: a signed request, one to an endpoint that echoes every header it
        -- got (the signature, the token), plain requests (which must carry no credential).
        local echo = args[1]
        show("generic", api.huaweicloud.request{service = "metastudio",
          path = "/v1/{project_id}/digital-human/stylized/picture-modelings/secret-job"})
        show("echoed by a service", api.huaweicloud.request{service = "echo", path = "/signed", query = {q = "1"}})
        show("plain", http.post(echo .. "/plain", {json = {hello = "world"}, retry = true}))
        show("plain get", http.get(echo .. "/plain?status=401"))
        local ok, err = pcall(http.get, echo .. "?status=403", {raise = true})
        show("plain error", tostring(err))
        """

    /// The emulator's echo route as a configured service, so a signed request's headers come back.
    static func withEchoService(_ config: String) -> String {
        config + "\n[services.echo]\nendpoint = \"\(config.emulatorBaseURL)/_emulator/echo\"\n"
    }

    func testNoSecretInAnyOutputWithAKSK() async throws {
        var session = try await EmulatorSession.start(scenario: Self.scenario, speed: 200, config: Self.withEchoService)
        session.credentials = [
            "CLOUD_SDK_AK": Self.accessKey, "CLOUD_SDK_SK": Self.secretKey,
            "TRYON_OPEN_ID": Self.openID, "TRYON_API_KEY": Self.apiKey,
        ]
        try session.harness.write("leak.lua", Self.script)
        let result = try await session.run("leak.lua", [session.emulator.baseURL + "/_emulator/echo"], options: ["--log-level", "debug"])
        await session.shutdown()

        XCTAssertEqual(result.status, 0, result.stderr)
        assertNoSecret(in: session, result)
        let records = session.harness.read("out/records.jsonl")
        XCTAssertTrue(records.contains(#""openId":"***""#))
        XCTAssertTrue(records.contains("Access=***"), "the echoed signature names the access key, masked")
        XCTAssertTrue(result.stderr.contains("retrying"), "no retry was logged: the faults did not fire")
    }

    func testNoSecretInAnyOutputWithIAMTokensAndJSONLogs() async throws {
        var session = try await EmulatorSession.start(scenario: Self.scenario, speed: 200) { config in
            Self.withEchoService(config) + """

                [huaweicloud.iam]
                endpoint = "\(config.emulatorBaseURL)"
                user = "e2e-user"
                domain = "e2e-domain"
                password_env = "E2E_IAM_PASSWORD"

                """
        }
        session.credentials = ["E2E_IAM_PASSWORD": Self.iamPassword, "TRYON_OPEN_ID": Self.openID, "TRYON_API_KEY": Self.apiKey]
        try session.harness.write("leak.lua", Self.script)
        let result = try await session.run(
            "leak.lua", [session.emulator.baseURL + "/_emulator/echo"], options: ["--log-level", "debug", "--log-format", "json"])
        let counters = session.emulator.counters()
        await session.shutdown()

        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertGreaterThanOrEqual(counters.tokensIssued, 2, "the tokens to hide were renewed during the run")
        assertNoSecret(in: session, result)
    }

    func testNoSecretInAuthErrors() async throws {
        var session = try await EmulatorSession.start(scenario: Self.scenario)
        session.credentials = [
            "CLOUD_SDK_AK": Self.accessKey, "CLOUD_SDK_SK": "wrong-" + Self.secretKey,
            "TRYON_OPEN_ID": Self.openID, "TRYON_API_KEY": Self.apiKey + "-wrong",
        ]
        try session.harness.write("errors.lua", """
            local ok, err = pcall(api.tryon.result, 11)
            emit({error = tostring(err), message = err.message})
            log.error("%s", tostring(err))
            api.metastudio.job{job_id = "secret-job"}
            """)
        let result = try await session.run("errors.lua")
        await session.shutdown()

        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("[auth"), result.stderr)
        assertNoSecret(in: session, result, also: ["wrong-" + Self.secretKey, Self.apiKey + "-wrong"])
    }

    private func assertNoSecret(
        in session: EmulatorSession, _ result: BinaryHarness.Result, also extra: [String] = [], line: UInt = #line
    ) {
        let outputs = [
            ("stdout", result.stdout), ("stderr", result.stderr), ("records", session.harness.read("out/records.jsonl")),
        ]
        XCTAssertFalse(outputs[2].1.isEmpty, "no records: nothing was tested", line: line)
        // IAM tokens from the emulator: "MII" and base64, as real ones.
        let token = try! NSRegularExpression(pattern: "MII[A-Za-z0-9+/=]{20,}")
        for (name, text) in outputs {
            for secret in Self.secrets + extra {
                XCTAssertFalse(text.contains(secret), "\(name) contains \(secret):\n\(text)", line: line)
                let encoded = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? secret
                XCTAssertFalse(text.contains(encoded), "\(name) contains \(encoded)", line: line)
            }
            let range = NSRange(text.startIndex..., in: text)
            XCTAssertNil(token.firstMatch(in: text, range: range), "\(name) contains an IAM token:\n\(text)", line: line)
        }
    }
}
