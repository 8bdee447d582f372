/// A 64-bit hash that is the same on every run and every machine.
///
/// Swift's `Hasher` is seeded per process, so it cannot give fingerprints that are stable across runs
/// (group ids, reproducible reports). This one mixes 8 bytes at a time and finishes with MurmurHash3's
/// 64-bit finalizer; it is fast, not cryptographic: identities are pseudonymized with HMAC elsewhere.
public struct StableHasher: Sendable {
    private var state: UInt64
    private var pending: UInt64 = 0
    private var pendingCount: UInt64 = 0
    private var length: UInt64 = 0

    public init(seed: UInt64 = 0x243F_6A88_85A3_08D3) {
        state = seed
    }

    @inline(__always)
    public mutating func combine(byte: UInt8) {
        pending |= UInt64(byte) &<< (pendingCount &* 8)
        pendingCount &+= 1
        length &+= 1
        if pendingCount == 8 {
            mix(pending)
            pending = 0
            pendingCount = 0
        }
    }

    @inline(__always)
    public mutating func combine(bytes: UnsafeRawBufferPointer) {
        var index = 0
        let count = bytes.count
        if pendingCount == 0 {
            while index + 8 <= count {
                mix(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self).littleEndian)
                index += 8
            }
            length &+= UInt64(index)
            // The tail (under 8 bytes) becomes the pending word at once.
            let tail = count - index
            if tail > 0 {
                // The tail as a little-endian word: the last 8 bytes shifted when there are 8, else byte by
                // byte (no memcpy call for a few bytes).
                pending =
                    count >= 8
                    ? bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self).littleEndian
                        &>> UInt64((8 - tail) * 8)
                    : Self.littleEndianWord(UnsafeRawBufferPointer(rebasing: bytes[index..<count]))
                pendingCount = UInt64(tail)
                length &+= UInt64(tail)
            }
            return
        }
        while index < count {
            combine(byte: bytes[index])
            index += 1
        }
    }

    public mutating func combine(_ string: String) {
        var copy = string
        copy.withUTF8 { combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    public mutating func combine(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { combine(bytes: $0) }
    }

    @inline(__always)
    private mutating func mix(_ word: UInt64) {
        state = (state ^ (word &* 0x87C3_7B91_1142_53D5)).rotatedLeft(by: 31) &* 0x4CF5_AD43_2745_937F
    }

    /// Up to 8 bytes as one little-endian word, zero-padded (byte by byte: no memcpy call for a few bytes).
    @inline(__always)
    static func littleEndianWord(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var word: UInt64 = 0
        var shift: UInt64 = 0
        for byte in bytes {
            word |= UInt64(byte) &<< shift
            shift &+= 8
        }
        return word
    }

    public func finalize() -> UInt64 {
        var h = state ^ (pending &* 0x87C3_7B91_1142_53D5).rotatedLeft(by: 27) ^ length
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }

    /// The hash of one contiguous byte string.
    @inline(__always)
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0x243F_6A88_85A3_08D3) -> UInt64 {
        var hasher = StableHasher(seed: seed)
        hasher.combine(bytes: bytes)
        return hasher.finalize()
    }

    public static func hash(_ string: String) -> UInt64 {
        var hasher = StableHasher()
        hasher.combine(string)
        return hasher.finalize()
    }
}

extension UInt64 {
    @inline(__always)
    func rotatedLeft(by count: UInt64) -> UInt64 {
        (self &<< count) | (self &>> (64 &- count))
    }
}
