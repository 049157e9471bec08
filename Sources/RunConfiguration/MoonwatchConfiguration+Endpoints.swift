import Transport

extension MoonwatchConfiguration {
    /// The endpoint of `service`: the configured one, or derived from
    /// `huaweicloud.region` (`https://metastudio.REGION.myhuaweicloud.com`,
    /// `modelarts.`, `iva.` for face edge, `iam.`); try-on needs `tryon.api_url`,
    /// a `[services.NAME]` service its `endpoint`.
    package func endpoint(for service: ServiceName) -> Result<ServiceURL, ServiceError> {
        let configured: ServiceURL?
        let key: String
        let host: String
        switch service {
        case .tryon:
            if let url = tryon.apiURL { return .success(url) }
            return .failure(
                ServiceError(
                    .config, "tryon.api_url is not set (in moonwatch.toml or MOONWATCH_TRYON_API_URL)", service: "tryon"))
        case .metastudio: (configured, key, host) = (metastudio.endpoint, "metastudio.endpoint", "metastudio")
        case .modelarts: (configured, key, host) = (modelarts.endpoint, "modelarts.endpoint", "modelarts")
        case .faceedge: (configured, key, host) = (faceedge.endpoint, "faceedge.endpoint", "iva")
        case .iam: (configured, key, host) = (huaweicloud.iam.endpoint, "huaweicloud.iam.endpoint", "iam")
        default:
            if let url = services[service.rawValue]?.endpoint { return .success(url) }
            return .failure(notConfigured(service))
        }
        if let configured { return .success(configured) }
        guard let region = huaweicloud.region else {
            return .failure(
                ServiceError(
                    .config, "\(key) is not set, nor huaweicloud.region to derive it from", service: service.rawValue))
        }
        return Result { () throws(ServiceError) in try ServiceURL(parsing: "https://\(host).\(region).myhuaweicloud.com") }
            .mapError { _ in
                ServiceError(.config, "huaweicloud.region \"\(region)\" does not make a valid host name", service: service.rawValue)
            }
    }

    /// The error for a service with no `[services.NAME]` endpoint, saying how to add one.
    package func notConfigured(_ service: ServiceName) -> ServiceError {
        ServiceError(
            .config,
            "service '\(service.rawValue)' is not configured: add [services.\(service.rawValue)] with endpoint = \"https://...\" "
                + "to moonwatch.toml (built in: metastudio, modelarts, faceedge)",
            service: service.rawValue)
    }

    /// The hosts of every configured service (and those derived from the region): `http.request`
    /// may always reach them, whatever `[http] allow` says.
    package var serviceHosts: Set<String> {
        var hosts: Set<String> = []
        for service in ServiceName.allCases + services.keys.map(ServiceName.init(rawValue:)) {
            if case .success(let url) = endpoint(for: service) { hosts.insert(url.host) }
        }
        if let ossURL = tryon.ossURL, let url = try? ServiceURL(parsing: ossURL) { hosts.insert(url.host) }
        return hosts
    }
}
