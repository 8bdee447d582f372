/// A MinHash sketch of an entry's normalized free text, so that near-identical texts (a typo, a
/// truncated copy, an abbreviation left unexpanded) are found without keeping the text.
///
/// The text is cut into overlapping 4-byte shingles of its normalized form (words folded, abbreviations
/// expanded, one space between words); each of the 32 slots keeps the low byte of the shingle of
/// smallest hash under its own hash function (b-bit MinHash, b = 8). The share of equal slots, less the
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

    /// Seeds, one per slot of each half (digits of π, and their complements).
    private static let seeds = SIMD16<UInt32>(
        0x243F_6A89, 0x85A3_08D3, 0x1319_8A2F, 0x0370_7345, 0xA409_3823, 0x299F_31D1, 0x082E_FA99, 0xEC4E_6C89,
        0x4528_21E7, 0x38D0_1377, 0xBE54_66CF, 0x34E9_0C6D, 0xC0AC_29B7, 0xC97C_50DD, 0x3F84_D5B5, 0xB547_0917)
    private static let otherSeeds = ~seeds &* 0x9E37_79B1

    /// The sketch of normalized text (at least one byte).
    public init(normalizedText text: UnsafeRawBufferPointer, head: UInt64) {
        var low = SIMD16<UInt16>(repeating: .max), high = SIMD16<UInt16>(repeating: .max)
        let count = text.count
        var shingles: UInt32 = 0
        @inline(__always) func mix(_ x: SIMD16<UInt32>) -> SIMD16<UInt16> {
            // A murmur-style finalizer per slot, from a different seed: independent-enough hashes.
            var x = x
            x &*= 0x85EB_CA6B
            x ^= x &>> 13
            x &*= 0xC2B2_AE35
            x ^= x &>> 16
            return SIMD16<UInt16>(truncatingIfNeeded: x &>> 16)
        }
        @inline(__always) func add(_ shingle: UInt32) {
            let value = SIMD16<UInt32>(repeating: shingle)
            low = pointwiseMin(low, mix(value ^ Self.seeds))
            high = pointwiseMin(high, mix(value ^ Self.otherSeeds))
            shingles &+= 1
        }
        if count < 4 {
            var shingle: UInt32 = 0
            for byte in text { shingle = shingle << 8 | UInt32(byte) }
            add(shingle &* 0x9E37_79B1)
        } else {
            var index = 0
            while index + 4 <= count {
                let shingle = text.loadUnaligned(fromByteOffset: index, as: UInt32.self)
                add(shingle &* 0x9E37_79B1)
                index += 1
            }
        }
        minima = SIMD32<UInt8>(truncatingIfNeeded: SIMD32(lowHalf: low, highHalf: high))
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
