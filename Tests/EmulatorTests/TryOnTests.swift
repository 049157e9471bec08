import Emulator
import Foundation
import Testing

@Suite struct TryOnTests {
    static let url = "/tryon/api/inf/get_result"
    static let demoFields = "openId=\(DemoCredentials.tryOnOpenID)&apiKey=\(DemoCredentials.tryOnAPIKey)&infId=2880"

    @Test func acceptsJSONWithOrWithoutContentTypeFormBodiesAndQueryParameters() async throws {
        try await EmulatorHarness.with { h in
            let json = "{\"openId\":\"\(DemoCredentials.tryOnOpenID)\",\"apiKey\":\"\(DemoCredentials.tryOnAPIKey)\",\"infId\":\"2880\"}"
            let shapes = [
                try await h.tryOn(2880),
                try await TestHTTP.send(.POST, h.base + Self.url, headers: ["Content-Type": "application/json"], body: Array(json.utf8)),
                try await TestHTTP.send(.POST, h.base + Self.url, headers: ["Content-Type": "application/x-www-form-urlencoded"], body: Array(Self.demoFields.utf8)),
                try await TestHTTP.send(.GET, h.base + Self.url + "?" + Self.demoFields),
            ]
            for r in shapes {
                #expect(r.status == 200)
                #expect(r.json["code"] as? Int == 200)
                let data = r.json["data"] as? [String: Any]
                #expect(data?["id"] as? Int == 2880)
                #expect(data?["openId"] as? String == DemoCredentials.tryOnOpenID)
            }
            #expect(h.emulator.counters().coinsCharged[DemoCredentials.tryOnOpenID] == 0.4)
        }
    }

    @Test func badQueries() async throws {
        try await EmulatorHarness.with(scenario: Scenario(unknownIDs: .notFound)) { h in
            let missing = try await TestHTTP.send(.POST, h.base + Self.url, body: Array("{\"openId\":\"x\"}".utf8))
            #expect(missing.status == 400 && missing.json["code"] as? Int == 400)
            #expect(missing.json["data"] == nil)
            let badKey = try await h.tryOn(1, apiKey: "wrong")
            #expect(badKey.status == 401 && badKey.json["code"] as? Int == 401)
            let unknown = try await h.tryOn(999)
            #expect(unknown.status == 404 && unknown.json["code"] as? Int == 404)
            // Every authenticated call costs, found or not; refused ones do not.
            #expect(h.emulator.counters().coinsCharged == [DemoCredentials.tryOnOpenID: 0.1])
        }
    }

    @Test func coinsRunOut() async throws {
        let account = TryOnAccount(openID: "poor", apiKey: "k", coins: 0.3)
        try await EmulatorHarness.with(scenario: Scenario(tryon: .init(accounts: [account]))) { h in
            for _ in 0..<3 {
                #expect((try await h.tryOn(7, openID: "poor", apiKey: "k").json["data"] as? [String: Any])?["state"] as? Int == 1)
            }
            let broke = try await h.tryOn(7, openID: "poor", apiKey: "k")
            #expect(broke.status == 200)
            #expect((broke.json["data"] as? [String: Any])?["state"] as? Int == -2)
            let counters = h.emulator.counters()
            #expect(counters.coinsCharged["poor"] == 0.3)
            #expect(counters.coinBalances["poor"] == 0)
        }
    }

    @Test func theFirewallBlocksAFastPollerAndLetsItBackLater() async throws {
        let firewall = TryOnFirewall(maxRequests: 3, windowSeconds: 60, blockSeconds: 120)
        try await EmulatorHarness.with(scenario: Scenario(tryon: .init(firewall: firewall))) { h in
            for _ in 0..<3 { #expect(try await h.tryOn(1).status == 200) }
            let blocked = try await h.tryOn(1)
            #expect(blocked.status == 403)
            #expect(blocked.header("Content-Type") == "text/html")
            #expect(blocked.text.contains("<h1>403 Forbidden</h1>"))
            h.clock.advance(by: 119)
            #expect(try await h.tryOn(1).status == 403)
            h.clock.advance(by: 2)
            #expect(try await h.tryOn(1).status == 200)
            let counters = h.emulator.counters()
            #expect(counters.firewallBlocks == 2)
            #expect(counters.firewallBlocksByIP["127.0.0.1"] == 2)
            // Blocked queries cost nothing.
            #expect(counters.coinsCharged[DemoCredentials.tryOnOpenID] == 0.4)
        }
    }

    @Test func pollingWithinTheRateIsNeverBlocked() async throws {
        try await EmulatorHarness.with { h in
            for _ in 0..<60 {
                let r = try await h.tryOn(5)
                #expect(r.status == 200)
                h.clock.advance(by: 6)  // 10 per minute, the generated config's rate
            }
        }
    }

    @Test func resultFilesAppearWhenTheJobSucceeds() async throws {
        let job = Outcomes.tryOnJob(ending: 2)
        try await EmulatorHarness.with { h in
            let oss = h.base + "/oss/"
            #expect(try await TestHTTP.send(.GET, oss + "result/\(job.infID)/body.png").status == 404)
            h.clock.advance(by: job.timeline.compactMap(\.seconds).reduce(0, +))
            let data = try #require(try await h.tryOn(job.infID).json["data"] as? [String: Any])
            #expect(data["state"] as? Int == 2)
            let pose = try await TestHTTP.send(.GET, oss + (data["body_url"] as! String))
            #expect(pose.status == 200 && pose.body.count == job.files?.body.size)
            #expect(pose.header("Content-Type") == "image/png")
            let show = try await TestHTTP.send(.GET, oss + (data["showUrl"] as! String))
            #expect(show.status == 200 && Array(show.body.prefix(3)) == [0xff, 0xd8, 0xff])
        }
    }

    @Test func aFailedJobReportsItsReason() async throws {
        let job = Outcomes.tryOnJob(ending: -1)
        try await EmulatorHarness.with { h in
            _ = try await h.tryOn(job.infID)
            h.clock.advance(by: job.timeline.compactMap(\.seconds).reduce(0, +))
            let data = try #require(try await h.tryOn(job.infID).json["data"] as? [String: Any])
            #expect(data["state"] as? Int == -1)
            #expect(data["infInfoEn"] as? String == (try #require(job.failure)).infoEn)
            #expect((data["infInfo"] as? String)?.isEmpty == false)
            #expect(data["body_url"] as? String == "")
        }
    }
}
