import ArgumentParser
import Services

#if canImport(Glibc)
import Glibc
#endif

/// The `moonwatch` command line (docs/contract.md §1).
struct Moonwatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moonwatch",
        abstract: "Run Lua workflow scripts that watch cloud AI jobs and fetch their results.",
        version: MoonwatchVersion.current,
        subcommands: [RunCommand.self, BatchCommand.self, ReportCommand.self, StatusCommand.self, CheckCommand.self, EmulatorCommand.self, TypesCommand.self]
    )
}

/// Opens the existential so the async `run` is chosen (on `any AsyncParsableCommand`
/// the synchronous `run` inherited from ParsableCommand wins overload resolution).
func runAsync<Command: AsyncParsableCommand>(_ command: Command) async throws {
    var command = command
    try await command.run()
}

// Usage errors exit with 2, as docs/contract.md §1 says, rather than argument-parser's 64.
do {
    var command = try Moonwatch.parseAsRoot()
    if let asyncCommand = command as? any AsyncParsableCommand {
        try await runAsync(asyncCommand)
    } else {
        // `run` keeps this thread for the Lua VM; async work runs on other threads.
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
