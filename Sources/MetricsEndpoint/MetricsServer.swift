import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// `GET /metrics` on the `--metrics` address while a run lasts: the
/// registry's text exposition, read fresh at each scrape. Anything else is 404.
///
/// The server never holds the run up: it runs on the event loops, not on the
/// thread that owns the VM, and ``stop()`` returns within a bound even when a
/// client keeps a connection busy.
package final class MetricsServer: Sendable {
    /// The bound address: the port is the one the system picked for port 0.
    package let address: MetricsAddress
    private let group: ServiceGroup
    private let task: Task<Void, Never>

    /// The scrape URL, `http://HOST:PORT/metrics`.
    package var url: String { "http://\(address)/metrics" }

    /// How long ``stop()`` lets a scrape in progress finish before it stops waiting.
    static let stopBound: Duration = .seconds(2)

    private init(address: MetricsAddress, group: ServiceGroup, task: Task<Void, Never>) {
        self.address = address
        self.group = group
        self.task = task
    }

    /// Binds `address` and returns once the server listens.
    /// - Parameter logger: the run's logger; the server logs only its warnings and errors there.
    /// - Throws: ``MetricsServerError`` when the address cannot be listened on
    ///   (in use, not this machine's, a host that does not resolve).
    package static func start(
        at address: MetricsAddress, registry: MetricsRegistry, logger: Logger
    ) async throws(MetricsServerError) -> MetricsServer {
        let router = Router()
        router.get("metrics") { _, _ -> Response in
            let text = registry.exposition()
            return Response(
                status: .ok, headers: [.contentType: MetricsRegistry.contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: nil),
            onServerRunning: { channel in listening.yield(channel.localAddress?.port ?? address.port) },
            logger: quiet
        )
        var configuration = ServiceGroupConfiguration(services: [app], logger: quiet)
        // Bounds the server's own shutdown too; stop() does not rely on it alone.
        configuration.maximumGracefulShutdownDuration = stopBound
        configuration.maximumCancellationDuration = .seconds(1)
        let group = ServiceGroup(configuration: configuration)
        let failure = FirstFailure()
        let task = Task {
            do {
                try await group.run()
            } catch {
                failure.record(error)
            }
            listening.finish()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            await task.value
            throw MetricsServerError(reason: failure.description ?? "the server stopped before it listened")
        }
        var bound = address
        bound.port = port
        return MetricsServer(address: bound, group: group, task: task)
    }

    /// Stops listening and closes the connections; returns once the server has
    /// ended, or after ``stopBound`` at most (a client that will not let go is
    /// left to the process's exit).
    package func stop() async {
        await group.triggerGracefulShutdown()
        let task = self.task
        await withTaskGroup(of: Void.self) { waits in
            waits.addTask { await task.value }
            waits.addTask { try? await Task.sleep(for: Self.stopBound + .milliseconds(500)) }
            await waits.next()
            waits.cancelAll()
        }
    }
}

/// Why the `--metrics` address could not be listened on.
package struct MetricsServerError: Error, CustomStringConvertible {
    /// What the system said (`Address already in use (errno: 98)`).
    package var reason: String
    package var description: String { reason }
}

/// The error the server ended with, kept for start() to report.
private final class FirstFailure: Sendable {
    private let value = Mutex<String?>(nil)
    func record(_ error: any Error) { value.withLock { $0 = $0 ?? String(describing: error) } }
    var description: String? { value.withLock { $0 } }
}
