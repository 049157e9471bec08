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

    /// Seconds (finite, non-negative) as nanoseconds, saturating.
    static func nanoseconds(_ seconds: Double) -> UInt64 {
        let value = seconds * 1e9
        return value >= Double(UInt64.max) ? UInt64.max : UInt64(max(0, value))
    }
}
