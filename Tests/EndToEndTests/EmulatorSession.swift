import Emulator
import Foundation
import XCTest

/// An emulator in the test process and a scratch folder holding the
/// `moonwatch.toml` it prints, for runs of the real binary with `--config`.
/// The child gets the demo credentials in its environment (and nothing else
/// that could configure moonwatch).
struct EmulatorSession {
    let emulator: RunningEmulator
    let harness: BinaryHarness
    /// The child's credentials; tests replace or remove entries.
    var credentials: [String: String] = [
        "TRYON_OPEN_ID": DemoCredentials.tryOnOpenID,
        "TRYON_API_KEY": DemoCredentials.tryOnAPIKey,
        "CLOUD_SDK_AK": DemoCredentials.accessKey,
        "CLOUD_SDK_SK": DemoCredentials.secretKey,
    ]

    /// The project's `scripts/` folder, where the examples are.
    static let scripts = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts")

    /// Starts an emulator (seeded, so faults drawn by probability repeat) and
    /// writes its configuration, passed through `config` for edits.
    static func start(
        scenario: Scenario? = nil, speed: Double = 1, seed: UInt64 = 42, config: (String) -> String = { $0 }
    ) async throws -> EmulatorSession {
        let emulator = try await Emulator.start(EmulatorOptions(speed: speed, seed: seed, scenario: scenario))
        let harness = try BinaryHarness()
        try harness.write("moonwatch.toml", config(emulator.configTOML))
        return EmulatorSession(emulator: emulator, harness: harness)
    }

    /// `moonwatch run --config moonwatch.toml OPTIONS... SCRIPT ARGS...`.
    func run(_ script: String, _ arguments: [String] = [], options: [String] = []) async throws -> BinaryHarness.Result {
        var environment = ProcessInfo.processInfo.environment.filter { key, _ in
            !key.hasPrefix("MOONWATCH_") && !Self.credentialNames.contains(key)
        }
        environment.merge(credentials) { $1 }
        return try await harness.run(["run", "--config", "moonwatch.toml"] + options + [script] + arguments, environment: environment)
    }

    /// Runs an example from `scripts/`.
    func runExample(_ name: String, _ arguments: [String] = [], options: [String] = []) async throws -> BinaryHarness.Result {
        try await run(Self.scripts.appendingPathComponent(name).path, arguments, options: options)
    }

    private static let credentialNames: Set<String> = [
        "TRYON_OPEN_ID", "TRYON_API_KEY", "CLOUD_SDK_AK", "CLOUD_SDK_SK", "HUAWEICLOUD_AUTH_TOKEN", "HUAWEICLOUD_IAM_PASSWORD",
    ]

    /// The records the run emitted, one JSON object each.
    func records() throws -> [[String: Any]] {
        try harness.read("out/records.jsonl").split(separator: "\n").map { line in
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
        }
    }

    /// The records keyed by `field` (e.g. `job_id`).
    func records(by field: String) throws -> [String: [String: Any]] {
        var keyed: [String: [String: Any]] = [:]
        for record in try records() {
            let key = try XCTUnwrap(record[field].map { "\($0)" }, "record without \(field): \(record)")
            XCTAssertNil(keyed[key], "two records for \(field) \(key)")
            keyed[key] = record
        }
        return keyed
    }

    func shutdown() async {
        await emulator.shutdown()
    }
}

extension String {
    /// The configuration with the line that starts with `prefix` replaced.
    func replacingLine(startingWith prefix: String, with line: String) -> String {
        split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(prefix) ? Substring(line) : $0 }
            .joined(separator: "\n")
    }
}

/// The faults the issue asks every example to survive, on `route`: 10% 5xx
/// (500, 502 and 503), 5% connection resets, both by seeded probability, and
/// bursts of 429 (two in a row at each burst). Scheduled faults make sure each
/// kind fires at least once however few requests the run makes.
func standardFaults(on route: EmulatorRoute, bursts: [Int] = [3, 4, 11, 12]) -> [FaultRule] {
    let name = route.rawValue
    return [
        FaultRule(route: name, kind: .error, status: 500, probability: 0.04),
        FaultRule(route: name, kind: .error, status: 502, probability: 0.03),
        FaultRule(route: name, kind: .error, status: 503, probability: 0.03),
        FaultRule(route: name, kind: .reset, probability: 0.05),
        FaultRule(route: name, kind: .throttle, retryAfter: 1, requests: bursts),
        FaultRule(route: name, kind: .error, status: 503, requests: [1]),
        FaultRule(route: name, kind: .reset, requests: [6]),
    ]
}
