import RunConfiguration
import Synchronization
import Transport

/// A token bucket shared run-wide by every request to one service, kept as
/// the time the next request is due (GCRA), so pauses and rate changes are
/// plain arithmetic on times.
///
/// `acquire()` takes the next free slot: callers are served strictly in the
/// order they arrived (each reservation is later than the previous one), the
/// wait happens outside any lock, and a caller cancelled while waiting gives
/// its slot back when it was the last one.
///
/// A pause (the service throttled or blocked us) is airtight: a caller whose
/// reserved slot falls inside the pause takes a new slot after it when it
/// wakes up, so nothing is sent while the service is refusing us.
package final class RateLimiter: Sendable {
    private let clock: ServiceClock

    private struct State {
        var limit: RateLimit
        /// When the next request is due if no burst is left.
        var due: Double
        /// Bumped by every pause: reservations of older epochs are checked against `voidBefore`.
        var epoch = 0
        /// Slots of older epochs before this time are void.
        var voidBefore = -Double.infinity
        /// End of the latest block (``block(for:slowingBy:)``).
        var blockedUntil = -Double.infinity

        var interval: Double { limit.period / limit.count }
        /// How far ahead of `due` a burst may go.
        var tolerance: Double { Double(limit.burst - 1) * interval }
    }

    /// A slot taken by ``acquire()``.
    private struct Slot {
        var time: Double
        var epoch: Int
        /// `due` before and after this reservation, to undo it exactly.
        var dueBefore: Double
        var dueAfter: Double
    }

    private let state: Mutex<State>

    package init(_ limit: RateLimit, clock: ServiceClock = .system) {
        self.clock = clock
        self.state = Mutex(State(limit: limit, due: clock.now()))
    }

    /// The rate in force (lower than the configured one after a block).
    package var limit: RateLimit { state.withLock { $0.limit } }

    /// Reserves a slot and returns how long to wait for it, in seconds.
    package func reserve() -> Double {
        let now = clock.now()
        return reserveSlot(now: now).time - now
    }

    private func reserveSlot(now: Double) -> Slot {
        state.withLock { state in
            let before = state.due
            let time = max(now, before - state.tolerance)
            state.due = max(before, now) + state.interval
            return Slot(time: time, epoch: state.epoch, dueBefore: before, dueAfter: state.due)
        }
    }

    /// Holds back every slot until at least `seconds` from now (the service
    /// throttled us: the whole run backs off, not just the request that was
    /// refused). Never brings a slot forward.
    package func pause(for seconds: Double) {
        guard seconds > 0 else { return }
        let now = clock.now()
        state.withLock { state in Self.hold(&state, until: now + seconds) }
    }

    private static func hold(_ state: inout State, until end: Double) {
        state.voidBefore = max(state.voidBefore, end)
        state.due = max(state.due, end + state.tolerance)
        state.epoch += 1
    }

    /// The service blocked us (the try-on firewall): pauses every slot for
    /// `seconds` and multiplies the rate by `factor` (< 1) for the rest of the
    /// run. Echoes of the same block (answers to requests that were already in
    /// flight) only extend the pause: the rate is lowered once per block.
    ///
    /// - Returns: the lowered rate, or nil when this was an echo.
    @discardableResult
    package func block(for seconds: Double, slowingBy factor: Double) -> RateLimit? {
        let now = clock.now()
        return state.withLock { state in
            let echo = now < state.blockedUntil
            state.blockedUntil = max(state.blockedUntil, now + seconds)
            var lowered: RateLimit?
            if !echo, factor > 0, factor < 1 {
                state.limit.count *= factor
                // A burst would send several queries right after the block ends.
                state.limit.burst = 1
                // Every slot reserved at the old rate is void: they are taken again at the new one.
                state.voidBefore = max(state.voidBefore, state.due)
                state.due = now
                lowered = state.limit
            }
            Self.hold(&state, until: state.blockedUntil)
            return lowered
        }
    }

    /// Whether a slot still holds once its time has come.
    private func holds(_ slot: Slot) -> Bool {
        state.withLock { $0.epoch == slot.epoch || slot.time >= $0.voidBefore }
    }

    /// Gives back an unused slot if it was the last one reserved (an earlier
    /// one cannot be handed to the next caller without doubling a later slot).
    private func release(_ slot: Slot) {
        state.withLock { state in
            guard state.epoch == slot.epoch, state.due == slot.dueAfter else { return }
            state.due = slot.dueBefore
        }
    }

    /// Waits until a request may be sent.
    package func acquire() async throws {
        while true {
            let now = clock.now()
            let slot = reserveSlot(now: now)
            if slot.time > now {
                do {
                    try await clock.sleep(slot.time - now)
                } catch {
                    release(slot)
                    throw ServiceError.wrap(error, service: nil)
                }
            }
            // A pause that began while we slept may have voided the slot: take one after it.
            if holds(slot) { return }
        }
    }
}
