import Logging
import Synchronization
import XCTest

@testable import JSON
@testable import RunConfiguration
@testable import Services
@testable import Transport

final class RedactorTests: XCTestCase {
    func testReplacesEverySecretAndItsWireForms() {
        let redactor = Redactor(secrets: ["s3cr3t", "p@ss word\"x", ""])
        XCTAssertEqual(redactor.redact("a s3cr3t b s3cr3ts3cr3t"), "a *** b ******")
        XCTAssertEqual(redactor.redact(#"{"password":"p@ss word\"x"}"#), #"{"password":"***"}"#)
        XCTAssertEqual(redactor.redact("u=p%40ss%20word%22x"), "u=***")
        XCTAssertEqual(redactor.redact("nothing here"), "nothing here")
        XCTAssertEqual(redactor.count, 4, "three forms of one secret, one of the other, empty ignored")
    }

    func testLongerSecretsFirstAndCombiningMarksCannotHideASecret() {
        let redactor = Redactor(secrets: ["abc", "abcdef"])
        XCTAssertEqual(redactor.redact("xabcdefx abc"), "x***x ***")
        // "abc" followed by a combining accent: grapheme comparison would miss it.
        XCTAssertEqual(Redactor(secrets: ["abc"]).redact("abc\u{301}"), "***\u{301}")
        XCTAssertEqual(Redactor(secrets: ["密钥"]).redact("key=密钥!"), "key=***!")
    }

    /// Every error and log line a run produces keeps secrets out, even when a
    /// server echoes them back.
    func testSecretsNeverReachErrorsOrLogs() async throws {
        let secrets = [
            "CLOUD_SDK_AK": "AKSECRETVALUE", "CLOUD_SDK_SK": "SKSECRETVALUE", "TRYON_OPEN_ID": "OPENIDSECRET",
            "TRYON_API_KEY": "APIKEYSECRET",
        ]
        let configuration = try MoonwatchConfiguration.load(
            toml: """
                [tryon]
                api_url = "https://tryon.test"
                oss_url = "https://oss.test/"
                [huaweicloud]
                project_id = "p1"
                region = "cn-east-3"
                """)
        // A hostile server that echoes the request (headers and body) in every answer.
        let transport = FakeTransport { request, number in
            let echo = request.headers.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
                + " body=" + String(decoding: request.body, as: UTF8.self)
            if number % 3 == 0 { throw ServiceError(.network, "reset while sending \(echo)") }
            if number % 3 == 1 {
                return response(500, #"{"error_code": "X", "error_msg": \#(JSONValue.quoted(echo))}"#)
            }
            return response(401, echo)
        }
        let logs = Collector<String>()
        var logger = Logger(label: "test") { _ in CollectingLogHandler(collector: logs) }
        logger.logLevel = .trace
        let hub = ServiceHub(
            configuration: configuration, environment: secrets, transport: transport,
            clock: VirtualClock().clock, random: .constant(0.5), retryPolicies: Dictionary(uniqueKeysWithValues: ServiceName.allCases.map { ($0, RetryPolicy(maxAttempts: 3)) }), logger: logger)
        var errors: [ServiceError] = []
        do { _ = try await hub.tryon().result(infID: 1) } catch { errors.append(error) }
        do { _ = try await hub.metastudio().job(jobID: "j") } catch { errors.append(error) }
        do { _ = try await hub.faceedge().task(taskID: "t") } catch { errors.append(error) }
        XCTAssertEqual(errors.count, 3)
        XCTAssertGreaterThan(transport.count, 6)
        let everything = errors.map { "\($0) \($0.message) \($0.code ?? "")" }.joined() + logs.all.joined()
        XCTAssertFalse(logs.all.isEmpty)
        for secret in secrets.values {
            XCTAssertFalse(everything.contains(secret), "secret \(secret) leaked")
        }
        XCTAssertTrue(everything.contains("***"), "the echoed secrets were masked, not dropped")
    }
}

/// A swift-log handler that keeps rendered messages.
struct CollectingLogHandler: LogHandler {
    let collector: Collector<String>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        collector.add("\(event.level) \(event.message) \(merged)")
    }
}
