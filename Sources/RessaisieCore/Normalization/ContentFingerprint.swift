/// Computes the 64-bit fingerprint of what an entry says: its label, value, unit and free text, each
/// folded (`TextFolding.text`), the value written as a canonical number when it is one.
///
/// Two entries with the same fingerprint say the same thing once case, accents, spacing and number
/// formats are set aside. One fingerprinter per thread: it reuses its scratch buffer, so fingerprinting
/// allocates nothing per entry.
public struct ContentFingerprinter: Sendable {
    private var scratch = FoldScratch()

    public init() {}

    /// The fingerprint and the number of words of free text.
    public mutating func fingerprint(
        label: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, unit: UnsafeRawBufferPointer,
        text: UnsafeRawBufferPointer
    ) -> (fingerprint: UInt64, textWords: UInt32) {
        var hasher = StableHasher(seed: 0x5245_5353_4149_5349)
        add(label, to: &hasher)
        let folded = scratch.fold(value)
        if let number = ValueNormalization.canonicalNumber(folded) {
            number.withUnsafeBytes { hasher.combine(bytes: $0) }
        } else {
            hasher.combine(bytes: folded)
        }
        hasher.combine(byte: 0x1F)
        add(unit, to: &hasher)
        let words = add(text, to: &hasher)
        return (hasher.finalize(), words)
    }

    /// Convenience for tests and small inputs.
    public mutating func fingerprint(label: String = "", value: String = "", unit: String = "", text: String = "") -> UInt64 {
        let fields = [label, value, unit, text].map { Array($0.utf8) }
        return fields[0].withUnsafeBytes { l in
            fields[1].withUnsafeBytes { v in
                fields[2].withUnsafeBytes { u in
                    fields[3].withUnsafeBytes { t in fingerprint(label: l, value: v, unit: u, text: t).fingerprint }
                }
            }
        }
    }

    /// Folds one field into the hash, followed by a separator; returns its word count.
    @discardableResult
    private mutating func add(_ field: UnsafeRawBufferPointer, to hasher: inout StableHasher) -> UInt32 {
        let folded = scratch.fold(field)
        var words: UInt32 = folded.isEmpty ? 0 : 1
        for byte in folded where byte == 0x20 { words &+= 1 }
        hasher.combine(bytes: folded)
        hasher.combine(byte: 0x1F)
        return words
    }
}

/// A reusable output buffer for folding, grown as needed and never shrunk.
private struct FoldScratch: @unchecked Sendable {  // owned by one fingerprinter, used by one thread
    private final class Storage {
        var pointer: UnsafeMutablePointer<UInt8>
        var capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            pointer = .allocate(capacity: capacity)
        }

        deinit { pointer.deallocate() }
    }

    private var storage = Storage(capacity: 4096)

    /// The folded (`.text`) form of `bytes`, valid until the next call.
    mutating func fold(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let needed = TextFolding.maximumFoldedCount(bytes.count)
        if needed > storage.capacity { storage = Storage(capacity: needed * 2) }
        let count = TextFolding.fold(bytes, mode: .text, writingTo: storage.pointer)
        return UnsafeRawBufferPointer(start: storage.pointer, count: count)
    }
}
