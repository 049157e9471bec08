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
                let error = PostgresFailure(failure)
                guard error.isConnectionLoss, ContinuousClock.now - started + pause < reconnectWindow, !Task.isCancelled else {
                    throw JournalError("cannot \(what) in the journal (\(location.place)): \(error.describe(location))")
                }
                warnThrottled("lost the connection to \(location) (\(error.describe(location))); retrying")
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(5))
            }
        }
    }

    /// ``perform(_:_:)`` for a caller that is not in Swift concurrency (a batch
    /// worker's thread, the main thread): it waits on its own thread, which must
    /// not be one of the concurrency pool's (that would starve the pool it waits for).
    func run<T: Sendable>(_ what: String, _ body: @escaping @Sendable (PostgresClient) async throws -> T) throws(JournalError) -> T {
        let outcome = Mutex<Result<T, JournalError>?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Task.detached { [self] in
            let result: Result<T, JournalError>
            do throws(JournalError) { result = .success(try await perform(what, body)) } catch { result = .failure(error) }
            outcome.withLock { $0 = result }
            finished.signal()
        }
        // perform is bounded: every attempt by attemptTimeout, all of them by reconnectWindow.
        finished.wait()
        return try outcome.withLock { $0! }.get()
    }

    /// One try, given up after ``attemptTimeout``. The timeout does not wait for
    /// `body` to notice its cancellation: a pool that waits for a connection may not.
    private func attempt<T: Sendable>(_ body: @escaping @Sendable (PostgresClient) async throws -> T) async -> Result<T, any Error> {
        let client = client
        let timeout = attemptTimeout
        let outcome = FirstOutcome<T>()
        return await withCheckedContinuation { continuation in
            outcome.await(continuation)
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

/// Whichever of a call and its timer finishes first resumes the waiter; the other is ignored.
private final class FirstOutcome<T: Sendable>: Sendable {
    private let waiter = Mutex<CheckedContinuation<Result<T, any Error>, Never>?>(nil)

    func await(_ continuation: CheckedContinuation<Result<T, any Error>, Never>) {
        waiter.withLock { $0 = continuation }
    }

    func finish(_ result: Result<T, any Error>) {
        waiter.withLock { $0.take() }?.resume(returning: result)
    }
}
