import ArgumentParser
import Logging
import MetricsEndpoint
import Runtime
import Services

/// Options every command that runs a script shares.
struct ScriptOptions: ParsableArguments {
    @Option(name: .long, help: "Where downloads and records go (default: `out` of the configuration, else ./out).")
    var out: String?

    @Option(name: .long, help: "debug, info, warning or error.")
    var logLevel: LogLevel = .info

    @Option(name: .long, help: "text or json.")
    var logFormat: ConsoleLogHandler.Format = .text

    @Option(name: .long, help: "Memory scripts may use, in MiB.")
    var memoryLimit: Int = RuntimeOptions.defaultMemoryLimit >> 20

    @Option(name: .long, help: "Instructions a task may run without yielding (0: no limit).")
    var instructionBudget: Int = RuntimeOptions.defaultInstructionBudget

    @Option(name: .long, help: "After SIGINT or SIGTERM, seconds that requests and downloads in flight may take to finish (0: cancel at once).")
    var grace: Double = 10

    @Flag(name: .long, help: "No live progress line: plain lines every --progress-interval seconds instead.")
    var noProgress = false

    @Option(name: .long, help: "Seconds between plain progress lines (without a terminal, or with --no-progress).")
    var progressInterval: Double = 10

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Serve Prometheus metrics at http://HOST:PORT/metrics while the run lasts (PORT alone: 127.0.0.1:PORT; port 0 picks a free one).",
            valueName: "host:port"),
        transform: { text in try MetricsAddress(parsing: text) })
    var metrics: MetricsAddress?

    func validate() throws {
        guard memoryLimit > 0 else { throw ValidationError("--memory-limit must be a positive number of MiB") }
        guard instructionBudget >= 0 else { throw ValidationError("--instruction-budget must be 0 or more") }
        guard progressInterval > 0, progressInterval.isFinite else { throw ValidationError("--progress-interval must be > 0") }
        guard grace >= 0, grace.isFinite else { throw ValidationError("--grace must be a number of seconds, 0 or more") }
    }

    /// The run's logger; every line passes through `redactor`.
    func logger(redactor: Redactor) -> Logger {
        let level = logLevel.level
        let format = logFormat
        return Logger(label: "moonwatch") { _ in ConsoleLogHandler(level: level, format: format, redactor: redactor) }
    }

    /// Starts showing `line` on standard error, live on a terminal unless `--no-progress`.
    func progressReporter(command: String, line: @escaping @Sendable () -> String) -> ProgressReporter {
        ProgressReporter(command: command, interval: progressInterval, live: !noProgress, line: line)
    }

    func runtimeOptions(logger: Logger) -> RuntimeOptions {
        var options = RuntimeOptions(logger: logger)
        options.limits.memory = memoryLimit << 20
        options.limits.instructions = instructionBudget == 0 ? nil : instructionBudget
        options.interruptGrace = grace
        return options
    }
}

enum LogLevel: String, ExpressibleByArgument, CaseIterable {
    case debug, info, warning, error

    var level: Logger.Level {
        switch self {
        case .debug: return .debug
        case .info: return .info
        case .warning: return .warning
        case .error: return .error
        }
    }
}

extension ConsoleLogHandler.Format: ExpressibleByArgument {}
