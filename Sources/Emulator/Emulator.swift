import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// A local emulation of the virtual try-on service, Huawei Cloud MetaStudio, ModelArts and
/// face edge, IAM and object storage, on one loopback port (docs/contract.md §5): the offline environment
/// for script authors and the backbone of the project's tests.
///
/// ```swift
/// let emulator = try await Emulator.start(EmulatorOptions())
/// print(emulator.configTOML)
/// await emulator.shutdown()
/// ```
package enum Emulator {
    /// Binds, starts serving and returns once the port is known.
    package static func start(_ options: EmulatorOptions) async throws -> RunningEmulator {
        guard options.speed > 0 else { throw ScenarioError("speed must be positive") }
        let state = try EmulatorState(seed: options.seed, speed: options.speed, clock: options.clock, scenario: options.scenario ?? Scenario())
        var logger = Logger(label: "moonwatch.emulator")
        logger.logLevel = .warning
        let ready = ReadySignal()
        let app = Application(
            router: EmulatorRouter.make(state: state),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil),
            onServerRunning: { channel in ready.succeed(channel.localAddress?.port ?? options.port) },
            logger: logger
        )
        // A group of its own, without signal handling, so that shutdown() can stop it gracefully:
        // in-flight responses finish, idle connections close.
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            do {
                try await group.run()
                ready.fail(ScenarioError("the emulator stopped before it started"))
            } catch {
                ready.fail(error)
            }
        }
        let port: Int
        do {
            port = try await ready.wait()
        } catch {
            await task.value
            throw error
        }
        let host = options.host == "0.0.0.0" || options.host.isEmpty ? "127.0.0.1" : options.host.contains(":") ? "[\(options.host)]" : options.host
        state.baseURL = "http://\(host):\(port)"
        return RunningEmulator(state: state, port: port, group: group, task: task)
    }
}

/// Resumes the starter once the server reports its port, or fails it if the server stops first.
private final class ReadySignal: Sendable {
    private struct State {
        var result: Result<Int, any Error>?
        var waiter: CheckedContinuation<Int, any Error>?
    }

    private let state = Mutex(State())

    func succeed(_ port: Int) { resolve(.success(port)) }

    func fail(_ error: any Error) { resolve(.failure(error)) }

    private func resolve(_ result: Result<Int, any Error>) {
        let waiter = state.withLock { s -> CheckedContinuation<Int, any Error>? in
            guard s.result == nil else { return nil }
            s.result = result
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(with: result)
    }

    func wait() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let known = state.withLock { s -> Result<Int, any Error>? in
                if s.result == nil { s.waiter = continuation }
                return s.result
            }
            if let known { continuation.resume(with: known) }
        }
    }
}
