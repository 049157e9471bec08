import Synchronization

/// SplitMix64 (Steele, Lea and Flood), shared between threads through one atomic counter.
final class SplitMix64: Sendable {
    private let state: Atomic<UInt64>

    init(seed: UInt64) {
        state = Atomic(seed)
    }

    /// A uniformly distributed number in `0..<1`.
    func nextUnitInterval() -> Double {
        var z = state.wrappingAdd(0x9E37_79B9_7F4A_7C15, ordering: .relaxed).newValue
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) * 0x1.0p-53
    }
}
