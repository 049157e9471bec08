import Transport

/// The run configuration: `moonwatch.toml`, then the selected profile, then
/// `MOONWATCH_*` environment variables, then command-line flags (each layer
/// overrides the one before, key by key).
///
/// **Keys** (exactly these; anything else is an error naming the key
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
/// [journal]                       # moonwatch batch on PostgreSQL, shared by many machines
/// url = "postgres://USER@HOST:5432/DB"   # no password here: it is read from password_env
/// password_env = "MOONWATCH_PG_PASSWORD" # default PGPASSWORD
/// lease = 60                      # seconds an item stays claimed without its worker's heartbeat
/// [http]                          # http.request from scripts
/// allow = ["hooks.slack.com", "*.example.com"]   # default: any host
/// [services.NAME]                 # another Huawei Cloud service for api.huaweicloud.request
/// endpoint = "https://..."
/// rate = "5/s"                    # optional
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
/// `MOONWATCH_METASTUDIO_*`, `MOONWATCH_MODELARTS_*`, `MOONWATCH_FACEEDGE_*`, `MOONWATCH_JOURNAL_*`,
/// `MOONWATCH_HTTP_*` or `MOONWATCH_SERVICES_*` (`MOONWATCH_SERVICES_NAME_ENDPOINT`)
/// variable that matches no key is an error (a typo would otherwise be
/// silently ignored); other `MOONWATCH_*` variables belong to the CLI.
///
/// **Flags**: the CLI passes its flags as dotted keys (`out`, `concurrency`,
/// or any key, e.g. `tryon.rate`) with text values, parsed like environment values.
///
/// Secrets are never in the file: it names the environment variables that
/// hold them; Services reads them (`resolveCredentials(environment:)`).
package struct MoonwatchConfiguration: Sendable, Equatable {
    package var out = "out"
    package var concurrency = 64
    package var tryon = TryOn()
    package var huaweicloud = HuaweiCloud()
    package var metastudio = MetaStudio()
    package var modelarts = Endpoint()
    package var faceedge = Endpoint()
    package var journal = Journal()
    package var http = HTTP()
    /// `[services.NAME]` tables by NAME.
    package var services: [String: ServiceTable] = [:]
    /// The profile that was applied, if any.
    package var profile: String?
    /// Where each set key came from (`moonwatch.toml:12`, `MOONWATCH_OUT`, `--out`).
    package var origins: [String: String] = [:]

    package init() {}

    /// `[journal]`: a batch shared by many machines (docs/journal.md §7).
    package struct Journal: Sendable, Equatable {
        /// The PostgreSQL journal `moonwatch batch` uses when `--state` names none.
        package var url: String?
        /// The variable holding the password (else PGPASSWORD).
        package var passwordEnv: String?
        /// How long a claimed item stays claimed without its worker's heartbeat.
        package var leaseSeconds = 60

        /// The password for a PostgreSQL journal, from the environment.
        package func password(environment: [String: String]) -> String? {
            environment[passwordEnv ?? "PGPASSWORD"]
        }
    }

    /// `[http]`: what `http.request` may reach.
    package struct HTTP: Sendable, Equatable {
        /// Hosts plain requests may go to, besides the configured services' own;
        /// nil: any host.
        package var allow: [HostPattern]?
        package init() {}
    }

    /// `[tryon]`.
    package struct TryOn: Sendable, Equatable {
        package var apiURL: ServiceURL?
        package var ossURL: String?
        package var openIDEnv = "TRYON_OPEN_ID"
        package var apiKeyEnv = "TRYON_API_KEY"
        package var rate = RateLimit(count: 10, per: 60)
        package var maxCoins: Double?
        package init() {}
    }

    /// `[huaweicloud]`, shared by MetaStudio, ModelArts and face edge.
    package struct HuaweiCloud: Sendable, Equatable {
        package var region: String?
        package var projectID: String?
        package var akEnv = "CLOUD_SDK_AK"
        package var skEnv = "CLOUD_SDK_SK"
        package var tokenEnv: String?
        package var iam = IAM()
        package init() {}
    }

    /// `[huaweicloud.iam]`.
    package struct IAM: Sendable, Equatable {
        package var endpoint: ServiceURL?
        package var user: String?
        package var domain: String?
        package var passwordEnv: String?
        package init() {}

        /// Whether any IAM key is set (then all of them are needed).
        package var isConfigured: Bool { endpoint != nil || user != nil || domain != nil || passwordEnv != nil }
    }

    /// `[metastudio]`.
    package struct MetaStudio: Sendable, Equatable {
        package var endpoint: ServiceURL?
        package var appUserID: String?
        package init() {}
    }

    /// `[modelarts]` and `[faceedge]`.
    package struct Endpoint: Sendable, Equatable {
        package var endpoint: ServiceURL?
        package init() {}
    }
}
