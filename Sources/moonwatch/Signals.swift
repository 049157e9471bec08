import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// SIGINT and SIGTERM: the first asks the run to stop gracefully, a second one
/// exits at once with 130.
final class InterruptSignals {
    private let sources: [any DispatchSourceSignal]

    init(onInterrupt interrupt: @escaping @Sendable () -> Void) {
        let queue = DispatchQueue(label: "moonwatch.signals")
        nonisolated(unsafe) var received = 0
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                received += 1
                if received > 1 { _exit(130) }
                interrupt()
            }
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
