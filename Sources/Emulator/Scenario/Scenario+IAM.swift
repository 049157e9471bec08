/// The IAM token endpoint.
public struct IAMSettings: Codable, Sendable, Equatable {
    /// Users besides the demo user.
    public var users: [IAMUser]
    /// Lifetime of issued tokens (default 86400, as IAM's 24 hours); tests shorten it.
    public var tokenLifetimeSeconds: Double

    public init(users: [IAMUser] = [], tokenLifetimeSeconds: Double = 86_400) {
        self.users = users
        self.tokenLifetimeSeconds = tokenLifetimeSeconds
    }

    enum CodingKeys: String, CodingKey { case users, tokenLifetimeSeconds = "token_lifetime_seconds" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(users: try c.decode(.users, or: []), tokenLifetimeSeconds: try c.decode(.tokenLifetimeSeconds, or: 86_400))
    }
}

/// An IAM user with a password, its account (domain) and the project its tokens are scoped to.
public struct IAMUser: Codable, Sendable, Equatable {
    public var name: String
    public var password: String
    public var domain: String
    public var projectID: String

    public init(name: String, password: String, domain: String, projectID: String) {
        self.name = name
        self.password = password
        self.domain = domain
        self.projectID = projectID
    }

    enum CodingKeys: String, CodingKey { case name, password, domain, projectID = "project_id" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(
            name: try c.decode(String.self, forKey: .name), password: try c.decode(String.self, forKey: .password),
            domain: try c.decode(String.self, forKey: .domain), projectID: try c.decode(String.self, forKey: .projectID))
    }
}
