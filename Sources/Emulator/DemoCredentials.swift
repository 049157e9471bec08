/// The credentials the emulator accepts without any setup (docs/contract.md §5). The generated
/// moonwatch.toml names the environment variables that should hold them.
public struct DemoCredentials: Sendable {
    public static let accessKey = "MWDEMOAK"
    public static let secretKey = "mw-demo-secret"
    public static let projectID = "mw-demo-project"
    public static let iamUser = "mw-demo"
    public static let iamDomain = "mw-demo"
    public static let iamPassword = "mw-demo-password"
    public static let tryOnOpenID = "mw-demo-open-id"
    public static let tryOnAPIKey = "mw-demo-api-key"
    /// Large enough for long dry runs: 100,000 queries at 0.1 coins.
    public static let tryOnCoins = 10_000.0
    public static let region = "cn-east-3"
}
