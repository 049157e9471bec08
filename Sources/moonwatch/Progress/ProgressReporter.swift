import Dispatch
import Foundation
import Services

#if canImport(Glibc)
import Glibc
#endif

/// Shows a run's or a batch's progress on standard error: on a terminal a live
/// line redrawn in place a few times a second; otherwise (or with
/// `--no-progress`) a plain line every `interval` seconds.
final class ProgressReporter {
    private let live: Bool
    private let queue = DispatchQueue(label: "moonwatch.progress")
    private let timer: any DispatchSourceTimer

    /// - Parameters:
    ///   - command: `run` or `batch`, to prefix the plain lines.
    ///   - live: false for `--no-progress`: plain lines even on a terminal.
    ///   - line: the current state, as one line.
    init(command: String, interval: Double, live: Bool, line: @escaping @Sendable () -> String) {
        let live = live && isatty(STDERR_FILENO) != 0
        self.live = live
        timer = DispatchSource.makeTimerSource(queue: queue)
        let period = live ? 0.25 : interval
        timer.schedule(deadline: .now() + period, repeating: period)
        timer.setEventHandler {
            if live {
                Console.setLiveLine(line())
            } else {
                Console.error("moonwatch \(command): " + line())
            }
        }
        timer.resume()
    }

    /// Stops the updates and clears the live line.
    func stop() {
        timer.setEventHandler {}
        timer.cancel()
        // An update already running could otherwise redraw the line after it is cleared.
        queue.sync {}
        if live { Console.setLiveLine(nil) }
    }
}
