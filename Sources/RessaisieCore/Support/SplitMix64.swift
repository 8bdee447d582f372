/// SplitMix64 (Steele, Lea & Flood 2014): random numbers that are the same on every platform and Swift
/// version for a seed (the standard library's generator is neither seeded nor stable). The review's sample
/// and the synthetic audits are drawn from it, so a seed gives the same sample and the same audit everywhere.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    @usableFromInline var state: UInt64

    @inlinable
    public init(seed: UInt64) { state = seed }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in 0..<bound (multiply-shift).
    @inlinable
    public mutating func below(_ bound: UInt64) -> UInt64 { next().multipliedFullWidth(by: bound).high }
}
