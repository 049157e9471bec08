import CLua
import CLuaShim
import Logging
import Lua
import Synchronization

/// Runs many Lua tasks on one VM and one thread, OpenResty-style: a task runs
/// until it yields; a host operation suspends only its task; timers, finished
/// operations and signals wake tasks up.
///
/// Everything here runs on the VM's thread. Other threads reach the scheduler
/// only through its ``Inbox``.
final class Scheduler {
    let state: LuaState
    let inbox = Inbox()
    let logger: Logger

    private var timers = TimerHeap()
    private var ready: [(task: ScriptTask, input: ResumeInput)] = []
    private var readyHead = 0
    private(set) var tasks: [Int: ScriptTask] = [:]
    private var nextTaskID = 1
    /// Tasks waiting for a host operation (they will be woken through the inbox).
    private var operationsInFlight = 0
    /// Handles the garbage collector released; processed at the next safe point
    /// because finalizers may run in the middle of any allocation.
    private var releasedHandles: [Int] = []

    /// The task whose coroutine is running now.
    private(set) var current: ScriptTask?
    private(set) var main: ScriptTask?
    private(set) var interrupted = false
    /// Failed tasks nobody waited for.
    private(set) var unobservedFailures: [(id: Int, message: String, traceback: String)] = []

    /// Seconds that host operations in flight at an interrupt may take to finish.
    private let interruptGrace: Double
    /// Set by an interrupt while operations were in flight: until then (or until
    /// none is left), those operations finish and their tasks run on, but no
    /// task starts a sleep or an operation (it is halted instead).
    private var drainDeadline: UInt64?

    init(state: LuaState, logger: Logger, interruptGrace: Double = 0) {
        self.state = state
        self.logger = logger
        self.interruptGrace = interruptGrace
    }

    // MARK: Tasks

    /// Creates a task that will call the function at `functionIndex` of `stack`
    /// with the `argumentCount` values above it. The values stay on `stack`.
    /// - Throws: `invalid_argument` when the values do not fit on a Lua stack.
    @discardableResult
    func spawn(from stack: LuaStack, functionIndex: Int32, argumentCount: Int32, isMain: Bool = false) throws(ScriptError) -> ScriptTask {
        // Room for the copies below (and the new thread) on both stacks: pushing past it corrupts memory.
        guard lua_checkstack(stack.L, argumentCount + 2) != 0 else {
            throw ScriptError(.invalidArgument, "too many arguments for a task (\(argumentCount))")
        }
        let thread = lua_newthread(stack.L)!
        let threadRef = stack.ref(at: -1)
        stack.pop()
        guard lua_checkstack(thread, argumentCount + 1) != 0 else {
            throw ScriptError(.invalidArgument, "too many arguments for a task (\(argumentCount))")
        }
        let first = lua_absindex(stack.L, functionIndex)
        for index in first...(first + argumentCount) { lua_pushvalue(stack.L, index) }
        lua_xmove(stack.L, thread, argumentCount + 1)

        let task = ScriptTask(id: nextTaskID, thread: thread, threadRef: threadRef, parent: isMain ? nil : current)
        task.local = isMain ? nil : current?.local
        nextTaskID += 1
        tasks[task.id] = task
        current?.children[task.id] = task
        if isMain {
            main = task
            task.handleReleased = true  // no script holds the main task's handle
        }
        makeReady(task, .start(argumentCount: argumentCount))
        return task
    }

    func task(withID id: Int) -> ScriptTask? { tasks[id] }

    /// Marks that the script dropped the handle of task `id` (called from `__gc`).
    func handleReleased(_ id: Int) { releasedHandles.append(id) }

    // MARK: Suspending and waking

    /// Suspends the calling task until `wait` ends; returns the generation its
    /// wake-up must carry. Fails where the caller cannot yield.
    func suspendCurrent(_ call: LuaCall, on wait: ScriptTask.Wait) throws(ScriptError) -> (task: ScriptTask, generation: UInt64) {
        guard let task = current, call.canSuspend else {
            throw ScriptError(
                .sandbox,
                "'\(call.name)' cannot wait here: it was called where Lua cannot yield (inside a metamethod, a table.sort comparator, a string.gsub callback or a C function)"
            )
        }
        task.generation &+= 1
        task.wait = wait
        if case .operation = wait { operationsInFlight += 1 }
        return (task, task.generation)
    }

    /// While draining after an interrupt, halts the calling task instead of
    /// letting it start new work; returns whether it did.
    private func haltIfDraining(_ call: LuaCall) throws(ScriptError) -> Bool {
        guard drainDeadline != nil else { return false }
        _ = try suspendCurrent(call, on: .halted)
        return true
    }

    /// Suspends the calling task for `seconds`.
    func sleep(_ call: LuaCall, seconds: Double) throws(ScriptError) {
        if try haltIfDraining(call) { return }
        let (task, generation) = try suspendCurrent(call, on: .sleep)
        timers.schedule(at: MonotonicClock.deadline(after: seconds), taskID: task.id, generation: generation)
    }

    /// Suspends the calling task until `target` finishes, or until `deadline` when given.
    func wait(_ call: LuaCall, for target: ScriptTask, deadline: UInt64? = nil) throws(ScriptError) {
        let wait: ScriptTask.Wait = deadline == nil ? .task(target) : .taskWithDeadline(target)
        let (task, generation) = try suspendCurrent(call, on: wait)
        target.waiters.append((task, generation))
        if let deadline { timers.schedule(at: deadline, taskID: task.id, generation: generation) }
    }

    /// Resumes `task` with `input` if it still waits under `generation`.
    private func wake(_ task: ScriptTask, generation: UInt64, _ input: ResumeInput) {
        guard task.phase == .suspended, task.generation == generation else { return }
        if case .operation = task.wait { operationsInFlight -= 1 }
        task.wait = nil
        makeReady(task, input)
    }

    private func makeReady(_ task: ScriptTask, _ input: ResumeInput) {
        task.phase = .ready
        ready.append((task, input))
    }

    // MARK: Running

    /// Resumes one task and handles how it stopped.
    private func resume(_ task: ScriptTask, _ input: ResumeInput) {
        guard task.phase == .ready else { return }
        let thread = task.thread
        let argumentCount = push(input, onto: thread)
        task.phase = .running
        current = task
        var resultCount: Int32 = 0
        let status = mw_resume(thread, nil, argumentCount, &resultCount)
        current = nil
        switch status {
        case LUA_OK:
            finish(task, .succeeded)
        case LUA_YIELD where state.isAborting:
            fail(task, status: status)
        case LUA_YIELD where mw_ishostyield(thread, resultCount) != 0:
            lua_settop(thread, -resultCount - 1)
            task.phase = .suspended
        case LUA_YIELD:
            // A plain coroutine.yield() at a task's top level: let the others run.
            lua_settop(thread, -resultCount - 1)
            makeReady(task, .nothing)
        default:
            fail(task, status: status)
        }
    }

    /// Pushes the values a task resumes with; returns how many.
    private func push(_ input: ResumeInput, onto thread: OpaquePointer) -> Int32 {
        let stack = state.stack(thread)
        switch input {
        case .start(let argumentCount):
            return argumentCount
        case .nothing:
            return 0
        case .values(let values):
            lua_checkstack(thread, Int32(values.count) + 1)
            lua_pushboolean(thread, 1)
            for value in values { stack.push(value) }
            return Int32(values.count) + 1
        case .failure(let error):
            lua_pushboolean(thread, 0)
            stack.push(error)
            return 2
        case .results(let finished):
            lua_checkstack(thread, 1)
            lua_pushboolean(thread, finished.outcome == .succeeded ? 1 : 0)
            return copyOutcome(of: finished, to: thread) + 1
        }
    }

    /// Pushes onto `thread` the results of a finished task, or its error value
    /// (which then counts as observed); returns how many values.
    func copyOutcome(of finished: ScriptTask, to thread: OpaquePointer) -> Int32 {
        let source = finished.thread
        let count = lua_gettop(source)
        lua_checkstack(thread, count)
        lua_checkstack(source, 1)
        if finished.outcome != .succeeded { finished.observed = true }
        for index in stride(from: Int32(1), through: count, by: 1) {
            lua_pushvalue(source, index)
            lua_xmove(source, thread, 1)
        }
        return count
    }

    private func finish(_ task: ScriptTask, _ outcome: ScriptTask.Outcome) {
        task.phase = .finished
        task.outcome = outcome
        task.wait = nil
        task.generation &+= 1
        task.parent?.children[task.id] = nil
        let waiters = task.waiters
        task.waiters = []
        for waiter in waiters { wake(waiter.task, generation: waiter.generation, .results(of: task)) }
        if outcome == .canceled { task.observed = true }
        if task.handleReleased { retire(task) }
    }

    /// Ends a task that raised an error or was stopped by a limit: computes its
    /// traceback, closes its pending to-be-closed variables, and keeps the error
    /// value alone on its stack for waiters.
    private func fail(_ task: ScriptTask, status: Int32) {
        let thread = task.thread
        let main = state.stack
        switch status {
        case LUA_YIELD:
            mw_pushbudgeterror(main.L)
        case LUA_ERRMEM:
            var error = ScriptError(.sandbox, "memory limit of \(state.memoryLimitDescription) exceeded")
            mw_pushwhere(thread)
            error.fields["where"] = .string(state.stack(thread).string(at: -1) ?? "?")
            lua_settop(thread, -2)
            main.push(error)
        default:
            lua_pushvalue(thread, -1)
            lua_xmove(thread, main.L, 1)
        }
        var kind: String?
        if lua_type(main.L, -1) == LUA_TTABLE {
            main.push(.string("kind"))
            lua_rawget(main.L, -2)
            kind = main.string(at: -1)
            main.pop()
        }
        mw_pushtostring(main.L, -1)
        let message = main.string(at: -1) ?? "?"
        mw_pushtraceback(main.L, thread, message, 0)
        let traceback = main.string(at: -1) ?? message
        main.pop(2)

        resetThread(task)
        lua_settop(thread, 0)
        lua_xmove(main.L, thread, 1)
        task.failure = (message, traceback, kind)
        finish(task, .failed)
    }

    /// Stops a task that has not finished: undoes its wait, cancels its
    /// children first, runs its `<close>` handlers. Its waiters get a `canceled` error.
    func cancel(_ task: ScriptTask, reason: String) {
        guard task.phase != .finished, task !== current else { return }
        for child in task.children.values { cancel(child, reason: reason) }
        switch task.wait {
        case .task(let target), .taskWithDeadline(let target):
            target.waiters.removeAll { $0.task === task }
        case .operation(let cancelOperation):
            operationsInFlight -= 1
            cancelOperation()
        case .sleep, .halted, nil:
            break
        }
        task.wait = nil
        resetThread(task)
        lua_settop(task.thread, 0)
        state.stack(task.thread).push(ScriptError(.canceled, reason))
        task.failure = ("canceled: \(reason)", "", ScriptError.Kind.canceled.rawValue)
        finish(task, .canceled)
    }

    /// Closes a coroutine's pending to-be-closed variables. Never resets a
    /// coroutine that is resuming another one: that would unwind a live C call.
    private func resetThread(_ task: ScriptTask) {
        let thread = task.thread
        let status = lua_status(thread)
        var record = lua_Debug()
        guard status != LUA_OK || lua_getstack(thread, 0, &record) == 0 else { return }
        if status == LUA_YIELD {
            let main = state.stack
            for _ in 0..<mw_closewaiting(thread, main.L) {
                logger.warning("task \(task.id): error while closing the variables of a coroutine it was in: \(main.popString())")
            }
        }
        // For a coroutine that raised, the result is that error again (or one a
        // __close handler raised); only a suspended one reports close errors here.
        if lua_resetthread(thread) != LUA_OK && (status == LUA_OK || status == LUA_YIELD) {
            logger.warning("task \(task.id): error while closing its variables: \(state.stack(thread).popString())")
        }
    }

    /// Forgets a finished task whose handle the script no longer holds.
    private func retire(_ task: ScriptTask) {
        tasks[task.id] = nil
        if task.outcome == .failed, !task.observed, let failure = task.failure, task !== main {
            unobservedFailures.append((task.id, failure.message, failure.traceback))
            logger.error("task \(task.id) failed and nobody waited for it: \(failure.traceback)")
        }
    }

    // MARK: The loop

    /// Runs until the main task and every task it spawned have finished, the
    /// main task failed, or a signal arrived.
    func run() {
        while true {
            state.releaseDeadReferences()
            processReleasedHandles()
            for message in inbox.takeAll() { receive(message) }
            fireTimers(now: MonotonicClock.now())
            runReadyTasks()
            if isDone { break }
            if readyHead == ready.count {
                if timers.isEmpty && operationsInFlight == 0 {
                    failDeadlock()
                    break
                }
                inbox.wait(until: [timers.nextDeadline, drainDeadline].compactMap { $0 }.min())
            }
        }
        for task in tasks.values where task.phase == .finished { retireAtEnd(task) }
    }

    private var isDone: Bool {
        if interrupted {
            guard let drainDeadline else { return true }
            // An operation in flight belongs to a task that has not finished.
            if operationsInFlight > 0 && MonotonicClock.now() < drainDeadline { return false }
            if operationsInFlight > 0 { logger.warning("interrupted: canceling \(operationsInFlight) operation(s) still in flight") }
            cancelAll(reason: "interrupted")
            return true
        }
        guard let main, main.phase == .finished else { return false }
        if main.outcome != .succeeded {
            cancelAll(reason: "the main chunk failed")
            return true
        }
        return tasks.values.allSatisfy { $0.phase == .finished }
    }

    private func runReadyTasks() {
        // Only the tasks ready now: those that become ready meanwhile wait for the
        // next round, after timers and completions have had their turn.
        let end = ready.count
        while readyHead < end {
            let (task, input) = ready[readyHead]
            readyHead += 1
            resume(task, input)
            if interrupted && drainDeadline == nil { break }
        }
        if readyHead == ready.count {
            ready.removeAll(keepingCapacity: true)
            readyHead = 0
        } else if readyHead > 1024 && readyHead * 2 > ready.count {
            ready.removeFirst(readyHead)
            readyHead = 0
        }
    }

    private func fireTimers(now: UInt64) {
        while let entry = timers.popDue(now: now) {
            guard let task = tasks[entry.taskID], task.phase == .suspended, task.generation == entry.generation else { continue }
            switch task.wait {
            case .sleep:
                wake(task, generation: entry.generation, .values([]))
            case .taskWithDeadline(let target):
                target.waiters.removeAll { $0.task === task }
                cancel(target, reason: "task.timeout expired")
                wake(task, generation: entry.generation, .failure(ScriptError(.timeout, "task.timeout: the function did not finish in time")))
            default:
                break
            }
        }
    }

    private func receive(_ message: InboxMessage) {
        switch message {
        case .completed(let taskID, let generation, let result):
            guard let task = tasks[taskID] else { return }
            switch result {
            case .success(let values): wake(task, generation: generation, .values(values))
            case .failure(let error): wake(task, generation: generation, .failure(error))
            }
        case .interrupt:
            guard !interrupted else { return }
            interrupted = true
            guard interruptGrace > 0, operationsInFlight > 0 else {
                cancelAll(reason: "interrupted")
                return
            }
            drainDeadline = MonotonicClock.deadline(after: interruptGrace)
            logger.warning(
                "interrupted: letting \(operationsInFlight) operation(s) in flight finish (at most \(interruptGrace) s); starting nothing new; interrupt again to stop at once")
        }
    }

    private func cancelAll(reason: String) {
        for task in tasks.values.sorted(by: { $0.id > $1.id }) { cancel(task, reason: reason) }
    }

    private func processReleasedHandles() {
        guard !releasedHandles.isEmpty else { return }
        let released = releasedHandles
        releasedHandles.removeAll()
        for id in released {
            guard let task = tasks[id] else { continue }
            task.handleReleased = true
            if task.phase == .finished { retire(task) }
        }
    }

    private func retireAtEnd(_ task: ScriptTask) {
        task.handleReleased = true
        retire(task)
    }

    /// Nothing can wake any task: report it instead of hanging forever.
    private func failDeadlock() {
        let stuck = tasks.values.filter { $0.phase == .suspended }.map(\.id).sorted()
        logger.error("deadlock: tasks \(stuck) wait for each other and nothing else can wake them")
        cancelAll(reason: "deadlock")
    }

    // MARK: Host operations

    /// Runs `operation` off the VM's thread while the calling task is suspended;
    /// the task resumes with its results or raises its error. Cancelling the
    /// task cancels the Swift task.
    func perform(
        _ call: LuaCall,
        _ operation: @escaping @Sendable () async throws(ScriptError) -> [LuaValue]
    ) throws(ScriptError) -> HostResult {
        if try haltIfDraining(call) { return .suspend }
        let inbox = self.inbox
        let holder = OperationHolder()
        let (task, generation) = try suspendCurrent(call, on: .operation(cancel: { holder.cancel() }))
        let taskID = task.id
        holder.start {
            let result: Result<[LuaValue], ScriptError>
            do throws(ScriptError) {
                result = .success(try await operation())
            } catch {
                result = .failure(error)
            }
            inbox.post(.completed(taskID: taskID, generation: generation, result: result))
        }
        return .suspend
    }
}

/// The Swift task behind a host operation, so that cancelling can reach it.
private final class OperationHolder: Sendable {
    private let task = Mutex<Task<Void, Never>?>(nil)

    func start(_ body: @escaping @Sendable () async -> Void) {
        task.withLock { $0 = Task(operation: body) }
    }

    func cancel() {
        task.withLock { $0?.cancel() }
    }
}
