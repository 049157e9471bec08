import CLua
import CLuaShim
import Logging
import Lua

/// Limits and logging for one VM.
public struct RuntimeOptions: Sendable {
    /// Default memory cap for scripts: 512 MiB (docs/contract.md §2.6).
    public static let defaultMemoryLimit = 512 << 20
    /// Default instruction budget between yields: generous for real work, yet a
    /// runaway loop stops within seconds.
    public static let defaultInstructionBudget = 2_000_000_000

    public var limits = LuaLimits(memory: defaultMemoryLimit, instructions: defaultInstructionBudget)
    public var logger: Logger
    /// After an interrupt, seconds that host operations already in flight (a
    /// request, a download) may take to finish before everything is canceled;
    /// nothing new starts meanwhile. 0 cancels at once.
    public var interruptGrace: Double = 10

    public init(logger: Logger) {
        self.logger = logger
    }
}

/// How a run ended.
public struct RunReport: Sendable {
    public enum Outcome: Sendable, Equatable {
        case succeeded
        /// The main chunk raised: the error as one line, its traceback, and its
        /// `kind` when it was an error table.
        case failed(message: String, traceback: String, kind: String?)
        case interrupted
    }

    public var outcome: Outcome
    /// Spawned tasks that failed while nobody waited for them.
    public var unobservedFailures: Int

    /// The process exit code of docs/contract.md §1: a configuration error the script ran
    /// into (missing credentials, say) counts as one, 2.
    public var exitCode: Int32 {
        switch outcome {
        case .interrupted: return 130
        case .failed(_, _, let kind): return kind == "config" ? 2 : 1
        case .succeeded: return unobservedFailures > 0 ? 1 : 0
        }
    }
}

/// One Lua VM running one workflow script: the sandbox, the scheduler, the
/// `task` module and confined `require`.
///
/// Create it, install modules, then ``run(arguments:)`` on the thread that
/// created it; that thread owns the VM for the whole run.
public final class Runtime {
    public let state: LuaState
    let scheduler: Scheduler
    /// The script as the user named it.
    public let scriptPath: String
    let files: ScriptFiles
    public let logger: Logger

    /// - Throws: `invalid_argument` when the script cannot be found or read.
    public init(scriptPath: String, options: RuntimeOptions) throws(ScriptError) {
        self.scriptPath = scriptPath
        self.logger = options.logger
        do {
            files = try ScriptFiles(scriptPath: scriptPath)
        } catch {
            throw ScriptError(.invalidArgument, error.description)
        }
        state = LuaState(limits: options.limits)
        scheduler = Scheduler(state: state, logger: options.logger, interruptGrace: options.interruptGrace)
        let logger = options.logger
        state.onWarning = { logger.warning("Lua warning: \($0)") }
        try state.openSandbox()
        TaskModule.install(scheduler)
        try evaluate(Prelude.source, name: "prelude", host: preludeFunctions())
    }

    /// Compiles the script without running it; the error names `file:line`.
    public func compile() throws(ScriptError) {
        try loadScript()
        state.stack.pop()
    }

    /// Runs the script's main chunk with `arguments` as `...`, then every task
    /// it spawned, until all have finished, the main chunk fails, or ``interrupter`` is called.
    /// - Throws: the compile error, before anything runs.
    public func run(arguments: [String]) throws(ScriptError) -> RunReport {
        try loadScript()
        guard arguments.count < Int(Int32.max) - 2, lua_checkstack(state.L, Int32(arguments.count) + 2) != 0 else {
            throw ScriptError(.invalidArgument, "too many arguments for the script (\(arguments.count))")
        }
        for argument in arguments { state.stack.push(.string(argument)) }
        return try runMain(argumentCount: Int32(arguments.count))
    }

    /// Runs host Lua code as the main task in place of the script, for commands
    /// that drive a script (`batch` calls its `handle` for every item). The code
    /// receives a table of private `host` functions and the script's compiled
    /// main chunk as `...`; it ends the run as the script's main chunk would.
    /// - Throws: the compile error of the script, before anything runs.
    public func run(driver code: String, name: String, host functions: [(String, HostFunction.Body)]) throws(ScriptError) -> RunReport {
        try state.load(Array(code.utf8), chunkName: "=[moonwatch \(name)]")
        pushHostTable(functions)
        try loadScript()
        return try runMain(argumentCount: 2)
    }

    /// A value the host attaches to the task that is running now (the batch item
    /// it works on, say); tasks it spawns afterwards inherit it. For host
    /// functions, on the VM's thread; nil outside a task.
    public var taskLocal: AnyObject? {
        get { scheduler.current?.local }
        set { scheduler.current?.local = newValue }
    }

    /// Runs the function on the stack, below its `argumentCount` arguments, as the main task.
    private func runMain(argumentCount: Int32) throws(ScriptError) -> RunReport {
        let stack = state.stack
        try scheduler.spawn(from: stack, functionIndex: -argumentCount - 1, argumentCount: argumentCount, isMain: true)
        stack.top = 0
        scheduler.run()
        let unobserved = scheduler.unobservedFailures.count
        if scheduler.interrupted { return RunReport(outcome: .interrupted, unobservedFailures: unobserved) }
        guard let main = scheduler.main, main.outcome != .succeeded else {
            return RunReport(outcome: .succeeded, unobservedFailures: unobserved)
        }
        let failure = main.failure ?? ("the main chunk failed", "", nil)
        return RunReport(
            outcome: .failed(message: failure.message, traceback: failure.traceback, kind: failure.kind),
            unobservedFailures: unobserved)
    }

    /// A thread-safe way to interrupt this run from a signal handler or another thread.
    public var interrupter: @Sendable () -> Void {
        let inbox = scheduler.inbox
        return { inbox.post(.interrupt) }
    }

    /// Runs `operation` off the VM's thread while the calling task waits; for
    /// bindings of asynchronous host functions. Return its result from the binding.
    public func perform(
        _ call: LuaCall,
        _ operation: @escaping @Sendable () async throws(ScriptError) -> [LuaValue]
    ) throws(ScriptError) -> HostResult {
        try scheduler.perform(call, operation)
    }

    /// Runs host-provided Lua code (named `[moonwatch NAME]` in tracebacks, and
    /// skipped when errors look for the script's line) with a table of private
    /// host functions as its argument.
    public func evaluate(_ code: String, name: String, host functions: [(String, HostFunction.Body)]) throws(ScriptError) {
        try state.load(Array(code.utf8), chunkName: "=[moonwatch \(name)]")
        pushHostTable(functions)
        do {
            _ = try state.call(argumentsOnStack: 1, results: 0)
        } catch {
            throw ScriptError(.sandbox, "moonwatch \(name) failed: \(error.message)")
        }
    }

    /// `raise(kind, message)`: raises an error table at the calling script line;
    /// for host Lua code that checks arguments (see ``evaluate(_:name:host:)``).
    public static var raiseFunction: (String, HostFunction.Body) {
        ("raise", { call throws(ScriptError) in
            throw ScriptError(ScriptError.Kind(rawValue: try call.string(1)), try call.string(2))
        })
    }

    private func pushHostTable(_ functions: [(String, HostFunction.Body)]) {
        lua_createtable(state.L, 0, Int32(functions.count))
        for (functionName, body) in functions {
            state.setField(functionName) { state.pushFunction(functionName, body) }
        }
    }

    private func loadScript() throws(ScriptError) {
        let code: [UInt8]
        do {
            code = try ScriptFiles.read(scriptPath)
        } catch {
            throw ScriptError(.invalidArgument, error.description)
        }
        try state.load(code, chunkName: "@\(scriptPath)")
    }

    private func preludeFunctions() -> [(String, HostFunction.Body)] {
        let files = self.files
        return [
            Runtime.raiseFunction,
            ("find_module", { call throws(ScriptError) in
                let name = try call.string(1)
                do throws(ScriptFileError) {
                    let path = try files.modulePath(name)
                    call.push(.string(try ScriptFiles.read(path)))
                    call.push(.string("@\(path)"))
                    call.push(.string(path))
                    return .results(3)
                } catch {
                    throw ScriptError(.invalidArgument, error.description)
                }
            }),
            ("read_script", { call throws(ScriptError) in
                let relative = try call.string(1)
                do throws(ScriptFileError) {
                    let path = try files.confined(relative)
                    call.push(.string(try ScriptFiles.read(path)))
                    call.push(.string("@\(relative)"))
                } catch {
                    call.push(.nil)
                    call.push(.string(error.description))
                }
                return .results(2)
            }),
        ]
    }
}
