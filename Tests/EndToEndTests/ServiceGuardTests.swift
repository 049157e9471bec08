import Emulator
import Foundation
import XCTest

/// What the host guarantees around the services, through the built binary
/// against an emulator in the test process: the try-on firewall, auth
/// failures, the coin budget, IAM token renewal, configuration errors.
final class ServiceGuardTests: XCTestCase {
    /// The configured rate (4/s) is above the firewall's (5 per 2 s): the 6th
    /// query is blocked. The client must then send nothing to try-on for its
    /// cool-down (1.5 s, longer than the 1 s block), halve its rate (2/s, under
    /// the firewall's 2.5/s) and finish every job. The firewall counts every
    /// refused request, so "no second block" is `firewallBlocks == 1`: one
    /// refused query, nothing sent while blocked, no block after.
    func testATryOnRunThatTripsTheFirewallBacksOffAndCompletes() async throws {
        let jobs = (601...606).map { TryOnJob(infID: Int64($0), timeline: [.init(state: 1, seconds: 1), .init(state: 2)]) }
        let scenario = Scenario(
            unknownIDs: .notFound,
            tryon: TryOnSettings(firewall: TryOnFirewall(maxRequests: 5, windowSeconds: 2, blockSeconds: 1), jobs: jobs))
        let session = try await EmulatorSession.start(scenario: scenario) {
            $0.replacingLine(startingWith: "rate = ", with: #"rate = "240/min""#)
        }
        let result = try await session.runExample(
            "tryon_wait.lua", ["delay=0.3", "download=no"] + jobs.map { String($0.infID) },
            options: ["--tryon-cooldown", "1.5"])
        let counters = session.emulator.counters()
        await session.shutdown()

        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(counters.firewallBlocks, 1, "the run was blocked again (or never): \(counters.firewallBlocksByIP)")
        XCTAssertEqual(counters.requests(.tryOnResult, status: 403), 1)
        XCTAssertTrue(result.stderr.contains("firewall blocked this client"), result.stderr)
        XCTAssertTrue(result.stderr.contains("no try-on query is sent for 1.5 s, then at most 120/min"), result.stderr)
        let records = try session.records(by: "inf_id")
        XCTAssertEqual(records.count, jobs.count)
        XCTAssertTrue(records.values.allSatisfy { $0["status"] as? String == "succeeded" }, "\(records)")
    }

    func testWrongCredentialsGiveOneAuthErrorAfterOneRequest() async throws {
        var session = try await EmulatorSession.start()
        session.credentials["CLOUD_SDK_SK"] = "not-the-secret"
        session.credentials["TRYON_API_KEY"] = "not-the-key"
        try session.harness.write("ms.lua", #"api.metastudio.wait{job_id = "job-1", min_delay = 0.1, max_delay = 0.1}"#)
        try session.harness.write("tryon.lua", "api.tryon.wait(7, {initial_delay = 0, min_delay = 0.1, max_delay = 0.1})")
        let metastudio = try await session.run("ms.lua")
        let tryon = try await session.run("tryon.lua")
        let counters = session.emulator.counters()
        await session.shutdown()

        XCTAssertEqual(metastudio.status, 1)
        XCTAssertTrue(metastudio.stderr.contains("ms.lua:1: "), metastudio.stderr)
        XCTAssertTrue(metastudio.stderr.contains("[auth, service=metastudio, status=401, code=APIGW.0301"), metastudio.stderr)
        XCTAssertEqual(counters.requests(.metaStudioJob), 1, "an auth error must not be retried")
        XCTAssertEqual(tryon.status, 1)
        XCTAssertTrue(tryon.stderr.contains("tryon.lua:1: invalid openId or apiKey [auth, service=tryon, status=401"), tryon.stderr)
        XCTAssertEqual(counters.requests(.tryOnResult), 1)
        for output in [metastudio.stderr, tryon.stderr] {
            XCTAssertFalse(output.contains("retrying"), output)
            XCTAssertFalse(output.contains("not-the-secret") || output.contains("not-the-key"), output)
        }
    }

    /// Ten jobs poll at once until the budget refuses; the emulator's own
    /// ledger must show no more than `max_coins` charged.
    func testTheCoinBudgetIsNeverExceeded() async throws {
        let scenario = Scenario(tryon: TryOnSettings(firewall: TryOnFirewall(maxRequests: 10_000, windowSeconds: 60)))
        let session = try await EmulatorSession.start(scenario: scenario) {
            $0.replacingLine(startingWith: "max_coins = ", with: "max_coins = 1.25")
        }
        try session.harness.write("spend.lua", """
            task.map({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, function(id)
              local polls = 0
              while true do
                local ok, result = pcall(api.tryon.result, 9000 + id)
                if not ok then
                  emit({id = id, polls = polls, kind = result.kind, message = result.message})
                  return
                end
                polls = polls + 1
              end
            end)
            """)
        let result = try await session.run("spend.lua")
        let counters = session.emulator.counters()
        await session.shutdown()

        XCTAssertEqual(result.status, 0, result.stderr)
        let records = try session.records()
        XCTAssertEqual(records.count, 10)
        XCTAssertTrue(records.allSatisfy { $0["kind"] as? String == "budget" }, "\(records)")
        XCTAssertEqual(records.compactMap { $0["polls"] as? Int }.reduce(0, +), 12, "1.25 coins buy 12 queries")
        let charged = counters.coinsCharged[DemoCredentials.tryOnOpenID] ?? 0
        XCTAssertLessThanOrEqual(charged, 1.25)
        XCTAssertEqual(charged, 1.2, accuracy: 1e-9)
        XCTAssertEqual(counters.requests(.tryOnResult), 12)
    }

    /// Tokens live 2 s here; a 5 s run must renew (before expiry: no 401).
    func testIAMTokensAreRenewedOnExpiry() async throws {
        let scenario = Scenario(iam: IAMSettings(tokenLifetimeSeconds: 2))
        var session = try await EmulatorSession.start(scenario: scenario) { config in
            config + """

                [huaweicloud.iam]
                endpoint = "\(config.emulatorBaseURL)"
                user = "\(DemoCredentials.iamUser)"
                domain = "\(DemoCredentials.iamDomain)"
                password_env = "HUAWEICLOUD_IAM_PASSWORD"

                """
        }
        session.credentials["CLOUD_SDK_AK"] = nil
        session.credentials["CLOUD_SDK_SK"] = nil
        session.credentials["HUAWEICLOUD_IAM_PASSWORD"] = DemoCredentials.iamPassword
        try session.harness.write("poll.lua", """
            for i = 1, 20 do
              local job = api.metastudio.job{job_id = "iam-job"}
              emit({poll = i, state = job.state})
              task.sleep(0.25)
            end
            """)
        let result = try await session.run("poll.lua")
        let counters = session.emulator.counters()
        await session.shutdown()

        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try session.records().count, 20)
        XCTAssertGreaterThanOrEqual(counters.tokensIssued, 2)
        XCTAssertEqual(counters.requests(.metaStudioJob, status: 200), 20)
        XCTAssertEqual(counters.requests(.metaStudioJob, status: 401), 0, "a token was used after it expired")
    }

    func testAMissingCredentialIsAConfigErrorBeforeAnyRequest() async throws {
        var session = try await EmulatorSession.start()
        session.credentials["CLOUD_SDK_SK"] = nil
        try session.harness.write("ms.lua", #"log.info("started") api.metastudio.job{job_id = "j"}"#)
        let result = try await session.run("ms.lua")
        let counters = session.emulator.counters()
        await session.shutdown()

        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("CLOUD_SDK_SK"), result.stderr)
        XCTAssertFalse(result.stderr.contains("started"), "the script ran: \(result.stderr)")
        XCTAssertEqual(counters.requests.values.flatMap(\.values).reduce(0, +), 0)
    }
}

extension String {
    /// `http://127.0.0.1:PORT` of the emulator a configuration points at.
    var emulatorBaseURL: String {
        let line = split(separator: "\n").first { $0.hasPrefix("endpoint = ") } ?? ""
        return String(line.dropFirst("endpoint = \"".count).dropLast())
    }
}
