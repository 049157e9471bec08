/// What a client does when a service blocks the run's IP address (the try-on
/// firewall: HTTP 403 with an HTML page, for several minutes, to clients that
/// poll too fast).
///
/// Retrying inside a block is pointless and, with a real firewall, may extend
/// it; so the whole run sends nothing to the service for `cooldown` seconds,
/// then continues at `rateFactor` times the rate it had (multiplicative
/// decrease: the configured rate was evidently too fast for this account or IP).
package struct BlockBackoff: Sendable, Equatable {
    /// Seconds during which no request is sent. Must cover the service's block:
    /// the try-on firewall (and the emulator's default) blocks for 300 s.
    package var cooldown: Double
    /// Multiplies the rate after each block (0 < factor <= 1; 1 keeps the rate).
    package var rateFactor: Double

    package init(cooldown: Double, rateFactor: Double = 0.5) {
        self.cooldown = max(0, cooldown)
        self.rateFactor = min(1, max(Double.leastNonzeroMagnitude, rateFactor))
    }

    /// The try-on default: five minutes off, then half the rate.
    package static let tryOn = BlockBackoff(cooldown: 300, rateFactor: 0.5)
}
