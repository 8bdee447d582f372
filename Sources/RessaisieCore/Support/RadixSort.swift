/// An index with a 64-bit sort key.
public struct KeyedIndex: Sendable, Equatable {
    public var key: UInt64
    public var index: UInt32

    public init(key: UInt64, index: UInt32) {
        self.key = key
        self.index = index
    }
}

/// A stable least-significant-digit radix sort on 64-bit keys: for a million keys, a few linear passes
/// instead of twenty rounds of comparisons. Equal keys keep their order (so indices stay ascending
/// within a key when they went in ascending).
public enum RadixSort {
    public static func sort(_ items: inout [KeyedIndex]) {
        guard items.count > 1 else { return }
        if items.count < 256 {
            items.sort { $0.key != $1.key ? $0.key < $1.key : $0.index < $1.index }
            return
        }
        leastSignificantDigitFirst(&items, zero: KeyedIndex(key: 0, index: 0), key: \.key)
    }

    /// Sorts plain 64-bit keys (pair numbers, packed pairs) in a few linear passes.
    public static func sort(_ keys: inout [UInt64]) {
        guard keys.count > 1 else { return }
        if keys.count < 256 {
            keys.sort()
            return
        }
        leastSignificantDigitFirst(&keys, zero: 0, key: { $0 })
    }

    /// The passes: 11 bits a digit, skipping the digits where every key agrees (common for small keys).
    @inline(__always)
    private static func leastSignificantDigitFirst<Item>(
        _ items: inout [Item], zero: Item, key: (Item) -> UInt64
    ) {
        let count = items.count
        let bits = 11, radix = 1 << 11, mask = UInt64(radix - 1)
        var buffer = [Item](repeating: zero, count: count)
        var counts = [Int](repeating: 0, count: radix)
        var orAll: UInt64 = 0, andAll: UInt64 = .max
        for item in items {
            orAll |= key(item)
            andAll &= key(item)
        }
        let varying = orAll ^ andAll
        var shift: UInt64 = 0
        var sourceIsItems = true
        items.withUnsafeMutableBufferPointer { first in
            buffer.withUnsafeMutableBufferPointer { second in
                while shift < 64 {
                    defer { shift += UInt64(bits) }
                    if (varying >> shift) & mask == 0 { continue }
                    let source = sourceIsItems ? first : second
                    let target = sourceIsItems ? second : first
                    for digit in 0..<radix { counts[digit] = 0 }
                    for item in source { counts[Int((key(item) >> shift) & mask)] += 1 }
                    var total = 0
                    for digit in 0..<radix {
                        let c = counts[digit]
                        counts[digit] = total
                        total += c
                    }
                    for item in source {
                        let digit = Int((key(item) >> shift) & mask)
                        target[counts[digit]] = item
                        counts[digit] += 1
                    }
                    sourceIsItems.toggle()
                }
            }
        }
        if !sourceIsItems { items = buffer }
    }
}

extension RadixSort {
    /// Calls `body` with the positions of each run of two or more equal keys in `items` (sorted by key),
    /// in order: the blocks of a sorted array of keyed indices. `body` may reorder a run in place (the keys
    /// of a run are equal), as `ReEntryDetector` does to sort each block by time.
    @inline(__always)
    static func forEachRun<Items: RandomAccessCollection<KeyedIndex>>(
        ofEqualKeysIn items: Items, _ body: (Range<Int>) -> Void
    ) where Items.Index == Int {
        var start = items.startIndex
        while start < items.endIndex {
            var end = start + 1
            while end < items.endIndex, items[end].key == items[start].key { end += 1 }
            if end - start > 1 { body(start..<end) }
            start = end
        }
    }

    /// Radix sort by key, then each block (run of one key) by `time`, then by index: the blocks of
    /// `ReEntryDetector` and `PathwayDetector`, each walked in time order. Each item's time is read once (no
    /// array of every item's time: it would be held at the matcher's peak of memory).
    static func sortBlocks(_ items: inout [KeyedIndex], time: (UInt32) -> Int64) {
        sort(&items)
        var run: [(time: Int64, index: UInt32)] = []
        items.withUnsafeMutableBufferPointer { items in
            forEachRun(ofEqualKeysIn: items) { block in
                let first = block.lowerBound
                if block.count == 2 {
                    if (time(items[first + 1].index), items[first + 1].index) < (
                        time(items[first].index), items[first].index
                    ) {
                        items.swapAt(first, first + 1)
                    }
                    return
                }
                run.removeAll(keepingCapacity: true)
                for position in block { run.append((time(items[position].index), items[position].index)) }
                run.sort { $0.time != $1.time ? $0.time < $1.time : $0.index < $1.index }
                for (offset, item) in run.enumerated() { items[first + offset].index = item.index }
            }
        }
    }
}
