import ArgumentParser
import Logging
import Lua
import Runtime

/// `moonwatch check SCRIPT`: compile without running.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Compile a script and report errors without running it."
    )

    @Argument(help: "The Lua script.")
    var script: String

    func run() throws {
        do throws(ScriptError) {
            let logger = Logger(label: "moonwatch") { _ in ConsoleLogHandler(level: .warning, format: .text) }
            try Runtime(scriptPath: script, options: RuntimeOptions(logger: logger)).compile()
        } catch {
            Console.error(error.message)
            throw ExitCode(2)
        }
        print("\(script): ok")
    }
}
