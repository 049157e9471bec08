import Dispatch
import Foundation
import Journal
import Logging
import PostgresNIO
import Synchronization

/// The pool a shared journal talks through, made usable from the batch's worker
/// threads, which call the journal synchronously (docs/journal.md §7).
///
/// Two things postgres-nio leaves to its user are done here. Every call has a
/// deadline: the pool waits forever for a server it cannot reach, so a call that
/// gets no connection in time fails instead of hanging the run. And a call that
/// fails because the connection was lost (the server restarted, the backend was
/// terminated, the network dropped) is tried again with backoff for up to
/// ``reconnectWindow``, the pool opening new connections meanwhile; callers make
/// their statements safe to repeat.
final class PostgresBridge: Sendable {
    let client: PostgresClient
    let location: PostgresLocation
    private let runner: Task<Void, Never>
    private let logger: Logger
    /// How long one attempt may take, waiting for a connection included.
    let attemptTimeout: Duration
    /// How long a lost connection is retried before the call fails.
    let reconnectWindow: Duration
    /// When the last "connection lost" warning was logged: one every few seconds, not one per call.
    private let lastWarning = Mutex<ContinuousClock.Instant?>(nil)

    init(
        location: PostgresLocation, configuration: PostgresClient.Configuration, logger: Logger,
        attemptTimeout: Duration = .seconds(15), reconnectWindow: Duration = .seconds(60)
    ) {
        let client = PostgresClient(configuration: configuration, backgroundLogger: Logger(label: "moonwatch.postgres", factory: { _ in SwiftLogNoOpLogHandler() }))
        self.client = client
        self.location = location
        self.logger = logger
        self.attemptTimeout = attemptTimeout
        self.reconnectWindow = reconnectWindow
        runner = Task.detached { await client.run() }
    }

    /// Closes the pool's connections.
    func shutdown() { runner.cancel() }

    /// Runs `body` against the pool, repeating it while the connection is being
    /// re-established, at most ``reconnectWindow`` in all.
    /// - Parameter what: what the call does, for the error ("claim items").
    func perform<T: Sendable>(_ what: String, _ body: @escaping @Sendable (PostgresClient) async throws -> T) async throws(JournalError) -> T {
        let started = ContinuousClock.now
        var pause = Duration.milliseconds(100)
        while true {
            switch await attempt(body) {
            case .success(let value):
                return value
            case .failure(let failure):
                try giveUpUnlessRepeatable(failure, what: what, started: started, pause: pause)
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(5))
            }
        }
    }

    /// ``perform(_:_:)`` for a caller that is not in Swift concurrency (a batch
    /// worker's thread, the main thread), which waits on its own thread for each
    /// try; it must not be one of the concurrency pool's (that would starve the
    /// pool it waits for). One task per try, and the timeout is the wait's own:
    /// this is the per-item path, where every hop between threads shows.
    func run<T: Sendable>(_ what: String, _ body: @escaping @Sendable (PostgresClient) async throws -> T) throws(JournalError) -> T {
        let started = ContinuousClock.now
        var pause = Duration.milliseconds(100)
        let client = client
        let seconds = Double(attemptTimeout.components.seconds)
        while true {
            switch Self.wait(seconds: seconds, { try await body(client) }) {
            case .success(let value):
                return value
            case .failure(let failure):
                try giveUpUnlessRepeatable(failure, what: what, started: started, pause: pause)
                Thread.sleep(forTimeInterval: Double(pause.components.attoseconds) / 1e18 + Double(pause.components.seconds))
                pause = min(pause * 2, .seconds(5))
            }
        }
    }

    /// Runs `body` as a task and waits for it on this thread, at most `seconds`;
    /// past that the task is canceled and left to end on its own.
    static func wait<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () async throws -> T) -> Result<T, any Error> {
        let outcome = FirstOutcome<T>()
        let finished = DispatchSemaphore(value: 0)
        let task = Task.detached {
            do { outcome.finish(.success(try await body())) } catch { outcome.finish(.failure(error)) }
            finished.signal()
        }
        if finished.wait(timeout: .now() + seconds) == .timedOut {
            task.cancel()
            outcome.finish(.failure(PostgresFailure.timedOut(after: seconds)))
        }
        return outcome.result!
    }

    /// Throws the failure as a journal error unless it is a lost connection and
    /// the next try, after `pause`, still falls within ``reconnectWindow``.
    private func giveUpUnlessRepeatable(_ failure: any Error, what: String, started: ContinuousClock.Instant, pause: Duration) throws(JournalError) {
        let error = PostgresFailure(failure)
        guard error.isConnectionLoss, ContinuousClock.now - started + pause < reconnectWindow, !Task.isCancelled else {
            throw JournalError("cannot \(what) in the journal (\(location.place)): \(error.describe(location))")
        }
        warnThrottled("lost the connection to \(location) (\(error.describe(location))); retrying")
    }

    /// One try, given up after ``attemptTimeout``. The timeout does not wait for
    /// `body` to notice its cancellation: a pool that waits for a connection may not.
    private func attempt<T: Sendable>(_ body: @escaping @Sendable (PostgresClient) async throws -> T) async -> Result<T, any Error> {
        let client = client
        let timeout = attemptTimeout
        let outcome = FirstOutcome<T>()
        return await withCheckedContinuation { continuation in
            outcome.deliver(to: continuation)
            let work = Task.detached {
                do { outcome.finish(.success(try await body(client))) } catch { outcome.finish(.failure(error)) }
            }
            Task.detached {
                try? await Task.sleep(for: timeout)
                outcome.finish(.failure(PostgresFailure.timedOut(after: Double(timeout.components.seconds))))
                work.cancel()
            }
        }
    }

    private func warnThrottled(_ message: String) {
        let now = ContinuousClock.now
        let due = lastWarning.withLock { last -> Bool in
            guard last.map({ now - $0 >= .seconds(5) }) ?? true else { return false }
            last = now
            return true
        }
        if due { logger.warning("\(message)") }
    }
}

/// Whichever of a call and its timer finishes first is the outcome: it resumes
/// the waiter, if one awaits it, and the later one is ignored.
private final class FirstOutcome<T: Sendable>: Sendable {
    private struct State {
        var waiter: CheckedContinuation<Result<T, any Error>, Never>?
        var result: Result<T, any Error>?
    }
    private let state = Mutex(State())

    /// Resumes `continuation` with the outcome, now or once there is one.
    func deliver(to continuation: CheckedContinuation<Result<T, any Error>, Never>) {
        let ready: Result<T, any Error>? = state.withLock { state in
            if state.result == nil { state.waiter = continuation }
            return state.result
        }
        if let ready { continuation.resume(returning: ready) }
    }

    func finish(_ result: Result<T, any Error>) {
        let waiter: CheckedContinuation<Result<T, any Error>, Never>? = state.withLock { state in
            guard state.result == nil else { return nil }
            state.result = result
            return state.waiter.take()
        }
        waiter?.resume(returning: result)
    }

    /// The first outcome, once there is one.
    var result: Result<T, any Error>? { state.withLock { $0.result } }
}
