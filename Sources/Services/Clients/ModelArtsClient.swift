import Transport

/// Huawei Cloud ModelArts data-processing task version results:
/// `GET /v2/{project_id}/processor-tasks/{task_id}/versions/{version_id}/results`.
package struct ModelArtsClient: Sendable {
    /// The arguments of one page query.
    package struct ResultsQuery: Sendable, Equatable {
        package var taskID: String
        package var versionID: String
        /// Records per page, 1...100 (the service defaults to 10).
        package var limit: Int?
        /// The page index (the docs' "start page"), from 0.
        package var offset: Int?
        /// -1 all, 0 kept, 1 modified, 2 deleted, 3 added.
        package var resultProperty: Int?
        /// OBS image processing, e.g. `image/resize,m_lfit,h_200`.
        package var processParameter: String?

        package init(
            taskID: String, versionID: String, limit: Int? = nil, offset: Int? = nil,
            resultProperty: Int? = nil, processParameter: String? = nil
        ) {
            self.taskID = taskID
            self.versionID = versionID
            self.limit = limit
            self.offset = offset
            self.resultProperty = resultProperty
            self.processParameter = processParameter
        }

        func validate(function: String) throws(ServiceError) {
            try Validation.pathSegment(taskID, argument: "task_id", function: function)
            try Validation.pathSegment(versionID, argument: "version_id", function: function)
            if let limit, !(1...100).contains(limit) {
                throw Validation.invalid(function, "limit", "must be between 1 and 100 (got \(limit))")
            }
            if let offset, offset < 0 {
                throw Validation.invalid(function, "offset", "must be a page index >= 0 (got \(offset))")
            }
            if let resultProperty, !(-1...3).contains(resultProperty) {
                throw Validation.invalid(
                    function, "result_property",
                    "must be -1 (all), 0 (kept), 1 (modified), 2 (deleted) or 3 (added) (got \(resultProperty))")
            }
        }

        var queryItems: [ServiceURL.QueryItem] {
            var items: [ServiceURL.QueryItem] = []
            if let limit { items.append(.init("limit", String(limit))) }
            if let offset { items.append(.init("offset", String(offset))) }
            if let resultProperty { items.append(.init("result_property", String(resultProperty))) }
            if let processParameter { items.append(.init("process_parameter", processParameter)) }
            return items
        }
    }

    package var gateway: HuaweiGateway

    package init(gateway: HuaweiGateway) { self.gateway = gateway }

    /// One page: `count`, `has_more` and `results` as the service sent them.
    /// No status: `status` is nil and `terminal` false.
    package func results(_ query: ResultsQuery) async throws(ServiceError) -> ServiceResult {
        try query.validate(function: "api.modelarts.results")
        let (object, response) = try await gateway.get(
            segments: ["v2", gateway.projectID, "processor-tasks", query.taskID, "versions", query.versionID, "results"],
            query: query.queryItems)
        if let results = object["results"], results.arrayValue == nil, !results.isNull {
            throw ServiceError(
                .badResponse, "ModelArts answered with 'results' that is not an array", service: "modelarts",
                status: response.status, requestID: response.headers["X-Request-Id"])
        }
        return ServiceResult(
            service: .modelarts, fields: object, status: nil,
            requestID: response.headers["X-Request-Id"] ?? object["request_id"]?.scalarText,
            httpStatus: response.status)
    }

    /// Every result of a task version, page after page; see ``ModelArtsPaginator``.
    package func eachResult(_ query: ResultsQuery) throws(ServiceError) -> ModelArtsPaginator {
        try query.validate(function: "api.modelarts.each_result")
        return ModelArtsPaginator(client: self, query: query)
    }
}
