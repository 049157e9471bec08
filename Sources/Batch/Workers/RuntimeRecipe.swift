import Runtime
import Services

/// How each worker builds its VM (on its own thread).
struct RuntimeRecipe: Sendable {
    var scriptPath: String
    var options: RuntimeOptions
    var hub: ServiceHub
    var downloader: Downloader
}
