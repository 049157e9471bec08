#if canImport(Glibc)
import Glibc
#endif

/// The width of the terminal a descriptor writes to.
enum TerminalWidth {
    /// What a line is cut to when the width is unknown (not a terminal, or one that reports 0).
    static let fallback = 80

    /// The terminal's columns now (TIOCGWINSZ), or ``fallback``.
    static func columns(of descriptor: Int32) -> Int {
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0 else { return fallback }
        return usable(Int(size.ws_col))
    }

    /// A reported width, or ``fallback`` for 0 (a terminal that does not know its size).
    static func usable(_ reported: Int) -> Int { reported > 0 ? reported : fallback }
}
