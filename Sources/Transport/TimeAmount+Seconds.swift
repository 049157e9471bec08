import NIOCore

extension TimeAmount {
    /// Seconds as a TimeAmount, negative values as zero and huge ones capped.
    package static func clampedSeconds(_ seconds: Double) -> TimeAmount {
        .nanoseconds(Int64(max(0, min(seconds, 1e9)) * 1e9))
    }
}
