import Foundation
import Hummingbird
import JSON

/// `POST /v3/auth/tokens`: password method, project scope (by id, or by name = region).
/// Answers 201 with the token in `X-Subject-Token` and `token.expires_at` in the body.
struct IAMRoute: Sendable {
    let state: EmulatorState

    private struct AuthRequest: Decodable {
        struct Auth: Decodable {
            let identity: Identity
            let scope: Scope?
        }
        struct Identity: Decodable {
            let methods: [String]
            let password: Password?
        }
        struct Password: Decodable { let user: User }
        struct User: Decodable {
            let name: String
            let password: String
            let domain: Named
        }
        struct Named: Decodable {
            let id: String?
            let name: String?
        }
        struct Scope: Decodable { let project: Named? }

        let auth: Auth
    }

    func handle(_ req: ServiceRequest) async throws -> Reply {
        let body = try await req.request.body.collect(upTo: 64 * 1024)
        guard let parsed = try? JSONDecoder().decode(AuthRequest.self, from: Data(body.readableBytesView)) else {
            return .iamError(.badRequest, "The request body is invalid.")
        }
        guard parsed.auth.identity.methods.contains("password"), let credentials = parsed.auth.identity.password?.user else {
            return .iamError(.badRequest, "Only the password method is supported here.")
        }
        let domain = credentials.domain.name ?? credentials.domain.id ?? ""
        let scenario = state.scenario
        guard let user = scenario.iamUsers["\(domain)/\(credentials.name)"], user.password == credentials.password else {
            return .iamError(.unauthorized, "The username or password is wrong.")
        }
        guard let project = parsed.auth.scope?.project else {
            return .iamError(.badRequest, "A project scope is required.")
        }
        let projectMatches = project.id.map { $0 == user.projectID } ?? (project.name == DemoCredentials.region)
        guard projectMatches else {
            return .iamError(.unauthorized, "The user has no access to the requested project.")
        }
        let issued = req.now
        let expires = issued + scenario.scenario.iam.tokenLifetimeSeconds
        let token = "MII" + Base64.encode(Array((req.requestID + Hex.encode(StableHash.of("token", req.requestID, seed: state.seed))).utf8))
        state.tokens.issue(token, .init(user: user.name, projectID: user.projectID, expiresAt: expires))
        state.counters.recordTokenIssued()
        let domainID = Hex.encode(StableHash.of("domain", user.domain, seed: 0)) + Hex.encode(StableHash.of("domain2", user.domain, seed: 0))
        let userID = Hex.encode(StableHash.of("user", user.name, seed: 0)) + Hex.encode(StableHash.of("user2", user.name, seed: 0))
        let domainJSON = "{\"id\":\"\(domainID)\",\"name\":\(JSONValue.quoted(user.domain))}"
        var reply = Reply.json(.created, """
            {"token":{"expires_at":"\(RFC3339.micros(expires))","issued_at":"\(RFC3339.micros(issued))","methods":["password"],\
            "catalog":[],"project":{"domain":\(domainJSON),"id":\(JSONValue.quoted(user.projectID)),\
            "name":"\(DemoCredentials.region)"},"roles":[{"id":"0","name":"te_admin"}],\
            "user":{"domain":\(domainJSON),"id":"\(userID)","name":\(JSONValue.quoted(user.name)),"password_expires_at":""}}}
            """)
        reply.headers[.subjectToken] = token
        return reply
    }
}
