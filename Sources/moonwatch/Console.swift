import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Messages for the person at the terminal, on standard error.
enum Console {
    /// The live progress line while one is shown (`batch` on a terminal): every
    /// other write clears it first and draws it again below, so log lines never
    /// land in the middle of it.
    private static let liveLine = Mutex<[UInt8]?>(nil)
    private static let clearLine = Array("\r\u{1B}[K".utf8)

    static func error(_ message: String) {
        writeLines(Array((message.hasSuffix("\n") ? message : message + "\n").utf8))
    }

    /// Writes whole lines, keeping the live line below them.
    static func writeLines(_ bytes: [UInt8]) {
        liveLine.withLock { line in
            guard let line else { return writeAll(bytes) }
            writeAll(clearLine + bytes + line)
        }
    }

    /// Shows `text` as the live line, redrawn in place; nil removes it.
    static func setLiveLine(_ text: String?) {
        liveLine.withLock { line in
            line = text.map { Array($0.utf8) }
            writeAll(clearLine + (line ?? []))
        }
    }

    private static func writeAll(_ bytes: [UInt8]) {
        var bytes = bytes
        bytes.withUnsafeMutableBytes { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
