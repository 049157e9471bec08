/// The emulator's object-storage layout (`/obs/{bucket}/{key}`, signed) and the try-on OSS
/// layout (`/oss/{path}`, public).
enum Buckets {
    /// MetaStudio model covers: `covers/{job_id}.png`.
    static let metaStudio = "mw-metastudio"
    /// ModelArts samples: `{task}/data/{version}/{name}` (origin) and
    /// `{task}/output/{version}/Data/{name}` (processed).
    static let modelArts = "mw-modelarts"

    static func coverKey(jobID: String) -> String { "covers/\(jobID).png" }

    static func originKey(task: String, version: String, name: String) -> String { "\(task)/data/\(version)/\(name)" }

    static func outputKey(task: String, version: String, name: String) -> String { "\(task)/output/\(version)/Data/\(name)" }

    /// Try-on results relative to OssUrl: `result/{infId}/body.png` and `result/{infId}/show.jpg`.
    static func tryOnBodyPath(infID: Int64) -> String { "result/\(infID)/body.png" }

    static func tryOnShowPath(infID: Int64) -> String { "result/\(infID)/show.jpg" }
}
