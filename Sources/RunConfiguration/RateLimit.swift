import JSON

/// A request rate such as `"10/min"`: `count` requests per `period` seconds,
/// with at most `burst` sent back to back.
package struct RateLimit: Sendable, Equatable, CustomStringConvertible {
    package var count: Double
    package var period: Double
    package var burst: Int

    package init(count: Double, per period: Double, burst: Int = 1) {
        self.count = count
        self.period = period
        self.burst = max(1, burst)
    }

    /// Parses `N/unit` where N is a positive number and unit is one of
    /// `s`, `sec`, `second`, `m`, `min`, `minute`, `h`, `hour` (plural forms too).
    /// Requests are spread evenly (burst 1): the try-on service blocks clients
    /// that send bursts.
    package init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let count = Double(String(parts[0]).trimmingSpaces), count > 0, count.isFinite
        else { return nil }
        let period: Double
        switch String(parts[1]).trimmingSpaces.lowercased() {
        case "s", "sec", "secs", "second", "seconds": period = 1
        case "m", "min", "mins", "minute", "minutes": period = 60
        case "h", "hr", "hour", "hours": period = 3600
        default: return nil
        }
        self.init(count: count, per: period)
    }

    package var description: String {
        let unit = period == 1 ? "s" : period == 60 ? "min" : period == 3600 ? "hour" : "\(period)s"
        let number = count.rounded() == count ? String(Int64(count)) : String(count)
        return "\(number)/\(unit)"
    }
}
