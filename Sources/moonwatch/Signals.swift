import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// SIGINT and SIGTERM: the first asks the run to stop gracefully and arms a
/// hard stop; a second one exits at once with 130.
///
/// The graceful stop is carried out by the Lua thread, between two resumes.
/// A thread stuck inside one long C call (a library function, a script with
/// `--instruction-budget 0`) never gets there, so the hard stop ends the
/// process `grace` seconds plus one after the first signal, whatever the Lua
/// thread is doing. The journal stays consistent: every SQLite transaction
/// commits whole or not at all, as after a `kill -9`.
final class InterruptSignals {
    private let sources: [any DispatchSourceSignal]

    /// Time the graceful stop has beyond the grace itself: canceling the tasks
    /// and running their `<close>` handlers.
    static let closingTime = 1.0

    init(grace: Double, onInterrupt interrupt: @escaping @Sendable () -> Void) {
        let queue = DispatchQueue(label: "moonwatch.signals")
        nonisolated(unsafe) var received = 0
        let hardStop = grace + Self.closingTime
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                received += 1
                if received > 1 { _exit(130) }
                interrupt()
                queue.asyncAfter(deadline: .now() + hardStop) {
                    Self.writeToStandardError(
                        "moonwatch: interrupted, and the script did not stop within \(hardStop) s (stuck in one long call?): exiting\n")
                    _exit(130)
                }
            }
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }

    /// One write(2), best effort: the process is about to end.
    private static func writeToStandardError(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}
