/// The emulator's routes, by the names that counters and fault rules use.
package enum EmulatorRoute: String, Codable, Sendable, CaseIterable {
    /// `POST|GET /tryon/api/inf/get_result`
    case tryOnResult = "tryon.result"
    /// `GET|HEAD /oss/{path}`: try-on result files under the OssUrl prefix.
    case tryOnFile = "tryon.file"
    /// `GET /v1/{project_id}/digital-human/stylized/picture-modelings/{job_id}`
    case metaStudioJob = "metastudio.job"
    /// `POST /v1/{project_id}/digital-human/stylized/picture-modelings`
    case metaStudioCreate = "metastudio.create"
    /// `GET /v2/{project_id}/processor-tasks/{task_id}/versions/{version_id}/results`
    case modelArtsResults = "modelarts.results"
    /// `GET /v2/{project_id}/services/{service}/tasks/{task_id}`
    case faceEdgeTask = "faceedge.task"
    /// `POST /v3/auth/tokens`
    case iamTokens = "iam.tokens"
    /// `GET|HEAD /obs/{bucket}/{key}`: signed object-storage URLs.
    case objectStorage = "obs.object"
    /// `/_emulator/echo[/...]`: the request back, for tests of plain HTTP clients.
    case echo = "echo"
    /// `/_emulator/...`
    case admin = "admin"
    /// Anything else (404).
    case unmatched = "unmatched"

    /// Routes that fault rules may target.
    static let faultable: [EmulatorRoute] = [
        .tryOnResult, .tryOnFile, .metaStudioJob, .metaStudioCreate, .modelArtsResults, .faceEdgeTask, .iamTokens, .objectStorage,
        .echo,
    ]

    /// The Huawei service behind the route, for error bodies in that service's style.
    var huaweiService: HuaweiService? {
        switch self {
        case .metaStudioJob, .metaStudioCreate: .metaStudio
        case .modelArtsResults: .modelArts
        case .faceEdgeTask: .faceEdge
        default: nil
        }
    }

    /// Routes behind Huawei Cloud's API gateway (the three services and IAM).
    var behindHuaweiGateway: Bool { huaweiService != nil || self == .iamTokens }

    /// Routes that answer with JSON bodies (where the malformed-JSON fault applies).
    var servesJSON: Bool {
        switch self {
        case .tryOnResult, .metaStudioJob, .metaStudioCreate, .modelArtsResults, .faceEdgeTask, .iamTokens, .echo: true
        default: false
        }
    }

    /// Routes that serve files (where Range applies).
    var servesObjects: Bool { self == .tryOnFile || self == .objectStorage }

    /// Routes whose responses carry signed object-storage URLs, or check them.
    var usesSignedURLs: Bool { self == .metaStudioJob || self == .modelArtsResults || self == .objectStorage }
}

/// The Huawei Cloud services the emulator stands in for (IAM aside).
enum HuaweiService {
    case metaStudio, modelArts, faceEdge
}
