#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Nanoseconds on a clock that never jumps, for timers.
enum MonotonicClock {
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// The time `seconds` (non-negative, possibly infinite) from now; saturates
    /// at the end of the clock rather than wrapping into the past.
    static func deadline(after seconds: Double) -> UInt64 {
        let value = seconds * 1e9
        let delay = value >= Double(UInt64.max) ? UInt64.max : UInt64(max(0, value))
        let (sum, overflow) = now().addingReportingOverflow(delay)
        return overflow ? UInt64.max : sum
    }
}
