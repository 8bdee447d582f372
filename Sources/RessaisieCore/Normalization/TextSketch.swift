/// A MinHash sketch of an entry's normalized free text, so that near-identical texts (a typo, a
/// truncated copy, an abbreviation left unexpanded) are found without keeping the text.
///
/// The text is cut into overlapping 3-byte shingles of its normalized form (words folded, abbreviations
/// expanded, one space between words), hashed once each into 32 slots (one-permutation MinHash); each
/// slot keeps one byte of its smallest hash (b-bit MinHash, b = 8). The share of equal slots, less the
/// 1/256 chance that two different minima share their byte, estimates the Jaccard similarity of the two
/// shingle sets (standard error about √(J(1−J)/32), 0.08 at J = 0.7), and the shingle counts turn it
/// into containment, which a truncated copy keeps high. 48 bytes an entry that has text; nothing of the
/// text can be read back.
public struct TextSketch: Sendable, Equatable {
    public static let slotCount = 32

    public var minima: SIMD32<UInt8>
    /// Number of shingles of the text.
    public var shingles: UInt32
    /// Index of the entry in its store (set by `EntryStore`).
    public var entry: UInt32 = 0
    /// Fingerprint of the entry's structured part (label, value, unit); near-duplicate texts count as one
    /// fact only when these agree.
    public var head: UInt64

    /// The sketch of normalized text (at least one byte).
    ///
    /// One-permutation hashing: each shingle is hashed once; the top 5 bits of its hash pick a slot, which
    /// keeps the smallest of the remaining bits. A slot no shingle fell into borrows the value of the next
    /// filled slot to its right (rotation densification), re-hashed with the distance, so that two texts
    /// agree there exactly when they agree in the slot lent.
    public init(normalizedText text: UnsafeRawBufferPointer, head: UInt64) {
        var shingles: UInt32 = 0
        minima = withUnsafeTemporaryAllocation(of: UInt64.self, capacity: Self.slotCount) { slots in
            slots.initialize(repeating: .max)
            @inline(__always) func add(_ shingle: UInt32) {
                var hash = UInt64(shingle) &* 0x9E37_79B9_7F4A_7C15
                hash ^= hash >> 29
                hash &*= 0xBF58_476D_1CE4_E5B9
                hash ^= hash >> 32
                let slot = Int(hash >> 59)
                let value = hash & 0x07FF_FFFF_FFFF_FFFF
                if value < slots[slot] { slots[slot] = value }
                shingles &+= 1
            }
            let count = text.count
            if count < 3 {
                var shingle: UInt32 = 0
                for byte in text { shingle = shingle << 8 | UInt32(byte) }
                add(shingle)
            } else {
                var shingle = UInt32(text[0]) << 8 | UInt32(text[1])
                for index in 2..<count {
                    shingle = (shingle << 8 | UInt32(text[index])) & 0xFF_FFFF
                    add(shingle)
                }
            }
            var result = SIMD32<UInt8>()
            for slot in 0..<Self.slotCount {
                var value = slots[slot]
                if value == .max {
                    var distance = 1
                    while slots[(slot + distance) & (Self.slotCount - 1)] == .max { distance += 1 }
                    value = (slots[(slot + distance) & (Self.slotCount - 1)] ^ UInt64(distance)) &* 0xD6E8_FEB8_6659_FD93
                    value ^= value >> 32
                }
                result[slot] = UInt8(truncatingIfNeeded: value ^ value >> 24)
            }
            return result
        }
        self.shingles = shingles
        self.head = head
    }

    /// Estimated Jaccard similarity of the two shingle sets: the share of equal slots, corrected for
    /// the chance agreement of one byte.
    public func jaccard(_ other: TextSketch) -> Double {
        let equal = minima .== other.minima
        var matches = 0
        for slot in 0..<Self.slotCount where equal[slot] { matches += 1 }
        let chance = 1.0 / 256
        return max(0, (Double(matches) / Double(Self.slotCount) - chance) / (1 - chance))
    }

    /// Estimated share of the shorter text's shingles found in the longer one.
    public func containment(_ other: TextSketch, jaccard: Double) -> Double {
        let shorter = Double(min(shingles, other.shingles))
        guard shorter > 0 else { return 0 }
        let intersection = jaccard / (1 + jaccard) * Double(shingles + other.shingles)
        return min(1, intersection / shorter)
    }
}
