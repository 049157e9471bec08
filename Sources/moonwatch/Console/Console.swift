import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Messages for the person at the terminal, on standard error.
enum Console {
    private struct State {
        /// The live progress line while one is shown (on a terminal): every other
        /// write clears it first and draws it again below, so log lines never
        /// land in the middle of it.
        var liveLine: [UInt8]?
        /// Set by the first failed write: standard error is gone (a closed pipe),
        /// and every later write would fail the same way.
        var broken = false
    }

    private static let state = Mutex(State())
    private static let clearLine = Array("\r\u{1B}[K".utf8)

    static func error(_ message: String) {
        writeLines(Array((message.hasSuffix("\n") ? message : message + "\n").utf8))
    }

    /// Writes whole lines, keeping the live line below them.
    static func writeLines(_ bytes: [UInt8]) {
        state.withLock { state in
            guard let line = state.liveLine else { return send(bytes, &state) }
            send(clearLine + bytes + line, &state)
        }
    }

    /// Shows `text` as the live line, redrawn in place; nil removes it. The line
    /// is cut to the terminal's width as it is now (re-read at every redraw, so
    /// a resized window is followed): a line that wraps is not cleared by `\r\e[K`.
    static func setLiveLine(_ text: String?) {
        let columns = TerminalWidth.columns(of: STDERR_FILENO)
        state.withLock { state in
            state.liveLine = text.map { Array(DisplayColumns.fit($0, into: columns).utf8) }
            send(clearLine + (state.liveLine ?? []), &state)
        }
    }

    private static func send(_ bytes: [UInt8], _ state: inout State) {
        guard !state.broken else { return }
        do throws(DescriptorWriter.Failure) {
            try DescriptorWriter.writeAll(bytes, to: STDERR_FILENO)
        } catch {
            // Nowhere left to say so: standard error is the channel that failed.
            state.broken = true
        }
    }
}
