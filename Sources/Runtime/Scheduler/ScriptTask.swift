import Lua

/// A Lua task: a coroutine the scheduler runs until it finishes.
///
/// A finished task keeps its results (or its error) on its own coroutine's stack,
/// so waiters receive the very values it returned, tables and functions included.
final class ScriptTask {
    enum Phase { case ready, running, suspended, finished }

    /// What a suspended task waits for; cancelling it undoes the wait.
    enum Wait {
        case sleep
        case task(ScriptTask)
        case taskWithDeadline(ScriptTask)
        case operation(cancel: @Sendable () -> Void)
        /// Tried to start new work after an interrupt: stays suspended until the
        /// drain ends and every task is canceled.
        case halted
    }

    enum Outcome { case succeeded, failed, canceled }

    let id: Int
    /// The coroutine.
    let thread: LuaThread
    weak var parent: ScriptTask?
    var children: [Int: ScriptTask] = [:]

    var phase = Phase.ready
    var wait: Wait?
    /// Bumped on every suspension and cancellation: completions and timers that
    /// carry an older generation are stale.
    var generation: UInt64 = 0
    var waiters: [(task: ScriptTask, generation: UInt64)] = []

    var outcome: Outcome?
    /// The error of a failed or canceled task.
    var failure: LuaFailure?
    /// Someone received this task's error (or the task was canceled).
    var observed = false
    /// The script can no longer reach this task's handle.
    var handleReleased = false
    /// The host's value for this task (``Runtime/taskLocal``), inherited from the spawning task.
    var local: AnyObject?

    init(id: Int, thread: LuaThread, parent: ScriptTask?) {
        self.id = id
        self.thread = thread
        self.parent = parent
    }
}

/// Values a task is resumed with.
enum ResumeInput {
    /// First run: the function and its arguments are on the coroutine already.
    case start(argumentCount: Int32)
    /// A host operation succeeded with these results.
    case values([LuaValue])
    /// A host operation failed.
    case failure(ScriptError)
    /// The outcome of another, finished task.
    case results(of: ScriptTask)
    /// After a plain `coroutine.yield()` at the task's top level.
    case nothing
}
