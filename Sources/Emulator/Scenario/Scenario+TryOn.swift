/// The virtual try-on service: accounts, the firewall, jobs.
package struct TryOnSettings: Codable, Sendable, Equatable {
    /// Accounts besides (or overriding) the demo account.
    package var accounts: [TryOnAccount]
    /// Coins charged per `get_result` query (default 0.1).
    package var queryCost: Double
    package var firewall: TryOnFirewall
    /// Pinned jobs; other ids follow ``Scenario/unknownIDs``.
    package var jobs: [TryOnJob]

    package init(accounts: [TryOnAccount] = [], queryCost: Double = 0.1, firewall: TryOnFirewall = .init(), jobs: [TryOnJob] = []) {
        self.accounts = accounts
        self.queryCost = queryCost
        self.firewall = firewall
        self.jobs = jobs
    }

    enum CodingKeys: String, CodingKey { case accounts, queryCost = "query_cost", firewall, jobs }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(
            accounts: try c.decode(.accounts, or: []),
            queryCost: try c.decode(.queryCost, or: 0.1),
            firewall: try c.decode(.firewall, or: .init()),
            jobs: try c.decode(.jobs, or: [])
        )
    }
}

/// A try-on account and its coin balance.
package struct TryOnAccount: Codable, Sendable, Equatable {
    package var openID: String
    package var apiKey: String
    package var coins: Double

    package init(openID: String, apiKey: String, coins: Double) {
        self.openID = openID
        self.apiKey = apiKey
        self.coins = coins
    }

    enum CodingKeys: String, CodingKey { case openID = "open_id", apiKey = "api_key", coins }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(
            openID: try c.decode(String.self, forKey: .openID), apiKey: try c.decode(String.self, forKey: .apiKey),
            coins: try c.decode(Double.self, forKey: .coins))
    }
}

/// The try-on service blocks a client IP that sends more than `max_requests` queries within
/// `window_seconds`, for `block_seconds`, answering 403 with a short HTML page meanwhile.
package struct TryOnFirewall: Codable, Sendable, Equatable {
    /// Default 20.
    package var maxRequests: Int
    /// Default 60.
    package var windowSeconds: Double
    /// Default 300.
    package var blockSeconds: Double

    package init(maxRequests: Int = 20, windowSeconds: Double = 60, blockSeconds: Double = 300) {
        self.maxRequests = maxRequests
        self.windowSeconds = windowSeconds
        self.blockSeconds = blockSeconds
    }

    enum CodingKeys: String, CodingKey {
        case maxRequests = "max_requests", windowSeconds = "window_seconds", blockSeconds = "block_seconds"
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(
            maxRequests: try c.decode(.maxRequests, or: 20),
            windowSeconds: try c.decode(.windowSeconds, or: 60),
            blockSeconds: try c.decode(.blockSeconds, or: 300)
        )
    }
}

/// A try-on job. States: 1 queued (with `position`), 2 succeeded, -1 failed.
package struct TryOnJob: Codable, Sendable, Equatable {
    package var infID: Int64
    package var timeline: [TimelineStep<Int>]
    /// Price of the try-on itself, reported as `cost` (default 5.0).
    package var cost: Double
    /// Reason reported when the job fails.
    package var failure: TryOnFailure?
    /// Result file sizes (default: derived from the id).
    package var files: TryOnFiles?

    package init(infID: Int64, timeline: [TimelineStep<Int>], cost: Double = 5.0, failure: TryOnFailure? = nil, files: TryOnFiles? = nil) {
        self.infID = infID
        self.timeline = timeline
        self.cost = cost
        self.failure = failure
        self.files = files
    }

    enum CodingKeys: String, CodingKey { case infID = "inf_id", timeline, cost, failure, files }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(
            infID: try c.decode(Int64.self, forKey: .infID),
            timeline: try c.decode([TimelineStep<Int>].self, forKey: .timeline),
            cost: try c.decode(.cost, or: 5.0),
            failure: try c.decodeIfPresent(TryOnFailure.self, forKey: .failure),
            files: try c.decodeIfPresent(TryOnFiles.self, forKey: .files)
        )
    }

    static let states: Set<Int> = [1, 2, -1]
}

/// `infInfo` (Chinese) and `infInfoEn` of a failed try-on.
package struct TryOnFailure: Codable, Sendable, Equatable {
    package var info: String
    package var infoEn: String

    package init(info: String, infoEn: String) {
        self.info = info
        self.infoEn = infoEn
    }

    enum CodingKeys: String, CodingKey { case info, infoEn = "info_en" }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(info: try c.decode(String.self, forKey: .info), infoEn: try c.decode(String.self, forKey: .infoEn))
    }
}

/// The two result files of a try-on: `body_url` (pose) and `showUrl`.
package struct TryOnFiles: Codable, Sendable, Equatable {
    package var body: FileSpec
    package var show: FileSpec

    package init(body: FileSpec, show: FileSpec) {
        self.body = body
        self.show = show
    }

    enum CodingKeys: String, CodingKey { case body, show }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(body: try c.decode(FileSpec.self, forKey: .body), show: try c.decode(FileSpec.self, forKey: .show))
    }
}
