import ArgumentParser
import Services

/// How the services are reached: a configuration file and profile, or the built-in emulator.
struct ServiceOptions: ParsableArguments {
    @Option(name: .long, help: "The configuration file (default: ./moonwatch.toml when present).")
    var config: String?

    @Option(name: .long, help: "A profile of the configuration file ([profiles.NAME]).")
    var profile: String?

    @Flag(name: .long, help: "Start the built-in emulator on a free loopback port and point every service at it, with its demo credentials.")
    var emulator = false

    @Option(name: .long, help: "With --emulator: how many times faster than real time its jobs run.")
    var emulatorSpeed: Double = 1

    @Option(name: .long, help: "Downloads in progress at once, run-wide; the others wait.")
    var maxDownloads: Int = DownloadOptions.defaultMaxConcurrent

    @Option(name: .long, help: ArgumentHelp(
        "Seconds without any try-on query after the service's firewall blocks this client (it blocks for 5 minutes); the rate is then halved.",
        valueName: "seconds"))
    var tryonCooldown: Double = BlockBackoff.tryOn.cooldown

    func validate() throws {
        guard maxDownloads >= 1 else { throw ValidationError("--max-downloads must be 1 or more") }
        if emulator && config != nil {
            throw ValidationError("--emulator brings its own configuration; drop --config")
        }
        guard emulatorSpeed > 0, emulatorSpeed.isFinite else { throw ValidationError("--emulator-speed must be a number > 0") }
        guard tryonCooldown >= 0, tryonCooldown.isFinite else { throw ValidationError("--tryon-cooldown must be a number >= 0") }
    }
}
