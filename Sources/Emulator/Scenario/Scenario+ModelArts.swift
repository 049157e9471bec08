/// ModelArts data-processing results.
package struct ModelArtsSettings: Codable, Sendable, Equatable {
    /// Which meaning `has_more` carries (default `all_returned`, as the seed's example shows it).
    package var hasMore: HasMoreMeaning
    package var tasks: [ModelArtsTask]

    package init(hasMore: HasMoreMeaning = .allReturned, tasks: [ModelArtsTask] = []) {
        self.hasMore = hasMore
        self.tasks = tasks
    }

    enum CodingKeys: String, CodingKey { case hasMore = "has_more", tasks }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(hasMore: try c.decode(.hasMore, or: .allReturned), tasks: try c.decode(.tasks, or: []))
    }
}

/// The seed describes `has_more` as "whether all results are returned" while its example
/// says `true` on a page that holds every result; both readings exist in the wild.
package enum HasMoreMeaning: String, Codable, Sendable {
    /// `true` when pages follow this one.
    case morePages = "more_pages"
    /// `true` when this page completes the results (the seed example's behaviour).
    case allReturned = "all_returned"
}

/// The results of one task version: either explicit `samples` or a `sample_count` of derived ones.
package struct ModelArtsTask: Codable, Sendable, Equatable {
    package var taskID: String
    package var versionID: String
    package var samples: [ModelArtsSample]?
    package var sampleCount: Int?

    package init(taskID: String, versionID: String, samples: [ModelArtsSample]? = nil, sampleCount: Int? = nil) {
        self.taskID = taskID
        self.versionID = versionID
        self.samples = samples
        self.sampleCount = sampleCount
    }

    enum CodingKeys: String, CodingKey {
        case taskID = "task_id", versionID = "version_id", samples, sampleCount = "sample_count"
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(
            taskID: try c.decode(String.self, forKey: .taskID),
            versionID: try c.decode(String.self, forKey: .versionID),
            samples: try c.decodeIfPresent([ModelArtsSample].self, forKey: .samples),
            sampleCount: try c.decodeIfPresent(Int.self, forKey: .sampleCount)
        )
    }
}

/// One sample. `result_property`: 0 kept, 1 modified, 2 deleted, 3 added.
package struct ModelArtsSample: Codable, Sendable, Equatable {
    package var resultProperty: Int
    /// File name under the task's data folder (default `{index}.jpg`).
    package var name: String?
    /// Size of both the origin and the processed file (default: derived).
    package var size: Int?
    /// `result_description` (default: by `result_property`).
    package var description: [[String]]?

    package init(resultProperty: Int, name: String? = nil, size: Int? = nil, description: [[String]]? = nil) {
        self.resultProperty = resultProperty
        self.name = name
        self.size = size
        self.description = description
    }

    enum CodingKeys: String, CodingKey { case resultProperty = "result_property", name, size, description }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(
            resultProperty: try c.decode(Int.self, forKey: .resultProperty), name: try c.decodeIfPresent(String.self, forKey: .name),
            size: try c.decodeIfPresent(Int.self, forKey: .size), description: try c.decodeIfPresent([[String]].self, forKey: .description))
    }
}
