import ServiceLifecycle

/// A started emulator. The in-process methods mirror the admin API.
package final class RunningEmulator: Sendable {
    /// The bound port.
    package let port: Int
    /// `http://127.0.0.1:PORT`
    package let baseURL: String
    private let state: EmulatorState
    private let group: ServiceGroup
    private let task: Task<Void, Never>

    init(state: EmulatorState, port: Int, group: ServiceGroup, task: Task<Void, Never>) {
        self.state = state
        self.port = port
        self.baseURL = state.baseURL
        self.group = group
        self.task = task
    }

    /// The ready moonwatch.toml of docs/contract.md §5 (the text of `GET /_emulator/config`).
    package var configTOML: String {
        ConfigTOML.make(baseURL: baseURL, firewall: state.scenario.scenario.tryon.firewall, seed: state.seed, speed: state.speed)
    }

    /// Counters so far (`GET /_emulator/counters`).
    package func counters() -> EmulatorCounters {
        state.counters.snapshot(coins: state.coins.snapshot())
    }

    /// Loads a scenario and resets state (`POST /_emulator/scenario`).
    package func load(_ scenario: Scenario) throws {
        try state.load(scenario)
    }

    /// Forgets job starts, created jobs, tokens, balances, firewall history and counters (`POST /_emulator/reset`).
    package func reset() {
        state.reset()
    }

    /// Adds fault rules (`POST /_emulator/faults`).
    package func addFaults(_ rules: [FaultRule]) throws {
        try state.faults.install(rules)
    }

    /// Removes every fault rule (`DELETE /_emulator/faults`).
    package func clearFaults() {
        state.faults.clear()
    }

    /// Stops serving: closes the listener, lets in-flight responses finish, closes idle
    /// connections, and returns once the server has ended.
    package func shutdown() async {
        await group.triggerGracefulShutdown()
        await task.value
    }
}
