import Crypto
import RessaisieCore

/// Computes a patient's `IdentityFeatures` at ingest, from the raw identity values, so that linkage can
/// compare names and dates approximately without ever seeing them.
///
/// Every value is folded first (`TextFolding` `.name` mode: lowercase letters and digits, no accents,
/// spaces or hyphens). Exact values, phonetic codes and date components become 32-bit keyed hashes;
/// names also become 256-bit Bloom filters of their bigrams (8 bit positions per bigram, by double
/// hashing of one keyed hash per bigram). The hashes are SipHash-2-4 (a keyed pseudo-random function
/// made for short inputs, some fifty times cheaper here than an HMAC-SHA256 per value) under two
/// 128-bit keys derived from the audit key through the `Pseudonymizer` (`derivedKey(for:)`, HMAC-SHA256):
/// the audit key itself is never kept here, and features computed under one audit key cannot be
/// compared with those of another.
public struct IdentityEncoder: Sendable {
    private let hashing: SipHash
    private let bloom: SipHash
    /// Bits of each (field, bigram) already hashed: names share few bigrams, so an encoder that sees
    /// thousands of patients computes each HMAC once.
    private var bigramBits: [UInt32: NameBloom] = [:]

    /// Bit positions set per bigram.
    public static let bitsPerBigram = 8

    public init(pseudonymizer: Pseudonymizer) {
        hashing = SipHash(key: pseudonymizer.derivedKey(for: "ressaisie.linkage.hash").withUnsafeBytes { Array($0) })
        bloom = SipHash(key: pseudonymizer.derivedKey(for: "ressaisie.linkage.bloom").withUnsafeBytes { Array($0) })
    }

    /// The features of one identity; empty buffers are missing values. `extra` are plain string columns
    /// compared by `ressaisie link --compare`, in order.
    public mutating func features(
        birthName: UnsafeRawBufferPointer, givenNames: UnsafeRawBufferPointer, birthDate: UnsafeRawBufferPointer,
        sex: UnsafeRawBufferPointer, birthPlace: UnsafeRawBufferPointer, extra: [UnsafeRawBufferPointer] = []
    ) -> IdentityFeatures {
        var features = IdentityFeatures()
        var folded: [UInt8] = []
        TextFolding.fold(birthName, mode: .name, into: &folded)
        if !folded.isEmpty {
            features.birthNameHash = hash(tag: 1, folded)
            features.birthNamePhonetic = hash(tag: 2, PhoneticCode.code(folded))
            features.birthName = bloomFilter(tag: 1, folded)
        }
        folded.removeAll(keepingCapacity: true)
        TextFolding.fold(EntryAssembler.firstGivenName(givenNames), mode: .name, into: &folded)
        if !folded.isEmpty {
            features.givenNameHash = hash(tag: 1, folded)  // the birth name's tag: swapped names are seen
            features.givenNamePhonetic = hash(tag: 4, PhoneticCode.code(folded))
            features.givenName = bloomFilter(tag: 2, folded)
        }
        if let (year, month, day) = Self.dateComponents(birthDate) {
            let high = UInt8(truncatingIfNeeded: year >> 8), low = UInt8(truncatingIfNeeded: year & 0xFF)
            features.birthDate = hash(
                tag: 5, high, low, UInt8(truncatingIfNeeded: month), UInt8(truncatingIfNeeded: day))
            features.birthDateSwapped = hash(
                tag: 5, high, low, UInt8(truncatingIfNeeded: day), UInt8(truncatingIfNeeded: month))
            features.birthYear = hash(tag: 6, high, low)
            features.birthMonth = hash(tag: 7, UInt8(truncatingIfNeeded: month))
            features.birthDay = hash(tag: 8, UInt8(truncatingIfNeeded: day))
        }
        features.sex = EntryAssembler.sexCode(sex)
        folded.removeAll(keepingCapacity: true)
        TextFolding.fold(birthPlace, mode: .name, into: &folded)
        if !folded.isEmpty { features.birthPlace = hash(tag: 9, folded) }
        for (index, value) in extra.enumerated() {
            folded.removeAll(keepingCapacity: true)
            TextFolding.fold(value, mode: .name, into: &folded)
            features.extra.append(
                folded.isEmpty
                    ? .init(hash: 0, bloom: NameBloom())
                    : .init(
                        hash: hash(tag: UInt8(32 + index), folded), bloom: bloomFilter(tag: UInt8(32 + index), folded)))
        }
        return features
    }

    /// Year, month and day of a birth date written `YYYY-MM-DD` (ISO, a time may follow), `YYYYMMDD`,
    /// `DD/MM/YYYY`, `DD-MM-YYYY` or `DD.MM.YYYY`. Components are taken as written, even when the date
    /// does not exist (a 31 April or a month 13 is usually a typo whose other components still count).
    public static func dateComponents(_ bytes: UnsafeRawBufferPointer) -> (Int, Int, Int)? {
        let characters = Array(bytes.drop { $0 == 0x20 })
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= characters.count else { return nil }
            var value = 0
            for index in range {
                let c = characters[index]
                guard c >= 0x30, c <= 0x39 else { return nil }
                value = value * 10 + Int(c - 0x30)
            }
            return value
        }
        func separator(_ index: Int) -> Bool {
            index < characters.count
                && (characters[index] == 0x2D || characters[index] == 0x2F || characters[index] == 0x2E)
        }
        var result: (Int, Int, Int)?
        if separator(4), separator(7), let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) {
            result = (y, m, d)
        } else if separator(2), separator(5), let d = number(0..<2), let m = number(3..<5), let y = number(6..<10) {
            result = (y, m, d)
        } else if characters.count == 8 || (characters.count > 8 && !(0x30...0x39).contains(characters[8])),
            let y = number(0..<4), let m = number(4..<6), let d = number(6..<8)
        {
            result = (y, m, d)
        }
        guard let (y, m, d) = result, y > 0, m <= 99, d <= 99, m + d > 0 else { return nil }
        return (y, m, d)
    }

    private func hash(tag: UInt8, _ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { hash(tag: tag, $0) }
    }

    /// The 32-bit keyed hash of `tag` followed by `bytes` (never 0: 0 means a missing value).
    private func hash(tag: UInt8, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        let full = withUnsafeTemporaryAllocation(byteCount: bytes.count + 1, alignment: 8) { buffer in
            buffer[0] = tag
            if !bytes.isEmpty { UnsafeMutableRawBufferPointer(rebasing: buffer[1...]).copyMemory(from: bytes) }
            return hashing.hash(UnsafeRawBufferPointer(buffer))
        }
        let value = UInt32(truncatingIfNeeded: full >> 32)
        return value == 0 ? 1 : value
    }

    /// `hash(tag:_:)` of the four bytes of a date or of its parts, without building an array.
    private func hash(tag: UInt8, _ b0: UInt8, _ b1: UInt8? = nil, _ b2: UInt8? = nil, _ b3: UInt8? = nil) -> UInt32 {
        var bytes: (UInt8, UInt8, UInt8, UInt8) = (b0, b1 ?? 0, b2 ?? 0, b3 ?? 0)
        let count = b3 != nil ? 4 : b2 != nil ? 3 : b1 != nil ? 2 : 1
        return withUnsafeBytes(of: &bytes) { hash(tag: tag, UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }

    private mutating func bloomFilter(tag: UInt8, _ folded: [UInt8]) -> NameBloom {
        var filter = NameBloom()
        let padded = [0x20] + folded + [0x20]
        for index in 0..<(padded.count - 1) {
            let key = UInt32(tag) << 16 | UInt32(padded[index]) << 8 | UInt32(padded[index + 1])
            let bits: NameBloom
            if let known = bigramBits[key] {
                bits = known
            } else {
                let h1 = bloom.hash([tag, padded[index], padded[index + 1]])
                let h2 = bloom.hash([tag, padded[index], padded[index + 1], 0xFF]) | 1
                var computed = NameBloom()
                for i in 0..<UInt64(Self.bitsPerBigram) {
                    computed.set(Int((h1 &+ i &* h2) % UInt64(NameBloom.bits)))
                }
                if bigramBits.count < 100_000 { bigramBits[key] = computed }
                bits = computed
            }
            filter.words.0 |= bits.words.0
            filter.words.1 |= bits.words.1
            filter.words.2 |= bits.words.2
            filter.words.3 |= bits.words.3
        }
        return filter
    }
}
