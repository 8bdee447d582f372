import RessaisieCore

/// The generator's own random numbers: SplitMix64, so that a seed gives the same audit on every
/// platform and Swift version (the standard library's generator is neither seeded nor stable).
struct SeededGenerator: RandomNumberGenerator {
    private var source: SplitMix64

    init(seed: UInt64) {
        source = SplitMix64(seed: seed)
    }

    mutating func next() -> UInt64 { source.next() }

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
