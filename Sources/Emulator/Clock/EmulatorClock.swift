import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the emulator reads the time: job timelines, the signature window, token and URL
/// expiry, the firewall. Tests inject a ``ManualEmulatorClock`` and move it instead of sleeping.
package protocol EmulatorClock: Sendable {
    /// Seconds since 1970-01-01T00:00:00Z.
    func now() -> Double
}

/// The wall clock.
package struct SystemEmulatorClock: EmulatorClock {
    package init() {}

    package func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1_000_000_000
    }
}

/// A clock that moves only when told to.
package final class ManualEmulatorClock: EmulatorClock {
    private let current: Mutex<Double>

    /// Starts at `start` (default: the wall clock's current second, so signatures made with
    /// the real date still fall inside the 15-minute window).
    package init(start: Double = SystemEmulatorClock().now().rounded(.down)) {
        current = Mutex(start)
    }

    package func now() -> Double { current.withLock { $0 } }

    package func advance(by seconds: Double) {
        current.withLock { $0 += seconds }
    }

    package func set(_ seconds: Double) {
        current.withLock { $0 = seconds }
    }
}

/// The clock the emulator actually reads: the injected one plus an offset that the admin API
/// can push forward (`POST /_emulator/clock`), for tests that drive a separate process.
final class EmulatorTime: Sendable {
    private let base: any EmulatorClock
    private let offset = Atomic<Int64>(0)  // milliseconds

    init(base: any EmulatorClock) { self.base = base }

    func now() -> Double { base.now() + Double(offset.load(ordering: .relaxed)) / 1000 }

    func advance(by seconds: Double) {
        offset.add(Int64((seconds * 1000).rounded()), ordering: .relaxed)
    }
}
