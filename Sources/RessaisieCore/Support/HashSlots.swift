/// A small read-only map from 64-bit hashes to integers: open addressing with linear probing in a
/// power-of-two table, no hashing of the key again (it is already a hash). For the vocabulary lookups on
/// the ingest path, where `Dictionary`'s SipHash of every word would cost more than the rest.
public struct HashSlots: Sendable {
    private var keys: [UInt64]
    private var values: [Int32]
    private let mask: Int

    /// A map of `pairs`; later pairs with the same key replace earlier ones.
    public init(_ pairs: [(UInt64, Int)]) {
        var capacity = 16
        while capacity < pairs.count * 2 { capacity *= 2 }
        keys = Array(repeating: 0, count: capacity)
        values = Array(repeating: -1, count: capacity)
        mask = capacity - 1
        for (key, value) in pairs {
            var slot = Int(truncatingIfNeeded: key) & mask
            let stored = key == 0 ? 1 : key  // 0 marks an empty slot
            while keys[slot] != 0 && keys[slot] != stored { slot = (slot + 1) & mask }
            keys[slot] = stored
            values[slot] = Int32(value)
        }
    }

    /// The value of `key`, or nil.
    @inline(__always)
    public subscript(key: UInt64) -> Int? {
        let stored = key == 0 ? 1 : key
        var slot = Int(truncatingIfNeeded: key) & mask
        while true {
            let found = keys[slot]
            if found == stored { return Int(values[slot]) }
            if found == 0 { return nil }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always)
    public func contains(_ key: UInt64) -> Bool { self[key] != nil }

    public var count: Int { values.lazy.filter { $0 >= 0 }.count }
}
