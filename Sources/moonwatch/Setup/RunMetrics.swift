import ArgumentParser
import Logging
import MetricsEndpoint

/// `--metrics`: the run's registry, which the services record into from the
/// start, and the endpoint serving it from ``start(logger:)`` to ``stop()``.
final class RunMetrics {
    let registry = MetricsRegistry()
    private let address: MetricsAddress
    private var server: MetricsServer?

    /// nil without `--metrics`.
    init?(_ address: MetricsAddress?) {
        guard let address else { return nil }
        self.address = address
    }

    /// Starts serving and says where on standard error (tests read that line).
    /// - Throws: exit 2, after saying why the address cannot be listened on.
    func start(logger: Logger) throws {
        let address = self.address
        let registry = self.registry
        do {
            server = try blocking { try await MetricsServer.start(at: address, registry: registry, logger: logger) }
        } catch {
            Console.error("moonwatch: --metrics \(address): cannot listen there: \(error)")
            throw ExitCode(2)
        }
        Console.error("moonwatch: metrics at \(server!.url)")
    }

    /// Stops serving, within MetricsServer's bound; the run is over.
    func stop() {
        guard let server else { return }
        self.server = nil
        try? blocking { await server.stop() }
    }
}
