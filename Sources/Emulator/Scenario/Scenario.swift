/// The world the emulator serves, loaded from JSON (`--scenario FILE`, `POST /_emulator/scenario`)
/// or the built-in default. Every key is optional; a missing key takes the default shown in
/// each property's documentation. Keys are snake_case.
///
/// ```json
/// {
///   "unknown_ids": "derive",
///   "credentials": [{"access_key": "AK1", "secret_key": "SK1", "project_id": "p1"}],
///   "iam": {"token_lifetime_seconds": 86400, "users": [{"name": "u", "password": "pw", "domain": "d", "project_id": "p1"}]},
///   "tryon": {"query_cost": 0.1, "accounts": [...], "firewall": {...}, "jobs": [...]},
///   "metastudio": {"jobs": [...], "create_timeline": [{"state": "WAITING", "polls": 1}, {"state": "SUCCEED"}]},
///   "modelarts": {"has_more": "all_returned", "tasks": [...]},
///   "faceedge": {"tasks": [...]},
///   "object_storage": {"url_lifetime_seconds": 3600},
///   "faults": [{"route": "metastudio.job", "kind": "error", "status": 503, "requests": [3]}]
/// }
/// ```
package struct Scenario: Codable, Sendable, Equatable {
    /// What an id that the scenario does not pin means: `derive` (default) gives it a timeline
    /// derived from its hash, so any real id list can be dry-run; `not_found` answers 404.
    package var unknownIDs: UnknownIDPolicy
    /// AK/SK pairs accepted besides the demo pair.
    package var credentials: [AccessKeyPair]
    package var iam: IAMSettings
    package var tryon: TryOnSettings
    package var metastudio: MetaStudioSettings
    package var modelarts: ModelArtsSettings
    package var faceedge: FaceEdgeSettings
    package var objectStorage: ObjectStorageSettings
    /// Faults installed when the scenario loads.
    package var faults: [FaultRule]

    package init(
        unknownIDs: UnknownIDPolicy = .derive,
        credentials: [AccessKeyPair] = [],
        iam: IAMSettings = .init(),
        tryon: TryOnSettings = .init(),
        metastudio: MetaStudioSettings = .init(),
        modelarts: ModelArtsSettings = .init(),
        faceedge: FaceEdgeSettings = .init(),
        objectStorage: ObjectStorageSettings = .init(),
        faults: [FaultRule] = []
    ) {
        self.unknownIDs = unknownIDs
        self.credentials = credentials
        self.iam = iam
        self.tryon = tryon
        self.metastudio = metastudio
        self.modelarts = modelarts
        self.faceedge = faceedge
        self.objectStorage = objectStorage
        self.faults = faults
    }

    enum CodingKeys: String, CodingKey {
        case unknownIDs = "unknown_ids", credentials, iam, tryon, metastudio, modelarts, faceedge
        case objectStorage = "object_storage", faults
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(
            unknownIDs: try c.decode(.unknownIDs, or: .derive),
            credentials: try c.decode(.credentials, or: []),
            iam: try c.decode(.iam, or: .init()),
            tryon: try c.decode(.tryon, or: .init()),
            metastudio: try c.decode(.metastudio, or: .init()),
            modelarts: try c.decode(.modelarts, or: .init()),
            faceedge: try c.decode(.faceedge, or: .init()),
            objectStorage: try c.decode(.objectStorage, or: .init()),
            faults: try c.decode(.faults, or: [])
        )
    }
}

/// See ``Scenario/unknownIDs``.
package enum UnknownIDPolicy: String, Codable, Sendable {
    case derive
    case notFound = "not_found"
}

/// An AK/SK pair and the project it may act on.
package struct AccessKeyPair: Codable, Sendable, Equatable {
    package var accessKey: String
    package var secretKey: String
    package var projectID: String

    package init(accessKey: String, secretKey: String, projectID: String) {
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.projectID = projectID
    }

    enum CodingKeys: String, CodingKey {
        case accessKey = "access_key", secretKey = "secret_key", projectID = "project_id"
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(
            accessKey: try c.decode(String.self, forKey: .accessKey),
            secretKey: try c.decode(String.self, forKey: .secretKey),
            projectID: try c.decode(.projectID, or: DemoCredentials.projectID)
        )
    }
}

/// Where signed object-storage URLs point and how long they live.
package struct ObjectStorageSettings: Codable, Sendable, Equatable {
    /// Lifetime of the signed URLs that ModelArts and MetaStudio hand out (default 3600).
    package var urlLifetimeSeconds: Double

    package init(urlLifetimeSeconds: Double = 3600) {
        self.urlLifetimeSeconds = urlLifetimeSeconds
    }

    enum CodingKeys: String, CodingKey { case urlLifetimeSeconds = "url_lifetime_seconds" }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(urlLifetimeSeconds: try c.decode(.urlLifetimeSeconds, or: 3600))
    }
}

/// The size of a result file; its content is generated from the seed and the file's path.
package struct FileSpec: Codable, Sendable, Equatable {
    package var size: Int

    package init(size: Int) { self.size = size }

    enum CodingKeys: String, CodingKey { case size }

    package init(from decoder: any Decoder) throws {
        self.init(size: try decoder.strictContainer(keyedBy: CodingKeys.self).decode(Int.self, forKey: .size))
    }
}
