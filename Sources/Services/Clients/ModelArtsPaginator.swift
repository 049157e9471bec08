import JSON
import RunConfiguration
import Transport

/// Pages through every result of a ModelArts task version.
///
/// `has_more` is never read: the docs describe it ambiguously and the example
/// contradicts its name. The paginator stops on
/// - an empty page, or
/// - a short page (fewer than `limit` results) once the results seen reach `count`.
///
/// So a `count` that is too high costs one extra request (the empty page), a
/// `count` that is too low loses nothing (full pages keep it going), and an
/// exact `count` whose last page is full costs one extra request. A server that
/// ignores `offset` (the same page twice) is reported as `bad_response` rather
/// than looping forever. `offset` is a page index, as the docs say.
package actor ModelArtsPaginator {
    package typealias FetchPage = @Sendable (ModelArtsClient.ResultsQuery) async throws -> ServiceResult

    /// Page size used when the query gives none.
    package static let defaultLimit = 100

    private let fetch: FetchPage
    private let query: ModelArtsClient.ResultsQuery
    private let limit: Int
    private var page: Int
    private var buffer: [JSONValue] = []
    private var bufferIndex = 0
    private var finished = false
    private var previousPage: [JSONValue]?
    /// Pages requested so far.
    package private(set) var pagesFetched = 0
    /// Results returned so far.
    package private(set) var resultsSeen = 0
    /// The latest `count` the service reported.
    package private(set) var reportedCount: Int64?

    package init(query: ModelArtsClient.ResultsQuery, fetch: @escaping FetchPage) {
        self.query = query
        self.fetch = fetch
        self.limit = query.limit ?? Self.defaultLimit
        self.page = query.offset ?? 0
    }

    package init(client: ModelArtsClient, query: ModelArtsClient.ResultsQuery) {
        self.init(query: query) { query in try await client.results(query) }
    }

    /// The next result, or nil when every page has been read.
    package func next() async throws(ServiceError) -> JSONValue? {
        while bufferIndex >= buffer.count {
            guard let page = try await nextPage() else { return nil }
            buffer = page
            bufferIndex = 0
        }
        defer { bufferIndex += 1 }
        return buffer[bufferIndex]
    }

    /// The next non-empty page of results, or nil when there are no more.
    package func nextPage() async throws(ServiceError) -> [JSONValue]? {
        guard !finished else { return nil }
        var pageQuery = query
        pageQuery.limit = limit
        pageQuery.offset = page
        let answer: ServiceResult
        do {
            answer = try await fetch(pageQuery)
        } catch {
            throw ServiceError.wrap(error, service: ServiceName.modelarts.rawValue)
        }
        pagesFetched += 1
        let results = answer.fields["results"]?.arrayValue ?? []
        if results.isEmpty {
            finished = true
            return nil
        }
        if let previousPage, previousPage == results {
            finished = true
            throw ServiceError(
                .badResponse,
                "ModelArts returned the same results for pages \(page - 1) and \(page): the service seems to ignore "
                    + "'offset' (a page index)",
                service: ServiceName.modelarts.rawValue, status: answer.httpStatus, requestID: answer.requestID)
        }
        previousPage = results
        resultsSeen += results.count
        reportedCount = answer.fields["count"]?.int64Value
        if results.count < limit, let count = reportedCount, Int64(resultsSeen) >= count {
            finished = true
        }
        page += 1
        return results
    }

    /// Reads every remaining result.
    package func collectAll() async throws(ServiceError) -> [JSONValue] {
        var all: [JSONValue] = []
        while let result = try await next() { all.append(result) }
        return all
    }
}
