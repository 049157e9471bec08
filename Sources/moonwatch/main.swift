import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// The `moonwatch` command line (SPEC §1).
struct Moonwatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moonwatch",
        abstract: "Run Lua workflow scripts that watch cloud AI jobs and fetch their results.",
        subcommands: [RunCommand.self, CheckCommand.self, EmulatorCommand.self]
    )
}

/// Runs an async subcommand (`emulator`): on an existential, `run()` would pick
/// the synchronous requirement, which only prints the help.
func runAsync<Command: AsyncParsableCommand>(_ command: Command) async throws {
    var command = command
    try await command.run()
}

// Usage errors exit with 2, as SPEC §1 says, rather than argument-parser's 64.
do {
    var command = try Moonwatch.parseAsRoot()
    // `emulator` is async; its synchronous `run()` would only print the help.
    if let serving = command as? any AsyncParsableCommand {
        try await runAsync(serving)
    } else {
        try command.run()
    }
} catch {
    let code = Moonwatch.exitCode(for: error)
    let message = Moonwatch.fullMessage(for: error)
    if code == .success {
        if !message.isEmpty { print(message) }
        exit(0)
    }
    if !message.isEmpty { Console.error(message) }
    exit(code == .validationFailure ? 2 : code.rawValue)
}
