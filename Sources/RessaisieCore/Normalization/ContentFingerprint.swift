/// Computes the 64-bit fingerprint of what an entry says: its label, value, unit and free text, each
/// folded (`TextFolding.text`), the value written as a canonical number when it is one.
///
/// Two entries with the same fingerprint say the same thing once case, accents, spacing and number
/// formats are set aside. One fingerprinter per thread: it reuses its scratch buffer, so fingerprinting
/// allocates nothing per entry.
public struct ContentFingerprinter: Sendable {
    private var scratch: [UInt8] = []

    public init() {
        scratch.reserveCapacity(256)
    }

    /// The fingerprint and the number of words of free text.
    public mutating func fingerprint(
        label: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, unit: UnsafeRawBufferPointer,
        text: UnsafeRawBufferPointer
    ) -> (fingerprint: UInt64, textWords: UInt32) {
        var hasher = StableHasher(seed: 0x5245_5353_4149_5349)
        add(label, to: &hasher)
        scratch.removeAll(keepingCapacity: true)
        TextFolding.fold(value, mode: .text, into: &scratch)
        ValueNormalization.normalizeNumber(&scratch)
        scratch.withUnsafeBytes { hasher.combine(bytes: $0) }
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
        scratch.removeAll(keepingCapacity: true)
        TextFolding.fold(field, mode: .text, into: &scratch)
        var words: UInt32 = scratch.isEmpty ? 0 : 1
        for byte in scratch where byte == 0x20 { words &+= 1 }
        scratch.withUnsafeBytes { hasher.combine(bytes: $0) }
        hasher.combine(byte: 0x1F)
        return words
    }
}
