/// The run configuration: `moonwatch.toml`, then the selected profile, then
/// `MOONWATCH_*` environment variables, then command-line flags (each layer
/// overrides the one before, key by key).
///
/// **Keys** (exactly those of docs/contract.md §3; anything else is an error naming the key
/// and its line):
///
/// ```toml
/// out = "out"                     # string
/// concurrency = 64                # integer >= 1
/// [tryon]
/// api_url = "https://..."         # http(s) URL
/// oss_url = "https://..."         # prefix of body_url / showUrl
/// open_id_env = "TRYON_OPEN_ID"   # names of environment variables holding the keys
/// api_key_env = "TRYON_API_KEY"
/// rate = "10/min"                 # N/s, N/min or N/hour (default 10/min)
/// max_coins = 50.0                # number >= 0 (default: no limit)
/// [huaweicloud]
/// region = "cn-east-3"            # endpoints default to https://SERVICE.REGION.myhuaweicloud.com
/// project_id = "..."
/// ak_env = "CLOUD_SDK_AK"         # AK/SK signing (preferred)
/// sk_env = "CLOUD_SDK_SK"
/// token_env = "HUAWEICLOUD_AUTH_TOKEN"   # or a ready IAM token
/// [huaweicloud.iam]               # or a token fetched from IAM
/// endpoint = "https://iam.cn-east-3.myhuaweicloud.com"
/// user = "..."
/// domain = "..."
/// password_env = "HUAWEICLOUD_PASSWORD"
/// [metastudio]
/// endpoint = "https://metastudio.cn-east-3.myhuaweicloud.com"
/// app_user_id = "..."             # optional X-App-UserId, printable ASCII
/// [modelarts]
/// endpoint = "..."
/// [faceedge]
/// endpoint = "..."
/// ```
///
/// **Profiles**: `[profiles.NAME]` holds any top-level key and
/// `[profiles.NAME.SECTION]` (e.g. `[profiles.staging.tryon]`,
/// `[profiles.staging.huaweicloud.iam]`) any key of that section. Selecting a
/// profile (`--profile NAME`, or `MOONWATCH_PROFILE`) overrides the top-level
/// values key by key; unselected profiles are still checked for unknown keys.
/// Selecting a profile the file does not define is an error listing the ones
/// it does.
///
/// **Environment overrides**: every key has a variable `MOONWATCH_` + its
/// dotted path in upper case with `_` for `.`: `MOONWATCH_OUT`,
/// `MOONWATCH_TRYON_API_URL`, `MOONWATCH_HUAWEICLOUD_PROJECT_ID`,
/// `MOONWATCH_HUAWEICLOUD_IAM_ENDPOINT`, ... Values are parsed by the key's
/// type. A `MOONWATCH_TRYON_*`, `MOONWATCH_HUAWEICLOUD_*`,
/// `MOONWATCH_METASTUDIO_*`, `MOONWATCH_MODELARTS_*` or `MOONWATCH_FACEEDGE_*`
/// variable that matches no key is an error (a typo would otherwise be
/// silently ignored); other `MOONWATCH_*` variables belong to the CLI.
///
/// **Flags**: the CLI passes its flags as dotted keys (`out`, `concurrency`,
/// or any key, e.g. `tryon.rate`) with text values, parsed like environment values.
///
/// Secrets are never in the file: it names the environment variables that
/// hold them; ``resolveCredentials(environment:)`` reads them.
public struct MoonwatchConfiguration: Sendable, Equatable {
    public var out = "out"
    public var concurrency = 64
    public var tryon = TryOn()
    public var huaweicloud = HuaweiCloud()
    public var metastudio = MetaStudio()
    public var modelarts = Endpoint()
    public var faceedge = Endpoint()
    /// The profile that was applied, if any.
    public var profile: String?
    /// Where each set key came from (`moonwatch.toml:12`, `MOONWATCH_OUT`, `--out`).
    public var origins: [String: String] = [:]

    public init() {}

    /// `[tryon]`.
    public struct TryOn: Sendable, Equatable {
        public var apiURL: ServiceURL?
        public var ossURL: String?
        public var openIDEnv = "TRYON_OPEN_ID"
        public var apiKeyEnv = "TRYON_API_KEY"
        public var rate = RateLimit(count: 10, per: 60)
        public var maxCoins: Double?
        public init() {}
    }

    /// `[huaweicloud]`, shared by MetaStudio, ModelArts and face edge.
    public struct HuaweiCloud: Sendable, Equatable {
        public var region: String?
        public var projectID: String?
        public var akEnv = "CLOUD_SDK_AK"
        public var skEnv = "CLOUD_SDK_SK"
        public var tokenEnv: String?
        public var iam = IAM()
        public init() {}
    }

    /// `[huaweicloud.iam]`.
    public struct IAM: Sendable, Equatable {
        public var endpoint: ServiceURL?
        public var user: String?
        public var domain: String?
        public var passwordEnv: String?
        public init() {}

        /// Whether any IAM key is set (then all of them are needed).
        public var isConfigured: Bool { endpoint != nil || user != nil || domain != nil || passwordEnv != nil }
    }

    /// `[metastudio]`.
    public struct MetaStudio: Sendable, Equatable {
        public var endpoint: ServiceURL?
        public var appUserID: String?
        public init() {}
    }

    /// `[modelarts]` and `[faceedge]`.
    public struct Endpoint: Sendable, Equatable {
        public var endpoint: ServiceURL?
        public init() {}
    }
}
