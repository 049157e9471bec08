/// How to start an emulator.
package struct EmulatorOptions: Sendable {
    /// Address to bind (default 127.0.0.1).
    package var host: String
    /// Port to bind; 0 (default) picks a free one, reported by ``RunningEmulator/port``.
    package var port: Int
    /// Job timelines run this many times faster than real time (default 1).
    package var speed: Double
    /// Mixed into every derived timeline, file content and request id (default 0).
    package var seed: UInt64
    /// The scenario to serve; nil serves the default scenario.
    package var scenario: Scenario?
    /// Where the emulator reads the time; tests pass a ``ManualEmulatorClock``.
    package var clock: any EmulatorClock

    package init(
        host: String = "127.0.0.1",
        port: Int = 0,
        speed: Double = 1,
        seed: UInt64 = 0,
        scenario: Scenario? = nil,
        clock: any EmulatorClock = SystemEmulatorClock()
    ) {
        self.host = host
        self.port = port
        self.speed = speed
        self.seed = seed
        self.scenario = scenario
        self.clock = clock
    }
}
