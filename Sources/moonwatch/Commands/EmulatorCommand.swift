import ArgumentParser
import Dispatch
import Emulator
import Foundation
import Synchronization

/// `moonwatch emulator`: serves the local emulation of the try-on service, MetaStudio,
/// ModelArts, face edge, IAM and object storage on one port, prints the moonwatch.toml that
/// points at it, and serves until SIGINT or SIGTERM.
struct EmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulator",
        abstract: "Serve a local emulation of all four services.",
        discussion: """
            Prints a ready moonwatch.toml on standard output (also served at /_emulator/config) and \
            serves until interrupted. The demo credentials it names work without setup. The admin \
            API under /_emulator/ loads scenarios, injects faults and reads counters.
            """
    )

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port: Int = 8080

    @Option(help: "Address to bind.")
    var host: String = "127.0.0.1"

    @Option(help: "Run job timelines this many times faster than real time.")
    var speed: Double = 1

    @Option(help: "Seed for derived timelines, file contents and request ids.")
    var seed: UInt64 = 0

    @Option(help: "A scenario JSON file (default: the built-in scenario).", completion: .file(extensions: ["json"]))
    var scenario: String?

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard speed > 0, speed.isFinite else { throw ValidationError("--speed must be a positive number") }
    }

    func run() async throws {
        let loaded: Scenario?
        do {
            loaded = try scenario.map { try Scenario.load(contentsOf: URL(fileURLWithPath: $0)) }
        } catch {
            Self.fail("cannot load scenario \(scenario ?? ""): \(error)")
            throw ExitCode(2)
        }
        let emulator: RunningEmulator
        do {
            emulator = try await Emulator.start(EmulatorOptions(host: host, port: port, speed: speed, seed: seed, scenario: loaded))
        } catch {
            Self.fail("cannot listen on \(host):\(port): \(error)")
            throw ExitCode(1)
        }
        let latch = SignalLatch()
        let sources = latch.install()
        FileHandle.standardOutput.write(Data(emulator.configTOML.utf8))
        FileHandle.standardError.write(Data("moonwatch emulator: serving on \(emulator.baseURL) (admin API under /_emulator/); stop with Ctrl-C\n".utf8))
        await waitForTerminationSignal(latch)
        sources.forEach { $0.cancel() }
        FileHandle.standardError.write(Data("moonwatch emulator: stopping\n".utf8))
        await emulator.shutdown()
    }

    private static func fail(_ message: String) {
        FileHandle.standardError.write(Data("moonwatch emulator: \(message)\n".utf8))
    }
}

/// Waits for SIGINT or SIGTERM, which no longer end the process, so the emulator can close
/// its connections first.
private func waitForTerminationSignal(_ latch: SignalLatch) async {
    await latch.wait()
}

/// Catches SIGINT and SIGTERM from the moment it is made; ``wait()`` returns once one arrived.
private final class SignalLatch: Sendable {
    private struct State {
        var fired = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Installs the handlers; the returned sources must live as long as the latch is awaited.
    func install() -> [any DispatchSourceSignal] {
        let queue = DispatchQueue(label: "moonwatch.emulator.signals")
        return [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [self] in fire() }
            source.resume()
            return source
        }
    }

    private func fire() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.fired = true
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume()
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let fired = state.withLock { s -> Bool in
                if !s.fired { s.waiter = continuation }
                return s.fired
            }
            if fired { continuation.resume() }
        }
    }
}
