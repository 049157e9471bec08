import RunConfiguration
import Transport

extension MoonwatchConfiguration {
    /// Reads the credentials from `environment` (injected: tests never depend
    /// on the real one). Missing ones become `config` errors naming the
    /// environment variable expected and the key that names it.
    package func resolveCredentials(environment: [String: String]) -> ResolvedCredentials {
        func value(_ name: String?) -> String? {
            guard let name, let value = environment[name], !value.isEmpty else { return nil }
            return value
        }
        var secrets: [String] = []
        for name in [tryon.openIDEnv, tryon.apiKeyEnv, huaweicloud.akEnv, huaweicloud.skEnv] {
            if let secret = value(name) { secrets.append(secret) }
        }
        if let secret = value(huaweicloud.tokenEnv) { secrets.append(secret) }
        if let secret = value(huaweicloud.iam.passwordEnv) { secrets.append(secret) }

        let tryonResult: Result<TryOnClient.Keys, ServiceError>
        let openID = value(tryon.openIDEnv)
        let apiKey = value(tryon.apiKeyEnv)
        if let openID, let apiKey {
            tryonResult = .success(.init(openID: openID, apiKey: apiKey))
        } else {
            let missing = [
                openID == nil ? "\(tryon.openIDEnv) (tryon.open_id_env)" : nil,
                apiKey == nil ? "\(tryon.apiKeyEnv) (tryon.api_key_env)" : nil,
            ].compactMap { $0 }
            tryonResult = .failure(
                ServiceError(
                    .config,
                    "missing try-on credentials: environment "
                        + (missing.count > 1 ? "variables \(missing.joined(separator: " and ")) are" : "variable \(missing[0]) is")
                        + " not set",
                    service: "tryon"))
        }
        return ResolvedCredentials(tryon: tryonResult, huawei: resolveHuawei(value), secrets: secrets)
    }

    private func resolveHuawei(_ value: (String?) -> String?) -> Result<HuaweiCredentials, ServiceError> {
        func failure(_ message: String) -> Result<HuaweiCredentials, ServiceError> {
            .failure(ServiceError(.config, message, service: "huaweicloud"))
        }
        let accessKey = value(huaweicloud.akEnv)
        let secretKey = value(huaweicloud.skEnv)
        switch (accessKey, secretKey) {
        case (let accessKey?, let secretKey?):
            return .success(.akSK(accessKey: accessKey, secretKey: secretKey))
        case (_?, nil):
            return failure(
                "environment variable \(huaweicloud.akEnv) is set but \(huaweicloud.skEnv) (huaweicloud.sk_env) is not")
        case (nil, _?):
            return failure(
                "environment variable \(huaweicloud.skEnv) is set but \(huaweicloud.akEnv) (huaweicloud.ak_env) is not")
        case (nil, nil):
            break
        }
        if let tokenEnv = huaweicloud.tokenEnv {
            if let token = value(tokenEnv) { return .success(.token(token)) }
            if !huaweicloud.iam.isConfigured {
                return failure(
                    "missing Huawei Cloud credentials: environment variable \(tokenEnv) (huaweicloud.token_env) is not "
                        + "set, nor \(huaweicloud.akEnv) and \(huaweicloud.skEnv) (huaweicloud.ak_env / sk_env)")
            }
        }
        if huaweicloud.iam.isConfigured {
            let iam = huaweicloud.iam
            var missing: [String] = []
            if iam.user == nil { missing.append("huaweicloud.iam.user") }
            if iam.domain == nil { missing.append("huaweicloud.iam.domain") }
            if iam.passwordEnv == nil { missing.append("huaweicloud.iam.password_env") }
            if !missing.isEmpty { return failure("incomplete [huaweicloud.iam]: set \(missing.joined(separator: ", "))") }
            guard let password = value(iam.passwordEnv) else {
                return failure(
                    "missing Huawei Cloud credentials: environment variable \(iam.passwordEnv!) "
                        + "(huaweicloud.iam.password_env) is not set")
            }
            let endpoint: ServiceURL
            switch self.endpoint(for: .iam) {
            case .success(let url): endpoint = url
            case .failure(let error): return .failure(error)
            }
            return .success(.iam(user: iam.user!, domain: iam.domain!, password: password, endpoint: endpoint))
        }
        return failure(
            "missing Huawei Cloud credentials: environment variables \(huaweicloud.akEnv) and \(huaweicloud.skEnv) "
                + "(huaweicloud.ak_env / sk_env) are not set; alternatively set huaweicloud.token_env or [huaweicloud.iam]")
    }

    /// Everything that would stop `services` from sending a request, checked
    /// before any request: endpoints, project id, credentials.
    package func problems(for services: [ServiceName], environment: [String: String]) -> [ServiceError] {
        let credentials = resolveCredentials(environment: environment)
        var problems: [ServiceError] = []
        var huaweiChecked = false
        for service in services {
            if case .failure(let error) = endpoint(for: service) { problems.append(error) }
            switch service {
            case .tryon:
                if case .failure(let error) = credentials.tryon { problems.append(error) }
                if tryon.ossURL == nil {
                    problems.append(ServiceError(.config, "tryon.oss_url is not set", service: "tryon"))
                }
            default:
                // Every other service is a Huawei Cloud one (built in or from [services.NAME]).
                guard !huaweiChecked else { continue }
                huaweiChecked = true
                if case .failure(let error) = credentials.huawei { problems.append(error) }
                if huaweicloud.projectID == nil {
                    problems.append(
                        ServiceError(
                            .config, "huaweicloud.project_id is not set (in moonwatch.toml or MOONWATCH_HUAWEICLOUD_PROJECT_ID)",
                            service: "huaweicloud"))
                }
            }
        }
        return problems
    }
}
