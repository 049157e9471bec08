/// The IAM token endpoint.
package struct IAMSettings: Codable, Sendable, Equatable {
    /// Users besides the demo user.
    package var users: [IAMUser]
    /// Lifetime of issued tokens (default 86400, as IAM's 24 hours); tests shorten it.
    package var tokenLifetimeSeconds: Double

    package init(users: [IAMUser] = [], tokenLifetimeSeconds: Double = 86_400) {
        self.users = users
        self.tokenLifetimeSeconds = tokenLifetimeSeconds
    }

    enum CodingKeys: String, CodingKey { case users, tokenLifetimeSeconds = "token_lifetime_seconds" }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(users: try c.decode(.users, or: []), tokenLifetimeSeconds: try c.decode(.tokenLifetimeSeconds, or: 86_400))
    }
}

/// An IAM user with a password, its account (domain) and the project its tokens are scoped to.
package struct IAMUser: Codable, Sendable, Equatable {
    package var name: String
    package var password: String
    package var domain: String
    package var projectID: String

    package init(name: String, password: String, domain: String, projectID: String) {
        self.name = name
        self.password = password
        self.domain = domain
        self.projectID = projectID
    }

    enum CodingKeys: String, CodingKey { case name, password, domain, projectID = "project_id" }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(
            name: try c.decode(String.self, forKey: .name), password: try c.decode(String.self, forKey: .password),
            domain: try c.decode(String.self, forKey: .domain), projectID: try c.decode(String.self, forKey: .projectID))
    }
}
