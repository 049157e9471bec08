/// A service moonwatch talks to: the built-in ones, `http` (plain requests
/// from scripts) and the Huawei Cloud services a configuration adds under
/// `[services.NAME]` (docs/contract.md §3). A name, not a closed set, so a
/// configured service gets its own counters, rate limiter and error tables.
package struct ServiceName: RawRepresentable, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    package let rawValue: String

    package init(rawValue: String) { self.rawValue = rawValue }

    package static let tryon = ServiceName(rawValue: "tryon")
    package static let metastudio = ServiceName(rawValue: "metastudio")
    package static let modelarts = ServiceName(rawValue: "modelarts")
    package static let faceedge = ServiceName(rawValue: "faceedge")
    package static let iam = ServiceName(rawValue: "iam")
    /// `http.request`: plain HTTP(S) from scripts, with no credentials.
    package static let http = ServiceName(rawValue: "http")

    /// The services with a client of their own (and a section of moonwatch.toml).
    package static let allCases: [ServiceName] = [.tryon, .metastudio, .modelarts, .faceedge, .iam]

    package var description: String { rawValue }
}
