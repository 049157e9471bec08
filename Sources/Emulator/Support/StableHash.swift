/// Hashes that stay the same across runs and machines (unlike `Hasher`), so that a scenario,
/// a seed and an id always produce the same timeline, file content and request ids.
enum StableHash {
    /// FNV-1a over the UTF-8 bytes of each part (with a separator between parts), seeded,
    /// then finished with the SplitMix64 mixer so that nearby inputs spread over all 64 bits.
    static func of(_ parts: String..., seed: UInt64) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ mix(seed)
        for part in parts {
            for byte in part.utf8 {
                h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
            h = (h ^ 0x1f) &* 0x0000_0100_0000_01b3
        }
        return mix(h)
    }

    /// The SplitMix64 finalizer.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// A small deterministic generator for derived values (durations, choices).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { self.state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        return StableHash.mix(state)
    }

    /// A value in `range`, uniform enough for picking durations and variants.
    mutating func next(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
}
