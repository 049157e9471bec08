import Synchronization

/// A request rate such as `"10/min"`: `count` requests per `period` seconds,
/// with at most `burst` sent back to back.
public struct RateLimit: Sendable, Equatable, CustomStringConvertible {
    public var count: Double
    public var period: Double
    public var burst: Int

    public init(count: Double, per period: Double, burst: Int = 1) {
        self.count = count
        self.period = period
        self.burst = max(1, burst)
    }

    /// Requests per second.
    public var perSecond: Double { count / period }

    /// Parses `N/unit` where N is a positive number and unit is one of
    /// `s`, `sec`, `second`, `m`, `min`, `minute`, `h`, `hour` (plural forms too).
    /// Requests are spread evenly (burst 1): the try-on service blocks clients
    /// that send bursts.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let count = Double(parts[0].trimmingCharacters), count > 0, count.isFinite
        else { return nil }
        let period: Double
        switch parts[1].trimmingCharacters.lowercased() {
        case "s", "sec", "secs", "second", "seconds": period = 1
        case "m", "min", "mins", "minute", "minutes": period = 60
        case "h", "hr", "hour", "hours": period = 3600
        default: return nil
        }
        self.init(count: count, per: period)
    }

    public var description: String {
        let unit = period == 1 ? "s" : period == 60 ? "min" : period == 3600 ? "hour" : "\(period)s"
        let number = count.rounded() == count ? String(Int64(count)) : String(count)
        return "\(number)/\(unit)"
    }
}

extension Substring {
    var trimmingCharacters: Substring { String(self).trimmingSpaces }
}

/// A token bucket shared run-wide by every request to one service.
///
/// `acquire()` takes the next free slot: callers are served strictly in the
/// order they arrived (each reservation is later than the previous one), the
/// wait happens outside any lock, and a caller cancelled while waiting gives
/// its slot back.
public final class RateLimiter: Sendable {
    public let limit: RateLimit
    private let clock: ServiceClock

    private struct State {
        var tokens: Double
        var updated: Double
    }
    private let state: Mutex<State>

    public init(_ limit: RateLimit, clock: ServiceClock = .system) {
        self.limit = limit
        self.clock = clock
        self.state = Mutex(State(tokens: Double(limit.burst), updated: clock.now()))
    }

    private func refill(_ state: inout State, now: Double) {
        let elapsed = max(0, now - state.updated)
        state.tokens = min(Double(limit.burst), state.tokens + elapsed * limit.perSecond)
        state.updated = now
    }

    /// Reserves a slot and returns how long to wait for it, in seconds.
    public func reserve() -> Double {
        let now = clock.now()
        return state.withLock { state in
            refill(&state, now: now)
            state.tokens -= 1
            return state.tokens >= 0 ? 0 : -state.tokens / limit.perSecond
        }
    }

    /// Holds back every slot not yet reserved until at least `seconds` from
    /// now (the service throttled us: the whole run backs off, not just the
    /// request that was refused). Never brings a slot forward.
    public func pause(for seconds: Double) {
        guard seconds > 0 else { return }
        let now = clock.now()
        state.withLock { state in
            refill(&state, now: now)
            state.tokens = min(state.tokens, 1 - seconds * limit.perSecond)
        }
    }

    /// Gives back a reserved slot that will not be used.
    public func release() {
        state.withLock { $0.tokens = min(Double(limit.burst), $0.tokens + 1) }
    }

    /// Waits until a request may be sent.
    public func acquire() async throws {
        let wait = reserve()
        guard wait > 0 else { return }
        do {
            try await clock.sleep(wait)
        } catch {
            release()
            throw ServiceError.wrap(error, service: nil)
        }
    }
}
