import Transport

/// The outcome of reading every credential the configuration names.
package struct ResolvedCredentials: Sendable, CustomStringConvertible {
    package var tryon: Result<TryOnClient.Keys, ServiceError>
    package var huawei: Result<HuaweiCredentials, ServiceError>
    /// Every secret value found, whether or not it is used.
    package var secrets: [String]

    package var description: String {
        "ResolvedCredentials(tryon: \((try? tryon.get()) == nil ? "missing" : "***"), huawei: \((try? huawei.get())?.description ?? "missing"))"
    }
}

extension TryOnClient.Keys: CustomStringConvertible {
    package var description: String { "TryOnClient.Keys(***)" }
}
