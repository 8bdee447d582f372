/// An append-only table of byte strings with interning: each distinct string is stored once, in one
/// contiguous arena, and named by a dense `UInt32` index.
///
/// Entries keep indices instead of `String`s so that a million of them stay compact; lookups hash the
/// bytes with `StableHasher` and compare bytes on a hit, so two different strings never share an index.
public struct ByteStringTable: Sendable {
    private var storage: [UInt8] = []
    private var starts: [UInt32] = [0]
    /// Open addressing: a slot holds the upper 32 bits of the string's hash and its index + 1 (0 is
    /// empty), so most probes are settled without touching `hashes` or the arena.
    private var slots: [UInt64]
    private var hashes: [UInt64] = []
    private var mask: Int
    /// False once `append` has been used: the hash index no longer covers every string.
    private var isIndexed = true
    /// While the table holds few strings, all short (sites, categories, professions of one file), each
    /// string packed into two words, by index: `intern` scans them before hashing anything, a handful of
    /// compares instead of a hash, a probe and a `memcmp`. Emptied for good by the first string that is
    /// long or past the limit.
    private var packed: [PackedString] = []
    private var isPacked = true
    private static let packedLimit = 8

    public init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
    }

    /// Number of distinct strings.
    public var count: Int { starts.count - 1 }

    /// Bytes used by the arena (for memory accounting).
    public var storageBytes: Int { storage.count }

    /// Returns the index of `bytes`, adding it when new; `inserted` says which.
    @discardableResult
    public mutating func intern(_ bytes: UnsafeRawBufferPointer) -> (index: UInt32, inserted: Bool) {
        precondition(isIndexed, "intern on a table filled with append")
        var key: PackedString?
        if isPacked {
            if let short = PackedString(bytes) {
                for index in packed.indices where packed[index] == short { return (UInt32(index), false) }
                key = short
            }
            // Not there (every string of the table is packed): inserted below, packed while there is room.
            if let key, packed.count < Self.packedLimit {
                packed.append(key)
            } else {
                isPacked = false
                packed = []
            }
        }
        let hash = StableHasher.hash(bytes)
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let occupant = slots[slot]
            if occupant == 0 { break }
            if occupant & 0xFFFF_FFFF_0000_0000 == tag {
                let index = Int(occupant & 0xFFFF_FFFF) - 1
                if equals(index, bytes) { return (UInt32(index), false) }
            }
            slot = (slot + 1) & mask
        }
        let index = UInt32(count)
        storage.append(contentsOf: bytes)
        starts.append(UInt32(storage.count))
        hashes.append(hash)
        slots[slot] = tag | UInt64(index + 1)
        if count * 5 > slots.count * 4 { grow() }
        return (index, true)
    }

    @discardableResult
    public mutating func intern(_ string: String) -> (index: UInt32, inserted: Bool) {
        var copy = string
        return copy.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    /// Appends `bytes` without looking for an equal string: for tables that are only read back by
    /// index. A table that has had strings appended this way must not be used for `intern` or `index(of:)`.
    @discardableResult
    public mutating func append(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        if isPacked {
            isPacked = false
            packed = []
        }
        let index = UInt32(count)
        if !bytes.isEmpty {
            // Through a typed buffer: appending raw bytes element by element costs several times more.
            storage.append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
        }
        starts.append(UInt32(storage.count))
        isIndexed = false
        return index
    }

    /// Reserves room for `strings` strings of `bytes` bytes in all (and their hashes, for a table that
    /// will be used with `intern`).
    public mutating func reserveCapacity(strings: Int, bytes: Int, interned: Bool) {
        storage.reserveCapacity(bytes)
        starts.reserveCapacity(strings + 1)
        if interned { hashes.reserveCapacity(strings) }
    }

    /// Index of `bytes` if present.
    public func index(of bytes: UnsafeRawBufferPointer) -> UInt32? {
        let hash = StableHasher.hash(bytes)
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let occupant = slots[slot]
            if occupant == 0 { return nil }
            if occupant & 0xFFFF_FFFF_0000_0000 == tag {
                let index = Int(occupant & 0xFFFF_FFFF) - 1
                if equals(index, bytes) { return UInt32(index) }
            }
            slot = (slot + 1) & mask
        }
    }

    public func string(at index: UInt32) -> String {
        let lower = Int(starts[Int(index)]), upper = Int(starts[Int(index) + 1])
        return storage[lower..<upper].withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }

    public func withBytes<R>(at index: UInt32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let lower = Int(starts[Int(index)]), upper = Int(starts[Int(index) + 1])
        return try storage.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[lower..<upper])) }
    }

    @inline(__always)
    private func equals(_ index: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let lower = Int(starts[index]), upper = Int(starts[index + 1])
        let count = bytes.count
        guard upper - lower == count else { return false }
        if count == 0 { return true }
        return storage.withUnsafeBytes { all in
            let stored = UnsafeRawBufferPointer(rebasing: all[lower..<upper])
            // Short strings (ids, names) compared as words, without a call to memcmp.
            if let short = PackedString(bytes) { return PackedString(stored) == short }
            return memcmp(stored.baseAddress!, bytes.baseAddress!, count) == 0
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        var newSlots = [UInt64](repeating: 0, count: size)
        let newMask = size - 1
        for index in 0..<count {
            let hash = hashes[index]
            var slot = Int(truncatingIfNeeded: hash) & newMask
            while newSlots[slot] != 0 { slot = (slot + 1) & newMask }
            newSlots[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(index + 1)
        }
        slots = newSlots
        mask = newMask
    }
}

/// A string of at most 16 bytes as its length and two words (the first 8 bytes, and the last 8 when
/// there are more than 8; zero-padded): equal values, equal strings.
private struct PackedString: Equatable {
    var first: UInt64
    var last: UInt64
    var count: Int

    @inline(__always)
    init?(_ bytes: UnsafeRawBufferPointer) {
        count = bytes.count
        guard count <= 16 else { return nil }
        if count >= 8 {
            first = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
            last = count > 8 ? bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) : 0
        } else {
            first = StableHasher.littleEndianWord(bytes)
            last = 0
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Musl)
    import Musl
#endif
