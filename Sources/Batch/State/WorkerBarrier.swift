import Synchronization

/// Lets the first VM wait until every VM's lanes have finished (or its run has
/// ended), before it calls the script's `done(summary)`.
final class WorkerBarrier: Sendable {
    private struct State {
        var arrived: Set<Int> = []
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let count: Int
    private let state = Mutex(State())

    init(count: Int) { self.count = count }

    /// Worker `index` is through; idempotent.
    func arrive(_ index: Int) {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.arrived.insert(index)
            guard s.arrived.count == count else { return [] }
            defer { s.waiters = [] }
            return s.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { s -> Bool in
                if s.arrived.count == count { return true }
                s.waiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }
}
