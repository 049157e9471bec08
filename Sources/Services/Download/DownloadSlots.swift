import Synchronization
import Transport

/// The run-wide cap on concurrent downloads: a FIFO counting semaphore whose
/// waiters leave the queue as soon as their task is cancelled.
final class DownloadSlots: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var available: Int
        var waiters: [Waiter] = []
        var nextID: UInt64 = 0
    }

    private let state: Mutex<State>

    init(_ count: Int) {
        state = Mutex(State(available: max(1, count)))
    }

    /// Waits for a free slot. Pair every successful call with ``release()``.
    /// - Throws: `canceled` when the task is cancelled while waiting.
    func acquire() async throws(ServiceError) {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        do {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    // Checked under the lock that the cancel handler takes too: a
                    // cancellation either finds this waiter queued or is seen here.
                    let granted: Bool? = state.withLock { state in
                        if Task.isCancelled { return nil }
                        if state.available > 0 {
                            state.available -= 1
                            return true
                        }
                        state.waiters.append(Waiter(id: id, continuation: continuation))
                        return false
                    }
                    switch granted {
                    case nil: continuation.resume(throwing: CancellationError())
                    case true?: continuation.resume()
                    case false?: break
                    }
                }
            } onCancel: {
                let waiter = state.withLock { state -> Waiter? in
                    guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                    return state.waiters.remove(at: index)
                }
                waiter?.continuation.resume(throwing: CancellationError())
            }
        } catch {
            throw ServiceError(.canceled, "canceled while waiting for a download slot")
        }
    }

    /// Frees a slot, handing it to the longest waiter.
    func release() {
        let next = state.withLock { state -> Waiter? in
            if state.waiters.isEmpty {
                state.available += 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.continuation.resume()
    }
}
