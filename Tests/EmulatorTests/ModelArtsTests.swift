import Emulator
import Foundation
import Testing

@Suite struct ModelArtsTests {
    static let samples = (0..<25).map { ModelArtsSample(resultProperty: $0 % 4, size: 1000 + $0) }

    static func scenario(_ meaning: HasMoreMeaning) -> Scenario {
        Scenario(modelarts: .init(hasMore: meaning, tasks: [ModelArtsTask(taskID: "t1", versionID: "v1", samples: samples)]))
    }

    /// Pages through with `offset` as a page index and returns (count, page sizes, has_more flags).
    static func pages(_ h: EmulatorHarness, limit: Int, property: Int = -1) async throws -> (Int, [Int], [Bool]) {
        var sizes: [Int] = [], flags: [Bool] = [], count = -1
        for page in 0... {
            let r = try await h.signedGET(h.modelArtsPath(task: "t1", version: "v1"), query: [("offset", "\(page)"), ("limit", "\(limit)"), ("result_property", "\(property)")])
            #expect(r.status == 200)
            count = r.json["count"] as? Int ?? -1
            let results = r.json["results"] as? [[String: Any]] ?? []
            sizes.append(results.count)
            flags.append(r.json["has_more"] as? Bool ?? false)
            if results.isEmpty { break }
        }
        return (count, sizes, flags)
    }

    @Test func hasMoreMeansMorePagesFollow() async throws {
        try await EmulatorHarness.with(scenario: Self.scenario(.morePages)) { h in
            let (count, sizes, flags) = try await Self.pages(h, limit: 10)
            #expect(count == 25)
            #expect(sizes == [10, 10, 5, 0])
            #expect(flags == [true, true, false, false])
        }
    }

    @Test func hasMoreMeansAllResultsReturned() async throws {
        try await EmulatorHarness.with(scenario: Self.scenario(.allReturned)) { h in
            let (count, sizes, flags) = try await Self.pages(h, limit: 10)
            #expect(count == 25)
            #expect(sizes == [10, 10, 5, 0])
            #expect(flags == [false, false, true, true])
        }
    }

    @Test func resultPropertyFilters() async throws {
        try await EmulatorHarness.with(scenario: Self.scenario(.morePages)) { h in
            for property in 0...3 {
                let (count, sizes, _) = try await Self.pages(h, limit: 100, property: property)
                #expect(count == Self.samples.filter { $0.resultProperty == property }.count)
                #expect(sizes.first == count)
            }
        }
    }

    @Test func parametersAreValidated() async throws {
        try await EmulatorHarness.with { h in
            let path = h.modelArtsPath(task: "t1", version: "v1")
            for query in [[("limit", "0")], [("limit", "101")], [("limit", "ten")], [("offset", "-1")], [("result_property", "4")]] {
                let r = try await h.signedGET(path, query: query)
                #expect(r.status == 400)
                #expect(r.json["error_code"] as? String == "ModelArts.0104")
            }
            #expect(try await h.signedGET(path, query: [("limit", "100"), ("process_parameter", "image/resize,m_lfit,h_200")]).status == 200)
        }
    }

    @Test func signedSourcesAreDownloadableAndDeletedSamplesHaveNoOutput() async throws {
        try await EmulatorHarness.with(scenario: Self.scenario(.morePages)) { h in
            let r = try await h.signedGET(h.modelArtsPath(task: "t1", version: "v1"), query: [("limit", "4")])
            let results = try #require(r.json["results"] as? [[String: Any]])
            #expect(results.count == 4)
            for (index, result) in results.enumerated() {
                #expect(result["version_id"] as? String == "v1")
                #expect((result["sample_id"] as? String)?.count == 32)
                let origin = try await TestHTTP.send(.GET, try #require(result["signed_origin_source"] as? String))
                #expect(origin.status == 200)
                #expect(origin.body.count == 1000 + index)
                if index % 4 == 2 {
                    #expect(result["signed_new_source"] == nil && result["new_source"] == nil)
                } else {
                    let output = try await TestHTTP.send(.GET, try #require(result["signed_new_source"] as? String))
                    #expect(output.status == 200)
                    #expect(output.body != origin.body)
                }
            }
        }
    }

    @Test func derivedTasksPageConsistently() async throws {
        let task = Outcomes.modelArtsTask(minimumSamples: 21)
        try await EmulatorHarness.with { h in
            let path = h.modelArtsPath(task: task.taskID, version: "v1")
            let all = try await h.signedGET(path, query: [("limit", "100")]).json["results"] as? [[String: Any]] ?? []
            #expect(all.count == task.sampleCount)
            var paged: [String] = []
            for page in 0..<3 {
                let results = try await h.signedGET(path, query: [("limit", "10"), ("offset", "\(page)")]).json["results"] as? [[String: Any]] ?? []
                paged += results.compactMap { $0["sample_id"] as? String }
            }
            #expect(paged == all.prefix(30).compactMap { $0["sample_id"] as? String })
        }
    }
}
