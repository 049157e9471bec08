/// One configuration key: its dotted path and the type of its value.
struct ConfigKey: Sendable {
    enum ValueType: Sendable {
        /// Any non-empty string.
        case string
        /// An absolute http(s) URL.
        case url
        /// The name of an environment variable.
        case environmentName
        /// Printable ASCII (X-App-UserId).
        case ascii
        /// An integer >= 1.
        case positiveInteger
        /// A number >= 0 (integer or float).
        case coins
        /// `N/unit`.
        case rate
        /// `postgres://USER@HOST[:PORT]/DB`, with no password in it.
        case journalURL
        /// Host names or `*.domain` patterns (an array; comma-separated in the environment and flags).
        case hostPatterns

        var expected: String {
            switch self {
            case .string: "a string"
            case .url: "an http(s) URL string"
            case .environmentName: "an environment variable name (letters, digits, '_')"
            case .ascii: "a printable ASCII string"
            case .positiveInteger: "an integer >= 1"
            case .coins: "a number >= 0"
            case .rate: "a rate string such as \"10/min\" (N/s, N/min or N/hour)"
            case .journalURL: "a postgres://USER@HOST[:PORT]/DB URL without a password (name its variable in journal.password_env)"
            case .hostPatterns: "an array of host names such as \"hooks.slack.com\" or \"*.example.com\""
            }
        }
    }

    let path: String
    let type: ValueType

    /// Every key moonwatch.toml may set.
    static let all: [ConfigKey] = [
        .init(path: "out", type: .string),
        .init(path: "concurrency", type: .positiveInteger),
        .init(path: "tryon.api_url", type: .url),
        .init(path: "tryon.oss_url", type: .url),
        .init(path: "tryon.open_id_env", type: .environmentName),
        .init(path: "tryon.api_key_env", type: .environmentName),
        .init(path: "tryon.rate", type: .rate),
        .init(path: "tryon.max_coins", type: .coins),
        .init(path: "huaweicloud.region", type: .string),
        .init(path: "huaweicloud.project_id", type: .string),
        .init(path: "huaweicloud.ak_env", type: .environmentName),
        .init(path: "huaweicloud.sk_env", type: .environmentName),
        .init(path: "huaweicloud.token_env", type: .environmentName),
        .init(path: "huaweicloud.iam.endpoint", type: .url),
        .init(path: "huaweicloud.iam.user", type: .string),
        .init(path: "huaweicloud.iam.domain", type: .string),
        .init(path: "huaweicloud.iam.password_env", type: .environmentName),
        .init(path: "metastudio.endpoint", type: .url),
        .init(path: "metastudio.app_user_id", type: .ascii),
        .init(path: "modelarts.endpoint", type: .url),
        .init(path: "faceedge.endpoint", type: .url),
        .init(path: "journal.url", type: .journalURL),
        .init(path: "journal.password_env", type: .environmentName),
        .init(path: "journal.lease", type: .positiveInteger),
        .init(path: "http.allow", type: .hostPatterns),
    ]

    /// The keys of a `[services.NAME]` table: a Huawei Cloud service for `api.huaweicloud.request`.
    static let serviceKeys: [(name: String, type: ValueType)] = [("endpoint", .url), ("rate", .rate)]

    /// The key at `path`: one of ``all``, or `services.NAME.endpoint` / `services.NAME.rate`.
    static func named(_ path: String) -> ConfigKey? {
        if let key = all.first(where: { $0.path == path }) { return key }
        let parts = path.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "services", ServiceTable.problem(String(parts[1])) == nil,
            let key = serviceKeys.first(where: { $0.name == parts[2] })
        else { return nil }
        return ConfigKey(path: path, type: key.type)
    }

    /// Tables that may appear as `[headers]` (besides profiles and `[services.NAME]`).
    static let sections: Set<String> = ["tryon", "huaweicloud", "huaweicloud.iam", "metastudio", "modelarts", "faceedge", "journal", "http"]

    /// `MOONWATCH_TRYON_API_URL` for `tryon.api_url`.
    var environmentName: String {
        "MOONWATCH_" + String(path.uppercased().map { $0 == "." ? "_" : $0 })
    }

    /// Prefixes of the environment variables that must match a key.
    static let environmentSectionPrefixes = [
        "MOONWATCH_TRYON_", "MOONWATCH_HUAWEICLOUD_", "MOONWATCH_METASTUDIO_", "MOONWATCH_MODELARTS_",
        "MOONWATCH_FACEEDGE_", "MOONWATCH_JOURNAL_", "MOONWATCH_HTTP_", "MOONWATCH_SERVICES_",
    ]

    /// The key a `MOONWATCH_SERVICES_NAME_ENDPOINT` (or `_RATE`) variable sets: NAME in lower case.
    static func serviceKey(environmentName name: String) -> ConfigKey? {
        let prefix = "MOONWATCH_SERVICES_"
        guard name.hasPrefix(prefix) else { return nil }
        let rest = name.dropFirst(prefix.count)
        for key in serviceKeys {
            let suffix = "_" + key.name.uppercased()
            guard rest.hasSuffix(suffix), rest.count > suffix.count else { continue }
            return named("services.\(rest.dropLast(suffix.count).lowercased()).\(key.name)")
        }
        return nil
    }

    /// The closest known key, for "did you mean" hints.
    static func suggestion(for path: String) -> String? {
        let candidates = all.map(\.path)
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(Array(path.utf8), Array(candidate.utf8))
            if distance <= max(2, path.count / 4), best == nil || distance < best!.1 { best = (candidate, distance) }
        }
        return best?.0
    }

    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = Swift.min(
                    previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
