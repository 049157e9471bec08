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
        let thread = try LuaThread(from: stack, functionIndex: functionIndex, argumentCount: argumentCount)
        let task = ScriptTask(id: nextTaskID, thread: thread, parent: isMain ? nil : current)
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

    /// Marks that the script dropped the last handle of task `id` (at a safe point, see ``TaskHandle``).
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
        let stack = task.thread.stack
        let base = stack.top
        let argumentCount: Int32
        do throws(ScriptError) {
            argumentCount = try push(input, onto: stack)
        } catch {
            // What the task was to receive does not fit on its stack: it receives the error instead.
            stack.top = base
            argumentCount = pushFailure(error, onto: stack)
        }
        task.phase = .running
        current = task
        let resumption = task.thread.resume(argumentCount: argumentCount)
        current = nil
        switch resumption {
        case .finished:
            finish(task, .succeeded)
        case .waitingForHost:
            task.phase = .suspended
        case .yielded:
            // A plain coroutine.yield() at a task's top level: let the others run.
            makeReady(task, .nothing)
        case .budgetExceeded, .memoryExceeded, .failed:
            fail(task, resumption)
        }
    }

    /// Pushes the values a task resumes with; returns how many.
    private func push(_ input: ResumeInput, onto stack: LuaStack) throws(ScriptError) -> Int32 {
        switch input {
        case .start(let argumentCount):
            return argumentCount
        case .nothing:
            return 0
        case .values(let values):
            try stack.requireStack(Int32(clamping: values.count) + 1)
            try stack.push(.boolean(true))
            try stack.push(values)
            return Int32(values.count) + 1
        case .failure(let error):
            return pushFailure(error, onto: stack)
        case .results(let finished):
            try stack.push(.boolean(finished.outcome == .succeeded))
            return try copyOutcome(of: finished, to: stack) + 1
        }
    }

    /// Pushes `(false, error)`, which a suspended host call raises at its call site.
    private func pushFailure(_ error: ScriptError, onto stack: LuaStack) -> Int32 {
        // A suspended coroutine keeps LUA_MINSTACK slots above what it holds, but
        // the values of a failed push may have used them.
        try? stack.requireStack(8)
        try? stack.push(.boolean(false))
        try? stack.push(error)
        return 2
    }

    /// Pushes onto `stack` the results of a finished task, or its error value
    /// (which then counts as observed); returns how many values.
    /// - Throws: `sandbox` "too many results" when they do not fit.
    func copyOutcome(of finished: ScriptTask, to stack: LuaStack) throws(ScriptError) -> Int32 {
        let count = try finished.thread.copyValues(to: stack)
        if finished.outcome != .succeeded { finished.observed = true }
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

    /// Ends a task that raised an error or was stopped by a limit: records its
    /// error and traceback, closes its pending to-be-closed variables, and keeps
    /// the error value alone on its stack for waiters.
    private func fail(_ task: ScriptTask, _ resumption: LuaThread.Resumption) {
        let (failure, problems) = task.thread.settle(resumption)
        for problem in problems { logger.warning("task \(task.id): error while closing its variables: \(problem)") }
        task.failure = failure
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
        for problem in task.thread.close() {
            logger.warning("task \(task.id): error while closing its variables: \(problem)")
        }
        task.thread.replaceValues(with: ScriptError(.canceled, reason))
        task.failure = LuaFailure(message: "canceled: \(reason)", traceback: "", kind: ScriptError.Kind.canceled.rawValue)
        finish(task, .canceled)
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
