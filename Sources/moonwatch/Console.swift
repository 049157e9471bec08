#if canImport(Glibc)
import Glibc
#endif

/// Messages for the person at the terminal.
enum Console {
    static func error(_ message: String) {
        var bytes = Array((message.hasSuffix("\n") ? message : message + "\n").utf8)
        bytes.withUnsafeMutableBytes { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
