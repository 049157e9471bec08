import Dispatch
import Foundation
import Services

#if canImport(Glibc)
import Glibc
#endif

/// Shows a batch's progress on standard error: on a terminal a live line redrawn
/// in place a few times a second; otherwise (or with `--no-progress`) a plain
/// line every `interval` seconds.
final class ProgressReporter {
    private let live: Bool
    private let timer: any DispatchSourceTimer

    /// - Parameter live: false for `--no-progress`: plain lines even on a terminal.
    init(line: ProgressLine, interval: Double, live: Bool) {
        let live = live && isatty(STDERR_FILENO) != 0
        self.live = live
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "moonwatch.progress"))
        let period = live ? 0.25 : interval
        timer.schedule(deadline: .now() + period, repeating: period)
        timer.setEventHandler {
            if live {
                Console.setLiveLine(line.text())
            } else {
                Console.error("moonwatch batch: " + line.text())
            }
        }
        timer.resume()
    }

    /// Stops the updates and clears the live line.
    func stop() {
        timer.setEventHandler {}
        timer.cancel()
        if live { Console.setLiveLine(nil) }
    }
}
