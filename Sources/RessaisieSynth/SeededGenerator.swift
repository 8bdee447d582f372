/// The generator's own random numbers: SplitMix64, so that a seed gives the same audit on every
/// platform and Swift version (the standard library's generator is neither seeded nor stable).
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `range` (Lemire's multiply-shift; the bias is far below what matters here).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound + 1)
        return range.lowerBound + Int(next().multipliedFullWidth(by: span).high)
    }

    /// A uniform double in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    mutating func pick<T>(_ values: [T]) -> T { values[int(0...(values.count - 1))] }

    /// An index drawn with the given weights.
    mutating func weighted(_ weights: [Double]) -> Int {
        var draw = unit() * weights.reduce(0, +)
        for (index, weight) in weights.enumerated() {
            draw -= weight
            if draw < 0 { return index }
        }
        return weights.count - 1
    }

    /// A generator for a sub-task, independent of how many numbers the caller draws afterwards.
    mutating func fork() -> SeededGenerator { SeededGenerator(seed: next()) }
}
