import Foundation
import RunConfiguration
import Services

/// Which services a script uses, read from its text before it runs, so that
/// their missing configuration and credentials are reported up front (exit 2,
/// before any request) rather than at the first call.
///
/// A mention of `api.tryon`, `api.metastudio`, `api.modelarts` or
/// `api.faceedge` counts (a mention in a comment too: checking one service too
/// many is harmless). Services reached only through `require`d modules or
/// computed names, and those of `api.huaweicloud.request` (named by a value, not
/// a field), are checked at their first call instead (a `config` error).
enum ScriptServices {
    static func used(inScriptAt path: String) -> [ServiceName] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return used(in: String(decoding: data, as: UTF8.self))
    }

    static func used(in source: String) -> [ServiceName] {
        [ServiceName.tryon, .metastudio, .modelarts, .faceedge].filter { service in
            source.contains("api.\(service.rawValue)") || source.contains("api[\"\(service.rawValue)\"]")
        }
    }
}
