/// The ready `moonwatch.toml` (the keys of docs/contract.md §3) that points every service at one emulator,
/// served at `GET /_emulator/config` and printed by `moonwatch emulator` at startup.
enum ConfigTOML {
    static func make(baseURL: String, firewall: TryOnFirewall, seed: UInt64, speed: Double) -> String {
        """
        # moonwatch.toml for the moonwatch emulator at \(baseURL) (seed \(seed), speed \(speed)).
        # The emulator accepts these demo credentials without any setup:
        #   export TRYON_OPEN_ID=\(DemoCredentials.tryOnOpenID) TRYON_API_KEY=\(DemoCredentials.tryOnAPIKey)
        #   export CLOUD_SDK_AK=\(DemoCredentials.accessKey) CLOUD_SDK_SK=\(DemoCredentials.secretKey)
        # Routes on this one port: try-on API under /tryon, try-on files under /oss/,
        # signed object storage under /obs/, IAM at /v3/auth/tokens, the Huawei services at
        # their documented paths, the admin API under /_emulator/.

        out = "out"
        concurrency = 64

        [tryon]
        api_url = "\(baseURL)/tryon"
        oss_url = "\(baseURL)/oss/"
        open_id_env = "TRYON_OPEN_ID"
        api_key_env = "TRYON_API_KEY"
        # The emulator's firewall blocks a client above \(firewall.maxRequests) queries per \(format(firewall.windowSeconds)) s.
        rate = "\(safeRate(firewall))"
        max_coins = 50.0

        [huaweicloud]
        region = "\(DemoCredentials.region)"
        project_id = "\(DemoCredentials.projectID)"
        ak_env = "CLOUD_SDK_AK"
        sk_env = "CLOUD_SDK_SK"
        # To authenticate with an IAM token from this emulator instead of AK/SK, replace the
        # two lines above with:
        # [huaweicloud.iam]
        # endpoint = "\(baseURL)"
        # user = "\(DemoCredentials.iamUser)"
        # domain = "\(DemoCredentials.iamDomain)"
        # password_env = "HUAWEICLOUD_IAM_PASSWORD"   # export HUAWEICLOUD_IAM_PASSWORD=\(DemoCredentials.iamPassword)

        [metastudio]
        endpoint = "\(baseURL)"
        app_user_id = "mw-demo-user"

        [modelarts]
        endpoint = "\(baseURL)"

        [faceedge]
        endpoint = "\(baseURL)"

        """
    }

    /// Half the firewall's threshold, per minute, so that the default config never gets blocked.
    static func safeRate(_ firewall: TryOnFirewall) -> String {
        let perMinute = Double(firewall.maxRequests) * 60 / firewall.windowSeconds / 2
        if perMinute >= 1 { return "\(Int(perMinute))/min" }
        return "\((perMinute * 1000).rounded(.down) / 1000)/min"
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
