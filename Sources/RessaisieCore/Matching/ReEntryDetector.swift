/// Finds duplicate groups: entries of the same site, person and category with the same content
/// fingerprint, typed within `window` of one another.
///
/// Blocking first: entries are sorted by (site, person, category, fingerprint, time), so only entries in
/// the same block and the same window are ever compared; the cost is a sort, not all pairs. A repeated
/// measurement is not a re-entry: two entries whose effective times are both known and differ record two
/// facts, and a group never holds two different effective times.
public struct ReEntryDetector: Sendable {
    /// Largest gap, in seconds, between two entries of one fact.
    public var window: Int64
    /// Most earlier entries one entry is compared with inside a block (guards pathological blocks).
    public var maxCandidates: Int

    public static let defaultWindowHours = 72

    public init(window: Int64 = Int64(ReEntryDetector.defaultWindowHours) * 3600, maxCandidates: Int = 256) {
        self.window = window
        self.maxCandidates = maxCandidates
    }

    public var name: String { "exact-fingerprint-v1" }

    public func groups(in entries: [Entry], linkage: PatientLinkage) -> [DuplicateGroup] {
        // Sort by block (a 64-bit mix of site, person, category and fingerprint), with a radix sort; then
        // each block by time. Blocks are checked field by field before any union, so a collision of the
        // mix only costs a comparison.
        let person = linkage.person
        @inline(__always) func sameBlock(_ a: Int, _ b: Int) -> Bool {
            let x = entries[a], y = entries[b]
            return x.fingerprint == y.fingerprint && x.category == y.category && x.site == y.site
                && person[Int(x.patient)] == person[Int(y.patient)]
        }
        var blocks = [KeyedIndex]()
        blocks.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            var block = entry.fingerprint
            block = (block ^ (UInt64(entry.site) << 48 | UInt64(entry.category) << 32 | UInt64(person[Int(entry.patient)])))
                &* 0x9E37_79B9_7F4A_7C15
            block ^= block >> 29
            blocks.append(KeyedIndex(key: block, index: UInt32(index)))
        }
        RadixSort.sort(&blocks)

        // Each run of one block, by time (then entry order); times are read from the entries, so the sort
        // keys stay at 16 bytes an entry.
        var runStart = 0
        while runStart < blocks.count {
            var runEnd = runStart + 1
            while runEnd < blocks.count, blocks[runEnd].key == blocks[runStart].key { runEnd += 1 }
            if runEnd - runStart > 1 {
                blocks[runStart..<runEnd].sort { x, y in
                    let tx = entries[Int(x.index)].recordedAt, ty = entries[Int(y.index)].recordedAt
                    return tx != ty ? tx < ty : x.index < y.index
                }
            }
            runStart = runEnd
        }
        @inline(__always) func time(_ position: Int) -> Int64 { entries[Int(blocks[position].index)].recordedAt }

        var sets = UnionFind(count: entries.count)
        var rootEffective = entries.map(\.effectiveAt)
        var grouped: [UInt32] = []
        var blockStart = 0
        while blockStart < blocks.count {
            var blockEnd = blockStart + 1
            while blockEnd < blocks.count, blocks[blockEnd].key == blocks[blockStart].key { blockEnd += 1 }
            if blockEnd - blockStart > 1 {
                for later in blockStart + 1..<blockEnd {
                    var earlier = later - 1
                    let lowest = max(blockStart, later - maxCandidates)
                    let laterTime = time(later)
                    while earlier >= lowest, laterTime - time(earlier) <= window {
                        let a = sets.find(blocks[earlier].index), b = sets.find(blocks[later].index)
                        if a != b, sameBlock(Int(blocks[earlier].index), Int(blocks[later].index)) {
                            let effectiveA = rootEffective[Int(a)], effectiveB = rootEffective[Int(b)]
                            if effectiveA == Entry.noTime || effectiveB == Entry.noTime || effectiveA == effectiveB {
                                let root = sets.union(a, b)
                                rootEffective[Int(root)] = effectiveA == Entry.noTime ? effectiveB : effectiveA
                                grouped.append(blocks[earlier].index)
                                grouped.append(blocks[later].index)
                            }
                        }
                        earlier -= 1
                    }
                }
            }
            blockStart = blockEnd
        }
        blocks = []

        // Members of each set, gathered through a slot per root (no hashing).
        var slotOfRoot = [Int32](repeating: -1, count: grouped.isEmpty ? 0 : entries.count)
        var seen = [Bool](repeating: false, count: grouped.isEmpty ? 0 : entries.count)
        var members: [[Int]] = []
        for index in grouped where !seen[Int(index)] {
            seen[Int(index)] = true
            let root = Int(sets.find(index))
            if slotOfRoot[root] < 0 {
                slotOfRoot[root] = Int32(members.count)
                members.append([])
            }
            members[Int(slotOfRoot[root])].append(Int(index))
        }
        var groups = members.map { members -> DuplicateGroup in
            let ordered = members.sorted { a, b in
                let ea = entries[a], eb = entries[b]
                if ea.recordedAt != eb.recordedAt { return ea.recordedAt < eb.recordedAt }
                if ea.system != eb.system { return ea.system < eb.system }
                return a < b
            }
            return DuplicateGroup(members: ordered, site: entries[ordered[0]].site)
        }
        groups.sort { a, b in
            if a.site != b.site { return a.site < b.site }
            let oa = entries[a.original], ob = entries[b.original]
            if oa.recordedAt != ob.recordedAt { return oa.recordedAt < ob.recordedAt }
            return a.original < b.original
        }
        return groups
    }
}
