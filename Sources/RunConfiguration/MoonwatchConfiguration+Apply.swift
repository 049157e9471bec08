import JSON
import Transport

extension MoonwatchConfiguration {
    /// Converts `raw` to `key`'s type and stores it; errors name the key and `origin`.
    mutating func apply(_ key: ConfigKey, _ raw: RawValue, origin: String) throws(ServiceError) {
        func bad(_ detail: String) -> ServiceError {
            ServiceError(.config, "\(origin): key '\(key.path)' must be \(key.type.expected), \(detail)")
        }
        func got() -> String {
            switch raw {
            case .toml(.string(let text)), .text(let text): "got \"\(text)\""
            case .toml(let value): "got \(value.typeName)"
            }
        }
        func text() throws(ServiceError) -> String {
            switch raw {
            case .toml(.string(let text)), .text(let text):
                if text.isEmpty { throw bad("got an empty string") }
                return text
            case .toml: throw bad(got())
            }
        }

        switch key.type {
        case .string:
            try assign(key.path, string: text())
        case .url:
            let value = try text()
            let url: ServiceURL
            do { url = try ServiceURL(parsing: value) } catch { throw bad(got()) }
            try assign(key.path, url: url, text: value)
        case .environmentName:
            let value = try text()
            guard Self.isEnvironmentName(value) else { throw bad(got()) }
            try assign(key.path, string: value)
        case .ascii:
            let value = try text()
            guard value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) else { throw bad(got()) }
            try assign(key.path, string: value)
        case .positiveInteger:
            let number: Int64?
            switch raw {
            case .toml(.integer(let value)): number = value
            case .text(let value): number = Int64(value.trimmingSpaces)
            default: number = nil
            }
            guard let number, number >= 1, number <= Int64(Int32.max) else { throw bad(got()) }
            if key.path == "journal.lease" { journal.leaseSeconds = Int(number) } else { concurrency = Int(number) }
        case .coins:
            let number: Double?
            switch raw {
            case .toml(.integer(let value)): number = Double(value)
            case .toml(.float(let value)): number = value
            case .text(let value): number = Double(value.trimmingSpaces)
            default: number = nil
            }
            guard let number, number >= 0, number.isFinite else { throw bad(got()) }
            tryon.maxCoins = number
        case .rate:
            guard let rate = RateLimit(parsing: try text()) else { throw bad(got()) }
            if let name = Self.serviceTableName(key.path) { services[name, default: ServiceTable()].rate = rate } else { tryon.rate = rate }
        case .hostPatterns:
            let entries: [String]
            switch raw {
            case .toml(.array(let values)):
                entries = try values.map { value throws(ServiceError) in
                    guard case .string(let text) = value else { throw bad("got an array holding \(value.typeName)") }
                    return text
                }
            case .text(let value):
                entries = value.split(separator: ",").map { String(String($0).trimmingSpaces) }.filter { !$0.isEmpty }
            case .toml(let value):
                throw bad("got \(value.typeName)")
            }
            var patterns: [HostPattern] = []
            for entry in entries {
                var problem = ""
                guard let pattern = HostPattern(parsing: entry, problem: &problem) else { throw bad(problem) }
                patterns.append(pattern)
            }
            http.allow = patterns
        case .journalURL:
            let value = try text()
            guard value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") else { throw bad(got()) }
            // The file is shared and committed; the password lives in the environment.
            if let scheme = value.range(of: "://"), let at = value[scheme.upperBound...].lastIndex(of: "@"),
               value[scheme.upperBound..<at].contains(":") {
                throw bad("got a URL with a password in it")
            }
            journal.url = value
        }
        origins[key.path] = origin
    }

    private mutating func assign(_ path: String, string value: String) throws(ServiceError) {
        switch path {
        case "out": out = value
        case "tryon.open_id_env": tryon.openIDEnv = value
        case "tryon.api_key_env": tryon.apiKeyEnv = value
        case "huaweicloud.region": huaweicloud.region = value
        case "huaweicloud.project_id": huaweicloud.projectID = value
        case "huaweicloud.ak_env": huaweicloud.akEnv = value
        case "huaweicloud.sk_env": huaweicloud.skEnv = value
        case "huaweicloud.token_env": huaweicloud.tokenEnv = value
        case "huaweicloud.iam.user": huaweicloud.iam.user = value
        case "huaweicloud.iam.domain": huaweicloud.iam.domain = value
        case "huaweicloud.iam.password_env": huaweicloud.iam.passwordEnv = value
        case "metastudio.app_user_id": metastudio.appUserID = value
        case "journal.password_env": journal.passwordEnv = value
        default: throw ServiceError(.config, "internal: no string setter for '\(path)'")
        }
    }

    private mutating func assign(_ path: String, url: ServiceURL, text: String) throws(ServiceError) {
        switch path {
        case "tryon.api_url": tryon.apiURL = url
        case "tryon.oss_url": tryon.ossURL = text
        case "huaweicloud.iam.endpoint": huaweicloud.iam.endpoint = url
        case "metastudio.endpoint": metastudio.endpoint = url
        case "modelarts.endpoint": modelarts.endpoint = url
        case "faceedge.endpoint": faceedge.endpoint = url
        default:
            guard let name = Self.serviceTableName(path) else { throw ServiceError(.config, "internal: no URL setter for '\(path)'") }
            services[name, default: ServiceTable()].endpoint = url
        }
    }

    /// NAME for a `services.NAME.KEY` path.
    private static func serviceTableName(_ path: String) -> String? {
        let parts = path.split(separator: ".")
        guard parts.count == 3, parts[0] == "services" else { return nil }
        return String(parts[1])
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`.
    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(first >= 48 && first <= 57) else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == 95
        }
    }
}
