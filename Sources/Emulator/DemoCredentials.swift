/// The credentials the emulator accepts without any setup (docs/contract.md §5). The generated
/// moonwatch.toml names the environment variables that should hold them.
package struct DemoCredentials: Sendable {
    package static let accessKey = "MWDEMOAK"
    package static let secretKey = "mw-demo-secret"
    package static let projectID = "mw-demo-project"
    package static let iamUser = "mw-demo"
    package static let iamDomain = "mw-demo"
    package static let iamPassword = "mw-demo-password"
    package static let tryOnOpenID = "mw-demo-open-id"
    package static let tryOnAPIKey = "mw-demo-api-key"
    /// Large enough for long dry runs: 100,000 queries at 0.1 coins.
    package static let tryOnCoins = 10_000.0
    package static let region = "cn-east-3"
}
