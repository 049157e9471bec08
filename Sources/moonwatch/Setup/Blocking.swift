import Dispatch
import Synchronization

/// Runs async work to completion from synchronous code. The CLI's main thread
/// owns the Lua VM for the whole run, so it waits here instead of becoming an
/// async context (which would tie up a thread of Swift's small cooperative pool).
func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let result = Mutex<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        let outcome: Result<T, any Error>
        do { outcome = .success(try await body()) } catch { outcome = .failure(error) }
        result.withLock { $0 = outcome }
        done.signal()
    }
    done.wait()
    return try result.withLock { $0! }.get()
}
