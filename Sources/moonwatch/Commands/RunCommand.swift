import ArgumentParser
import Bindings
import Lua
import Runtime

/// `moonwatch run SCRIPT [ARG ...]`
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one workflow script; ARGs reach it as `args`."
    )

    @OptionGroup var options: ScriptOptions

    @Argument(help: "The Lua script.")
    var script: String

    @Argument(parsing: .captureForPassthrough, help: "Arguments for the script.")
    var arguments: [String] = []

    func run() throws {
        let runtime: Runtime
        do throws(ScriptError) {
            runtime = try Runtime(scriptPath: script, options: options.runtimeOptions)
            try ScriptEnvironment.install(in: runtime, outDirectory: options.out, arguments: arguments)
        } catch {
            Console.error("moonwatch: \(error.message)")
            throw ExitCode(2)
        }
        let signals = InterruptSignals(onInterrupt: runtime.interrupter)
        defer { withExtendedLifetime(signals) {} }
        let report: RunReport
        do throws(ScriptError) {
            report = try runtime.run(arguments: arguments)
        } catch {
            Console.error(error.message)
            throw ExitCode(2)
        }
        switch report.outcome {
        case .failed(_, let traceback):
            Console.error("moonwatch: \(traceback)")
        case .interrupted:
            Console.error("moonwatch: interrupted")
        case .succeeded:
            break
        }
        if report.unobservedFailures > 0 {
            Console.error("moonwatch: \(report.unobservedFailures) task(s) failed and nobody waited for them (see the log above)")
        }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}
