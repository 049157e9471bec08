import Emulator
import Foundation
import NIOHTTP1

/// One emulator for one test: a manual clock, the demo credentials, and request helpers.
struct EmulatorHarness {
    let emulator: RunningEmulator
    let clock: ManualEmulatorClock

    var base: String { emulator.baseURL }
    var host: String { "127.0.0.1:\(emulator.port)" }

    static let demoSigner = TestSigner(accessKey: DemoCredentials.accessKey, secretKey: DemoCredentials.secretKey)
    static let project = DemoCredentials.projectID

    /// Starts an emulator, runs `body`, and shuts it down whatever happens.
    static func with<T>(
        scenario: Scenario? = nil,
        seed: UInt64 = 0,
        speed: Double = 1,
        _ body: (EmulatorHarness) async throws -> T
    ) async throws -> T {
        let clock = ManualEmulatorClock()
        let emulator = try await Emulator.start(EmulatorOptions(port: 0, speed: speed, seed: seed, scenario: scenario, clock: clock))
        let harness = EmulatorHarness(emulator: emulator, clock: clock)
        do {
            let result = try await body(harness)
            await emulator.shutdown()
            return result
        } catch {
            await emulator.shutdown()
            throw error
        }
    }

    /// A signed GET to a Huawei route. `path` and `query` are unencoded; `tamper` edits the
    /// signed headers before sending.
    func signedGET(
        _ path: String,
        query: [(String, String)] = [],
        signer: TestSigner = demoSigner,
        project: String? = EmulatorHarness.project,
        extraHeaders: [String: String] = [:],
        date: Double? = nil,
        tamper: (inout [String: String]) -> Void = { _ in }
    ) async throws -> TestResponse {
        var headers = ["Host": host, "Content-Type": "application/json"].merging(extraHeaders) { $1 }
        if let project { headers["X-Project-Id"] = project }
        var signed = signer.sign(method: "GET", path: path, query: query, headers: headers, date: TestSigner.date(date ?? clock.now()))
        tamper(&signed)
        signed["Host"] = nil  // the client sets Host from the URL
        return try await TestHTTP.send(.GET, url(path, query), headers: signed)
    }

    /// A signed POST to a Huawei route, the signature covering `body`; `sent` replaces the body
    /// after signing (a tampered request).
    func signedPOST(
        _ path: String,
        body: [UInt8],
        contentType: String,
        project: String? = EmulatorHarness.project,
        sent: [UInt8]? = nil
    ) async throws -> TestResponse {
        var headers = ["Host": host, "Content-Type": contentType]
        if let project { headers["X-Project-Id"] = project }
        var signed = Self.demoSigner.sign(method: "POST", path: path, query: [], headers: headers, body: Data(body), date: TestSigner.date(clock.now()))
        signed["Host"] = nil  // the client sets Host from the URL
        return try await TestHTTP.send(.POST, url(path), headers: signed, body: sent ?? body)
    }

    func url(_ path: String, _ query: [(String, String)] = []) -> String {
        let encodedPath = path.split(separator: "/", omittingEmptySubsequences: false).map { TestSigner.encode(String($0)) }.joined(separator: "/")
        guard !query.isEmpty else { return base + encodedPath }
        return base + encodedPath + "?" + query.map { "\(TestSigner.encode($0.0))=\(TestSigner.encode($0.1))" }.joined(separator: "&")
    }

    func metaStudioPath(_ jobID: String, project: String = EmulatorHarness.project) -> String {
        "/v1/\(project)/digital-human/stylized/picture-modelings/\(jobID)"
    }

    func metaStudioCreatePath(project: String = EmulatorHarness.project) -> String {
        "/v1/\(project)/digital-human/stylized/picture-modelings"
    }

    func modelArtsPath(task: String, version: String, project: String = EmulatorHarness.project) -> String {
        "/v2/\(project)/processor-tasks/\(task)/versions/\(version)/results"
    }

    func faceEdgePath(_ taskID: String, service: String = "c-face-edge", project: String = EmulatorHarness.project) -> String {
        "/v2/\(project)/services/\(service)/tasks/\(taskID)"
    }

    /// A try-on query as the seed sends it: a JSON string body without Content-Type.
    func tryOn(_ infID: Int64, openID: String = DemoCredentials.tryOnOpenID, apiKey: String = DemoCredentials.tryOnAPIKey) async throws -> TestResponse {
        let body = "{\"openId\": \"\(openID)\", \"apiKey\": \"\(apiKey)\", \"infId\": \(infID)}"
        return try await TestHTTP.send(.POST, base + "/tryon/api/inf/get_result", body: Array(body.utf8))
    }

    /// An IAM token for the demo user.
    func demoToken() async throws -> String {
        let body = """
            {"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"mw-demo","password":"mw-demo-password","domain":{"name":"mw-demo"}}}},"scope":{"project":{"id":"mw-demo-project"}}}}
            """
        let response = try await TestHTTP.send(.POST, base + "/v3/auth/tokens", headers: ["Content-Type": "application/json"], body: Array(body.utf8))
        guard response.status == 201, let token = response.header("X-Subject-Token") else {
            throw HarnessError("IAM answered \(response.status): \(response.text)")
        }
        return token
    }

    func admin(_ method: HTTPMethodName, _ path: String, json: String? = nil) async throws -> TestResponse {
        try await TestHTTP.send(method.nio, base + "/_emulator/" + path, headers: json == nil ? [:] : ["Content-Type": "application/json"], body: json.map { Array($0.utf8) })
    }
}

enum HTTPMethodName {
    case GET, POST, DELETE

    var nio: NIOHTTP1.HTTPMethod {
        switch self {
        case .GET: .GET
        case .POST: .POST
        case .DELETE: .DELETE
        }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
