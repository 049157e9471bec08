import Lua

/// The `task` module (docs/contract.md §2.3): spawning, waiting, sleeping,
/// timeouts. `task.all` and `task.map` are written in Lua on top of these
/// (see `Prelude`).
enum TaskModule {
    static func install(_ scheduler: Scheduler) throws(ScriptError) {
        let state = scheduler.state
        let handles = try LuaObjectType<TaskHandle>(
            in: state, name: "moonwatch.task", noun: "task handle",
            methods: [
                /// handle:wait() -> the task's results, or raises its error.
                ("wait", { [unowned scheduler] handle, call throws(ScriptError) in
                    let target = try task(scheduler, handle)
                    if target === scheduler.current { throw ScriptError(.invalidArgument, "a task cannot wait for itself") }
                    if target.phase == .finished {
                        let count = try scheduler.copyOutcome(of: target, to: call.stack)
                        return target.outcome == .succeeded ? .results(count) : .raise
                    }
                    try scheduler.wait(call, for: target)
                    return .suspend
                }),
                /// handle:cancel(): stops the task; its waiters get a `canceled` error.
                ("cancel", { [unowned scheduler] handle, call throws(ScriptError) in
                    let target = try task(scheduler, handle)
                    if target === scheduler.current { throw ScriptError(.invalidArgument, "a task cannot cancel itself") }
                    scheduler.cancel(target, reason: "canceled by the script")
                    return .none
                }),
            ],
            describe: { "task: \($0.id)" })

        try state.install(LuaModule("task", [
            /// task.spawn(fn, ...) -> handle: runs fn(...) as a new task.
            .function("spawn") { [unowned scheduler] call throws(ScriptError) in
                try call.checkType(1, .function)
                let task = try scheduler.spawn(from: call.stack, functionIndex: 1, argumentCount: call.argumentCount - 1)
                try handles.push(TaskHandle(id: task.id, scheduler: scheduler), on: call.stack)
                return .results(1)
            },
            /// task.sleep(seconds): suspends the calling task; 0 lets the other tasks run first.
            .function("sleep") { [unowned scheduler] call throws(ScriptError) in
                let seconds = try call.number(1)
                guard seconds >= 0, seconds.isFinite else { throw call.argumentError(1, "a finite number of seconds >= 0 expected, got \(seconds)") }
                try scheduler.sleep(call, seconds: seconds)
                return .suspend
            },
            /// task.timeout(seconds, fn, ...) -> fn's results, or raises a `timeout` error
            /// after cancelling fn (its `<close>` variables run).
            .function("timeout") { [unowned scheduler] call throws(ScriptError) in
                let seconds = try call.number(1)
                guard seconds >= 0, !seconds.isNaN else { throw call.argumentError(1, "a number of seconds >= 0 expected, got \(seconds)") }
                try call.checkType(2, .function)
                guard call.canSuspend else { throw ScriptError(.sandbox, "'task.timeout' cannot wait here: the caller cannot yield") }
                let child = try scheduler.spawn(from: call.stack, functionIndex: 2, argumentCount: call.argumentCount - 2)
                let deadline = MonotonicClock.deadline(after: seconds)
                try scheduler.wait(call, for: child, deadline: deadline)
                return .suspend
            },
        ]))
    }
}

private func task(_ scheduler: Scheduler, _ handle: TaskHandle) throws(ScriptError) -> ScriptTask {
    guard let task = scheduler.task(withID: handle.id) else {
        throw ScriptError(.invalidArgument, "task \(handle.id) is no longer known")
    }
    return task
}

/// What a script holds for a task. When the script drops the last handle, the
/// scheduler may forget the task once it has finished.
final class TaskHandle {
    let id: Int
    /// Weak: the VM is closed, and its handles released, after the scheduler may be gone.
    private weak var scheduler: Scheduler?

    init(id: Int, scheduler: Scheduler) {
        self.id = id
        self.scheduler = scheduler
    }

    deinit { scheduler?.handleReleased(id) }
}
