import Dispatch
import Lua
import Synchronization

/// What other threads tell the scheduler. The only way into the VM's thread.
enum InboxMessage: Sendable {
    /// A host operation finished: resume the task if it still waits for it.
    case completed(taskID: Int, generation: UInt64, result: Result<[LuaValue], ScriptError>)
    /// SIGINT or SIGTERM: stop.
    case interrupt
}

/// A thread-safe mailbox with a wake-up for the scheduler's idle wait.
final class Inbox: Sendable {
    private let messages = Mutex<[InboxMessage]>([])
    private let wakeup = DispatchSemaphore(value: 0)

    func post(_ message: InboxMessage) {
        messages.withLock { $0.append(message) }
        wakeup.signal()
    }

    func takeAll() -> [InboxMessage] {
        messages.withLock { queue in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
    }

    /// Sleeps until a message is posted or the deadline passes (nil: no deadline).
    func wait(until deadline: UInt64?) {
        guard let deadline else {
            wakeup.wait()
            return
        }
        let now = MonotonicClock.now()
        guard deadline > now else { return }
        _ = wakeup.wait(timeout: .now() + .nanoseconds(Int(min(deadline - now, UInt64(Int.max)))))
    }
}
