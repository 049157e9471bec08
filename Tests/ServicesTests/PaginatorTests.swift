import XCTest

@testable import Services
@testable import Transport

final class PaginatorTests: XCTestCase {
    enum HasMoreMeaning: CaseIterable { case moreRemain, allReturned, alwaysTrue, alwaysFalse }

    /// A ModelArts results endpoint over `total` samples; `offset` is a page index.
    private func server(total: Int, reportedCount: Int?, hasMore: HasMoreMeaning) -> FakeTransport {
        FakeTransport { request, _ in
            let query = Dictionary(request.url.query.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
            let limit = Int(query["limit"] ?? "10")!
            let page = Int(query["offset"] ?? "0")!
            let start = min(page * limit, total)
            let end = min(start + limit, total)
            let remain = end < total
            let flag: Bool
            switch hasMore {
            case .moreRemain: flag = remain
            case .allReturned: flag = !remain
            case .alwaysTrue: flag = true
            case .alwaysFalse: flag = false
            }
            let results = (start..<end).map { #"{"sample_id": "s\#($0)", "result_property": 3}"# }.joined(separator: ",")
            let count = reportedCount.map { #""count": \#($0), "# } ?? ""
            return response(200, #"{\#(count)"results": [\#(results)], "has_more": \#(flag)}"#)
        }
    }

    private func collect(_ transport: FakeTransport, limit: Int?) async throws -> (ids: [String], pages: Int) {
        let client = ModelArtsClient(gateway: makeGateway(.modelarts, transport: transport))
        let paginator = try client.eachResult(.init(taskID: "t", versionID: "v", limit: limit, resultProperty: -1))
        let all = try await paginator.collectAll()
        let pages = await paginator.pagesFetched
        return (all.compactMap { $0["sample_id"]?.stringValue }, pages)
    }

    func testEveryResultUnderEveryHasMoreMeaningAndCount() async throws {
        let total = 25
        let expected = (0..<total).map { "s\($0)" }
        for meaning in HasMoreMeaning.allCases {
            for reported in [25, 1000, 3, 0, nil] as [Int?] {
                let transport = server(total: total, reportedCount: reported, hasMore: meaning)
                let (ids, pages) = try await collect(transport, limit: 10)
                XCTAssertEqual(ids, expected, "has_more \(meaning), count \(String(describing: reported))")
                // Accurate or low count: the short third page ends it. High or missing count: one empty page more.
                let expectedPages = (reported == nil || reported! > total) ? 4 : 3
                XCTAssertEqual(pages, expectedPages, "has_more \(meaning), count \(String(describing: reported))")
                XCTAssertEqual(transport.requests.map { $0.url.query.first { $0.name == "offset" }?.value }.prefix(3), ["0", "1", "2"])
            }
        }
    }

    func testFullLastPageEndsWithAnEmptyPage() async throws {
        let transport = server(total: 20, reportedCount: 20, hasMore: .alwaysTrue)
        let (ids, pages) = try await collect(transport, limit: 10)
        XCTAssertEqual(ids.count, 20)
        XCTAssertEqual(pages, 3, "page 2 comes back empty and ends the iteration")
    }

    func testEmptyTaskAndDefaultLimit() async throws {
        let transport = server(total: 0, reportedCount: 0, hasMore: .alwaysTrue)
        let (ids, pages) = try await collect(transport, limit: nil)
        XCTAssertEqual(ids, [])
        XCTAssertEqual(pages, 1)
        XCTAssertEqual(transport.requests.first?.url.query.first { $0.name == "limit" }?.value, "100")
    }

    func testStartOffsetIsAPageIndex() async throws {
        let transport = server(total: 35, reportedCount: 35, hasMore: .moreRemain)
        let client = ModelArtsClient(gateway: makeGateway(.modelarts, transport: transport))
        let paginator = try client.eachResult(.init(taskID: "t", versionID: "v", limit: 10, offset: 2))
        let ids = try await paginator.collectAll().compactMap { $0["sample_id"]?.stringValue }
        XCTAssertEqual(ids, (20..<35).map { "s\($0)" })
    }

    func testServerIgnoringOffsetIsABadResponseNotALoop() async throws {
        let page = (0..<10).map { #"{"sample_id": "s\#($0)"}"# }.joined(separator: ",")
        let transport = FakeTransport(responses: [response(200, #"{"count": 1000, "results": [\#(page)], "has_more": true}"#)])
        let client = ModelArtsClient(gateway: makeGateway(.modelarts, transport: transport))
        let paginator = try client.eachResult(.init(taskID: "t", versionID: "v", limit: 10))
        var seen = 0
        let error = await assertServiceError {
            while try await paginator.next() != nil { seen += 1 }
        }
        XCTAssertEqual(error?.kind, .badResponse)
        XCTAssertEqual(seen, 10)
        XCTAssertEqual(transport.count, 2)
        let after = try await paginator.next()
        XCTAssertNil(after)
    }

    func testNextPageYieldsPages() async throws {
        let transport = server(total: 12, reportedCount: 12, hasMore: .moreRemain)
        let client = ModelArtsClient(gateway: makeGateway(.modelarts, transport: transport))
        let paginator = try client.eachResult(.init(taskID: "t", versionID: "v", limit: 5))
        var sizes: [Int] = []
        while let page = try await paginator.nextPage() { sizes.append(page.count) }
        XCTAssertEqual(sizes, [5, 5, 2])
        let reported = await paginator.reportedCount
        XCTAssertEqual(reported, 12)
    }

    func testInvalidLimitRefusedBeforeAnyRequest() throws {
        let transport = server(total: 1, reportedCount: 1, hasMore: .moreRemain)
        let client = ModelArtsClient(gateway: makeGateway(.modelarts, transport: transport))
        XCTAssertThrowsError(try client.eachResult(.init(taskID: "t", versionID: "v", limit: 500))) { error in
            XCTAssertEqual((error as? ServiceError)?.kind, .invalidArgument)
            XCTAssertTrue((error as? ServiceError)?.message.contains("api.modelarts.each_result") == true)
        }
        XCTAssertEqual(transport.count, 0)
    }
}
