import Transport

/// `[services.NAME]`: a Huawei Cloud service `api.huaweicloud.request{service = "NAME"}`
/// may call, signed like the built-in ones.
package struct ServiceTable: Sendable, Equatable {
    package var endpoint: ServiceURL?
    /// Requests to this service are spread to at most this rate (default: no limit).
    package var rate: RateLimit?

    package init(endpoint: ServiceURL? = nil, rate: RateLimit? = nil) {
        self.endpoint = endpoint
        self.rate = rate
    }

    /// Nil when `name` may name a `[services.NAME]` table, else why not: lower-case
    /// letters, digits, `-` and `_`, starting with a letter, and not a built-in service
    /// (those have their own sections).
    package static func problem(_ name: String) -> String? {
        guard let first = name.utf8.first, first >= 0x61, first <= 0x7A,
            name.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F })
        else {
            return "service name '\(name)' must be lower-case letters, digits, '-' or '_', starting with a letter"
        }
        if ServiceName.allCases.contains(ServiceName(rawValue: name)) || name == ServiceName.http.rawValue {
            return "'\(name)' is a built-in service: set its endpoint in its own section ([\(name == "iam" ? "huaweicloud.iam" : name)] endpoint)"
        }
        return nil
    }
}
