import XCTest

@testable import RunConfiguration
@testable import Transport

final class ConfigurationTests: XCTestCase {
    static let full = """
        out = "results"
        concurrency = 16

        [tryon]
        api_url = "https://tryon.example.test/v"
        oss_url = "https://oss.example.test/"
        open_id_env = "MY_OPEN_ID"
        api_key_env = "MY_API_KEY"
        rate = "6/min"
        max_coins = 50

        [huaweicloud]
        region = "cn-east-3"
        project_id = "proj-1"
        ak_env = "MY_AK"
        sk_env = "MY_SK"
        token_env = "MY_TOKEN"

        [huaweicloud.iam]
        endpoint = "https://iam.example.test"
        user = "alice"
        domain = "corp"
        password_env = "MY_PASSWORD"

        [metastudio]
        endpoint = "https://ms.example.test:8443"
        app_user_id = "user-42"

        [modelarts]
        endpoint = "https://ma.example.test"

        [faceedge]
        endpoint = "https://fe.example.test"

        [profiles.staging]
        out = "staging-out"

        [profiles.staging.tryon]
        api_url = "http://127.0.0.1:9999"
        max_coins = 1.5

        [profiles.staging.huaweicloud.iam]
        user = "bob"
        """

    private func load(
        _ text: String?, profile: String? = nil, environment: [String: String] = [:],
        flags: [(key: String, value: String)] = []
    ) throws -> MoonwatchConfiguration {
        try MoonwatchConfiguration.load(toml: text, profile: profile, environment: environment, flags: flags)
    }

    private func failure(
        _ text: String?, profile: String? = nil, environment: [String: String] = [:], flags: [(key: String, value: String)] = []
    ) -> String? {
        do {
            _ = try load(text, profile: profile, environment: environment, flags: flags)
            return nil
        } catch let error as ServiceError {
            XCTAssertEqual(error.kind, .config)
            return error.message
        } catch { return "\(error)" }
    }

    func testEveryKey() throws {
        let config = try load(Self.full)
        XCTAssertEqual(config.out, "results")
        XCTAssertEqual(config.concurrency, 16)
        XCTAssertEqual(config.tryon.apiURL?.description, "https://tryon.example.test/v")
        XCTAssertEqual(config.tryon.ossURL, "https://oss.example.test/")
        XCTAssertEqual(config.tryon.openIDEnv, "MY_OPEN_ID")
        XCTAssertEqual(config.tryon.apiKeyEnv, "MY_API_KEY")
        XCTAssertEqual(config.tryon.rate, RateLimit(count: 6, per: 60))
        XCTAssertEqual(config.tryon.maxCoins, 50)
        XCTAssertEqual(config.huaweicloud.region, "cn-east-3")
        XCTAssertEqual(config.huaweicloud.projectID, "proj-1")
        XCTAssertEqual(config.huaweicloud.akEnv, "MY_AK")
        XCTAssertEqual(config.huaweicloud.skEnv, "MY_SK")
        XCTAssertEqual(config.huaweicloud.tokenEnv, "MY_TOKEN")
        XCTAssertEqual(config.huaweicloud.iam.endpoint?.description, "https://iam.example.test/")
        XCTAssertEqual(config.huaweicloud.iam.user, "alice")
        XCTAssertEqual(config.huaweicloud.iam.domain, "corp")
        XCTAssertEqual(config.huaweicloud.iam.passwordEnv, "MY_PASSWORD")
        XCTAssertEqual(config.metastudio.endpoint?.hostHeader, "ms.example.test:8443")
        XCTAssertEqual(config.metastudio.appUserID, "user-42")
        XCTAssertEqual(config.modelarts.endpoint?.host, "ma.example.test")
        XCTAssertEqual(config.faceedge.endpoint?.host, "fe.example.test")
        XCTAssertNil(config.profile)
        XCTAssertEqual(config.origins["tryon.rate"], "moonwatch.toml:9")
    }

    func testDefaultsWithoutAFile() throws {
        let config = try load(nil)
        XCTAssertEqual(config.out, "out")
        XCTAssertEqual(config.concurrency, 64)
        XCTAssertEqual(config.tryon.rate, RateLimit(count: 10, per: 60))
        XCTAssertEqual(config.tryon.openIDEnv, "TRYON_OPEN_ID")
        XCTAssertEqual(config.huaweicloud.akEnv, "CLOUD_SDK_AK")
        XCTAssertNil(config.tryon.maxCoins)
    }

    func testUnknownKeysNameTheKeyAndLine() {
        XCTAssertEqual(
            failure("out = \"o\"\n[tryon]\napi_ur = \"https://x\""),
            "moonwatch.toml:3: unknown key 'tryon.api_ur' (did you mean 'tryon.api_url'?)")
        XCTAssertEqual(failure("colour = 1"), "moonwatch.toml:1: unknown key 'colour'")
        XCTAssertEqual(
            failure("[tryons]\nrate = \"1/s\""),
            "moonwatch.toml:1: unknown table [tryons] (known: faceedge, http, huaweicloud, huaweicloud.iam, journal, metastudio, modelarts, tryon, profiles.NAME, services.NAME)\n"
                + "moonwatch.toml:2: unknown key 'tryons.rate' (did you mean 'tryon.rate'?)")
        XCTAssertEqual(
            failure("[profiles.dev.tryon]\nmax_coin = 3"),
            "moonwatch.toml:2: unknown key 'profiles.dev.tryon.max_coin' (did you mean 'profiles.dev.tryon.max_coins'?)")
    }

    func testBadValuesNameTheKeyAndLine() {
        XCTAssertEqual(
            failure("concurrency = \"many\""),
            "moonwatch.toml:1: key 'concurrency' must be an integer >= 1, got \"many\"")
        XCTAssertEqual(failure("concurrency = 0"), "moonwatch.toml:1: key 'concurrency' must be an integer >= 1, got an integer")
        XCTAssertEqual(
            failure("[tryon]\n\nrate = \"fast\""),
            "moonwatch.toml:3: key 'tryon.rate' must be a rate string such as \"10/min\" (N/s, N/min or N/hour), got \"fast\"")
        XCTAssertEqual(
            failure("[tryon]\nmax_coins = -1"), "moonwatch.toml:2: key 'tryon.max_coins' must be a number >= 0, got an integer")
        XCTAssertEqual(
            failure("[tryon]\napi_url = \"ftp://x\""),
            "moonwatch.toml:2: key 'tryon.api_url' must be an http(s) URL string, got \"ftp://x\"")
        XCTAssertEqual(
            failure("[huaweicloud]\nak_env = \"MY-AK\""),
            "moonwatch.toml:2: key 'huaweicloud.ak_env' must be an environment variable name (letters, digits, '_'), got \"MY-AK\"")
        XCTAssertEqual(
            failure("[metastudio]\napp_user_id = \"用户\""),
            "moonwatch.toml:2: key 'metastudio.app_user_id' must be a printable ASCII string, got \"用户\"")
        XCTAssertEqual(failure("out = true"), "moonwatch.toml:1: key 'out' must be a string, got a boolean")
        XCTAssertEqual(failure("out = \"\""), "moonwatch.toml:1: key 'out' must be a string, got an empty string")
        XCTAssertEqual(failure("[tryon]\nrate = 5"), "moonwatch.toml:2: key 'tryon.rate' must be a rate string such as \"10/min\" (N/s, N/min or N/hour), got an integer")
    }

    func testAllProblemsAreReportedTogether() {
        let message = failure("out = 1\nconcurrency = \"x\"\nnope = 2")
        XCTAssertEqual(message?.split(separator: "\n").count, 3)
    }

    func testSyntaxErrorNamesTheLine() {
        XCTAssertEqual(failure("out = \"o\"\n[tryon\n"), "moonwatch.toml:2: expected ']' to close the table header")
    }

    func testProfileSelection() throws {
        let config = try load(Self.full, profile: "staging")
        XCTAssertEqual(config.profile, "staging")
        XCTAssertEqual(config.out, "staging-out")
        XCTAssertEqual(config.tryon.apiURL?.description, "http://127.0.0.1:9999/")
        XCTAssertEqual(config.tryon.maxCoins, 1.5)
        XCTAssertEqual(config.tryon.rate, RateLimit(count: 6, per: 60), "keys the profile does not set keep the top level")
        XCTAssertEqual(config.huaweicloud.iam.user, "bob")
        XCTAssertEqual(config.huaweicloud.iam.domain, "corp")
        XCTAssertEqual(config.origins["out"], "moonwatch.toml:36")
        let fromEnvironment = try load(Self.full, environment: ["MOONWATCH_PROFILE": "staging"])
        XCTAssertEqual(fromEnvironment.out, "staging-out")
        XCTAssertEqual(try load(Self.full).out, "results", "profiles apply only when selected")
    }

    func testUnknownProfileListsTheDefinedOnes() {
        XCTAssertEqual(
            failure(Self.full, profile: "prod"), "profile 'prod' is not defined in moonwatch.toml (defined: staging)")
        XCTAssertEqual(
            failure("out = \"o\"", profile: "prod"), "profile 'prod' is not defined in moonwatch.toml (the file defines no profiles)")
    }

    func testEnvironmentOverridesFileAndProfileAndFlagsOverrideAll() throws {
        let environment = [
            "MOONWATCH_TRYON_API_URL": "http://127.0.0.1:7000", "MOONWATCH_HUAWEICLOUD_PROJECT_ID": "env-proj",
            "MOONWATCH_CONCURRENCY": "8", "MOONWATCH_TRYON_MAX_COINS": "2.5", "MOONWATCH_HUAWEICLOUD_IAM_USER": "carol",
            "MOONWATCH_OUT": "env-out", "MOONWATCH_LOG_LEVEL": "debug", "MOONWATCH_FACEEDGE_ENDPOINT": "",
        ]
        let config = try load(Self.full, profile: "staging", environment: environment, flags: [("out", "flag-out")])
        XCTAssertEqual(config.tryon.apiURL?.description, "http://127.0.0.1:7000/")
        XCTAssertEqual(config.huaweicloud.projectID, "env-proj")
        XCTAssertEqual(config.concurrency, 8)
        XCTAssertEqual(config.tryon.maxCoins, 2.5)
        XCTAssertEqual(config.huaweicloud.iam.user, "carol")
        XCTAssertEqual(config.out, "flag-out")
        XCTAssertEqual(config.faceedge.endpoint?.host, "fe.example.test", "an empty variable is ignored")
        XCTAssertEqual(config.origins["huaweicloud.project_id"], "environment variable MOONWATCH_HUAWEICLOUD_PROJECT_ID")
        XCTAssertEqual(config.origins["out"], "flag --out")
    }

    func testBadEnvironmentAndFlagValuesNameTheirSource() {
        XCTAssertEqual(
            failure(nil, environment: ["MOONWATCH_CONCURRENCY": "lots"]),
            "environment variable MOONWATCH_CONCURRENCY: key 'concurrency' must be an integer >= 1, got \"lots\"")
        XCTAssertEqual(
            failure(nil, environment: ["MOONWATCH_TRYON_APIURL": "x"]),
            "environment variable MOONWATCH_TRYON_APIURL matches no configuration key (did you mean MOONWATCH_TRYON_API_URL?)")
        XCTAssertEqual(
            failure(nil, flags: [("tryon.rate", "often")]),
            "flag --tryon.rate: key 'tryon.rate' must be a rate string such as \"10/min\" (N/s, N/min or N/hour), got \"often\"")
        XCTAssertEqual(failure(nil, flags: [("speed", "1")]), "unknown configuration key 'speed' given on the command line")
    }

    func testEndpointsDeriveFromRegion() throws {
        let config = try load("[huaweicloud]\nregion = \"ap-southeast-1\"\n[modelarts]\nendpoint = \"http://127.0.0.1:1\"")
        XCTAssertEqual(try config.endpoint(for: .metastudio).get().description, "https://metastudio.ap-southeast-1.myhuaweicloud.com/")
        XCTAssertEqual(try config.endpoint(for: .faceedge).get().description, "https://iva.ap-southeast-1.myhuaweicloud.com/")
        XCTAssertEqual(try config.endpoint(for: .iam).get().description, "https://iam.ap-southeast-1.myhuaweicloud.com/")
        XCTAssertEqual(try config.endpoint(for: .modelarts).get().description, "http://127.0.0.1:1/")
        let bare = try load(nil)
        XCTAssertThrowsError(try bare.endpoint(for: .metastudio).get()) { error in
            XCTAssertEqual((error as? ServiceError)?.message, "metastudio.endpoint is not set, nor huaweicloud.region to derive it from")
        }
        XCTAssertThrowsError(try bare.endpoint(for: .tryon).get())
    }

    func testServiceTablesAndTheAllowList() throws {
        let config = try load("""
            [http]
            allow = ["hooks.slack.com", "*.Example.com"]
            [services.vod]
            endpoint = "https://vod.test/base"
            rate = "5/s"
            [services.ocr]
            endpoint = "https://ocr.test"
            [profiles.dev.services.ocr]
            endpoint = "https://ocr-dev.test"
            """, profile: "dev", environment: ["MOONWATCH_SERVICES_VOD_RATE": "2/s"])
        XCTAssertEqual(config.http.allow?.map(\.description), ["hooks.slack.com", "*.example.com"])
        XCTAssertEqual(config.origins["http.allow"], "moonwatch.toml:2")
        XCTAssertEqual(try config.endpoint(for: ServiceName(rawValue: "vod")).get().description, "https://vod.test/base")
        XCTAssertEqual(config.services["vod"]?.rate, RateLimit(count: 2, per: 1))
        XCTAssertEqual(try config.endpoint(for: ServiceName(rawValue: "ocr")).get().description, "https://ocr-dev.test/")
        XCTAssertEqual(config.serviceHosts, ["vod.test", "ocr-dev.test"])
        XCTAssertNil(try load(nil).http.allow, "no [http] allow: any host")
        let fromEnvironment = try load(nil, environment: ["MOONWATCH_HTTP_ALLOW": "a.test, *.b.test", "MOONWATCH_SERVICES_MY_API_ENDPOINT": "http://127.0.0.1:9"])
        XCTAssertEqual(fromEnvironment.http.allow?.map(\.description), ["a.test", "*.b.test"])
        XCTAssertEqual(fromEnvironment.services["my_api"]?.endpoint?.description, "http://127.0.0.1:9/")
    }

    func testBadServiceTablesAndAllowListsNameTheProblem() {
        XCTAssertEqual(
            failure("[services.metastudio]\nendpoint = \"https://x.test\""),
            "moonwatch.toml:1: 'metastudio' is a built-in service: set its endpoint in its own section ([metastudio] endpoint)\n"
                + "moonwatch.toml:2: 'metastudio' is a built-in service: set its endpoint in its own section ([metastudio] endpoint)")
        XCTAssertEqual(
            failure("[services.Bad]\nendpoint = \"https://x.test\""),
            "moonwatch.toml:1: service name 'Bad' must be lower-case letters, digits, '-' or '_', starting with a letter\n"
                + "moonwatch.toml:2: service name 'Bad' must be lower-case letters, digits, '-' or '_', starting with a letter")
        XCTAssertEqual(
            failure("[services.vod]\nurl = \"https://x.test\""),
            "moonwatch.toml:2: unknown key 'services.vod.url'")
        XCTAssertEqual(
            failure("[services.vod]\nendpoint = \"vod.test\""),
            "moonwatch.toml:2: key 'services.vod.endpoint' must be an http(s) URL string, got \"vod.test\"")
        XCTAssertEqual(
            failure("[http]\nallow = [\"https://hooks.slack.com/x\"]"),
            "moonwatch.toml:2: key 'http.allow' must be an array of host names such as \"hooks.slack.com\" or \"*.example.com\", "
                + "\"https://hooks.slack.com/x\" is a URL: give its host name only")
        XCTAssertEqual(
            failure("[http]\nallow = \"hooks.slack.com\""),
            "moonwatch.toml:2: key 'http.allow' must be an array of host names such as \"hooks.slack.com\" or \"*.example.com\", got a string")
        XCTAssertEqual(
            failure("[http]\nallow = [1]"),
            "moonwatch.toml:2: key 'http.allow' must be an array of host names such as \"hooks.slack.com\" or \"*.example.com\", got an array holding an integer")
        XCTAssertEqual(
            failure(nil, environment: ["MOONWATCH_HTTP_ALOW": "x"]),
            "environment variable MOONWATCH_HTTP_ALOW matches no configuration key (did you mean MOONWATCH_HTTP_ALLOW?)")
    }
}
