/// Finds duplicate groups: entries of the same site, person and category that record the same fact,
/// typed within `window` of one another.
///
/// Two passes, each blocking first so that only entries of one block and one window are ever compared
/// (the cost is a sort, not all pairs):
///
/// 1. **Same content**: entries with the same normalized-content fingerprint (block: site, person,
///    category, fingerprint).
/// 2. **Near-identical text**: entries whose free text has a sketch and whose structured part (label,
///    value, unit) agrees, blocked by site, person, category and that part; their texts count as the same
///    when the sketches' estimated Jaccard similarity or containment reaches the category's threshold
///    (`NearDuplicateThreshold`): a typo, a truncated copy, an abbreviation left as typed.
///
/// **Repeated facts are not re-entries**: before two entries (and so their groups) are joined, in both
/// passes, the rules of `RepeatedFacts` must all let them (two effective times, a day beyond the window,
/// one act of recording, a routine note of another shift, a measure or a drug repeated in one system, and
/// the same for whole groups).
///
/// Text that differs beyond the thresholds, or a different value, label or unit, is always another fact.
public struct ReEntryDetector: Sendable {
    /// Largest gap, in seconds, between two entries of one fact.
    public var window: Int64
    /// Largest gap between two routine notes of one fact.
    public var routineWindow: Int64
    /// Largest gap between two entries of one system, in a category whose facts recur, of one fact.
    public var sameSystemRepeatGap: Int64
    /// Most earlier entries one entry is compared with inside a block (guards pathological blocks).
    public var maxCandidates: Int
    /// Whether the second pass (near-identical text) runs.
    public var nearDuplicates: Bool
    /// Largest gap, in seconds, between an entry and the same content by the same author in another
    /// system for the latter to be an interface copy (software, not typing).
    public var interfaceCopyGap: Int64 = 60
    /// Most earlier texts one text is compared with in the second pass: its block holds all of a
    /// patient's texts of a category, not only equal ones.
    public var nearDuplicateCandidates: Int

    public static let defaultWindowHours = 72
    /// Categories whose facts legitimately recur in one system (measurements, administrations, acts).
    public static let recurringCategories: Set<String> = ["vital_sign", "medication", "activity"]

    public init(
        window: Int64 = Int64(ReEntryDetector.defaultWindowHours) * 3600, routineWindow: Int64 = 4 * 3600,
        sameSystemRepeatGap: Int64 = 8 * 3600, maxCandidates: Int = 256, nearDuplicates: Bool = true,
        nearDuplicateCandidates: Int = 64
    ) {
        self.nearDuplicateCandidates = nearDuplicateCandidates
        self.window = window
        self.routineWindow = routineWindow
        self.sameSystemRepeatGap = sameSystemRepeatGap
        self.maxCandidates = maxCandidates
        self.nearDuplicates = nearDuplicates
    }

    public var name: String {
        nearDuplicates
            ? "normalized-content-v2 (fingerprint, then MinHash text similarity)"
            : "normalized-content-v2 (fingerprint)"
    }

    /// When two sketched texts count as the same: estimated Jaccard similarity of their 3-byte shingles
    /// at least `jaccard`, or the shorter text's shingles found in the longer at least `containment`
    /// (a truncated copy) when the shorter has at least `minimumShingles`. Two short texts (under 32
    /// bytes, kept whole) are the same when they differ by a typo (`TextSketch.nearlyEqual`) or one is
    /// the other cut at a word boundary.
    public struct NearDuplicateThreshold: Sendable {
        public var jaccard: Double
        public var containment: Double
        public var minimumShingles: UInt32

        /// Notes: copies are retyped, cut, prefixed; a different note of the same patient shares little.
        public static let notes = NearDuplicateThreshold(jaccard: 0.5, containment: 0.85, minimumShingles: 20)
        /// Other texts (care plans, appointments…): shorter and more formulaic, so stricter.
        public static let other = NearDuplicateThreshold(jaccard: 0.6, containment: 0.9, minimumShingles: 20)
        /// Facts named by a key part (an allergen, a diagnosis, a drug and its strength): a copy may add a
        /// comment or leave one out, so the key part found whole in the other text is enough — from 6
        /// shingles, or as the other's first words when both are short.
        public static let keyPart = NearDuplicateThreshold(
            jaccard: 0.6, containment: 0.9, minimumShingles: 6, keyPrefix: true)

        /// Whether a short text that is the other's first words is the same fact (`keyPart` categories).
        public var keyPrefix = false

        public init(jaccard: Double, containment: Double, minimumShingles: UInt32, keyPrefix: Bool = false) {
            self.jaccard = jaccard
            self.containment = containment
            self.minimumShingles = minimumShingles
            self.keyPrefix = keyPrefix
        }

        /// Categories whose facts are named by a key part.
        public static let keyPartCategories: Set<String> = ["allergy", "diagnosis", "medication"]

        /// The threshold of a category.
        public static func of(category: String) -> NearDuplicateThreshold {
            category == "note" ? .notes : keyPartCategories.contains(category) ? .keyPart : .other
        }

        /// `sketched`: a short text's MinHash sketch, when it is compared with a long one (computed once).
        func accepts(_ a: TextSketch, _ b: TextSketch, sketched: (TextSketch) -> TextSketch) -> Bool {
            if a.isShort && b.isShort {
                return a.nearlyEqual(b) || a.isTruncation(of: b) || a.isWordTruncation(of: b)
                    || (keyPrefix && a.isKeyPrefix(of: b))
            }
            // Sizes alone may rule a pair out: Jaccard similarity is at most the ratio of the shingle
            // counts, and containment is only trusted from `minimumShingles`.
            let (fewer, more) = (min(a.shingleCount, b.shingleCount), max(a.shingleCount, b.shingleCount))
            if Double(fewer) < jaccard * Double(more) && fewer < Int(minimumShingles) { return false }
            guard a.numbersAgree(with: b) else { return false }
            let a = sketched(a), b = sketched(b)  // a short text against a long one: both as MinHash
            let similarity = a.jaccard(b)
            if similarity >= jaccard { return true }
            return UInt32(min(a.shingles, b.shingles)) >= minimumShingles
                && a.containment(b, jaccard: similarity) >= containment
        }
    }

    /// What detection finds: the duplicate groups, and the entries set aside before grouping because
    /// no one typed them again.
    public struct Detection: Sendable {
        public var groups: [DuplicateGroup]
        /// Entries that repeat an earlier one of the same system, content, author and recorded time: the
        /// same statement exported again (a document-based export carries it in every document).
        public var republished: [UInt32]
        /// (original, copy): the same content by the same author in another system within
        /// `interfaceCopyGap`: carried by software, not typed.
        public var interfaceCopies: [(original: UInt32, copy: UInt32)]
    }

    /// Groups of an audit's store, and the republished entries and interface copies set aside.
    public func detect(in store: EntryStore, linkage: PatientLinkage) -> Detection {
        let recurring = store.categories.map { Self.recurringCategories.contains($0) }
        let thresholds = store.categories.map(NearDuplicateThreshold.of(category:))
        return detect(
            in: store.entries, linkage: linkage, recurring: recurring, sketches: store.sketches, thresholds: thresholds)
    }

    func detect(
        in entries: [Entry], linkage: PatientLinkage, recurring: [Bool], sketches: [TextSketch],
        thresholds: [NearDuplicateThreshold]
    ) -> Detection {
        let person = linkage.person
        // Pass 1 blocks: same fingerprint.
        var blocks = [KeyedIndex]()
        blocks.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            blocks.append(KeyedIndex(key: Self.blockKey(entry.fingerprint, entry, person), index: UInt32(index)))
        }
        let time = { (index: UInt32) in Self.pairingTime(entries[Int(index)]) }
        RadixSort.sortBlocks(&blocks, time: time)

        var setAside = setAsideUntyped(blocks, time: time, entries: entries, person: person)
        var joining = Joining(entries: entries, recurring: recurring, rules: RepeatedFacts(self))
        joining.holdSpans(of: setAside.interfaceCopies)
        joinSameContent(blocks, time: time, setAside: setAside.entries, person: person, into: &joining)
        if nearDuplicates && !sketches.isEmpty {
            joinNearDuplicates(
                sketches, reusing: &blocks, setAside: setAside.entries, person: person, thresholds: thresholds,
                into: &joining)
        }
        blocks = []
        setAside.entries = []
        return Detection(
            groups: Self.gather(joining.grouped, sets: &joining.sets, entries: entries),
            republished: setAside.republished.sorted(),
            interfaceCopies: setAside.interfaceCopies.sorted { $0.copy < $1.copy })
    }

    /// The sets being joined, and what each set's root stands for, during detection.
    private struct Joining {
        let entries: [Entry]
        /// Per category, whether its facts recur (`ReEntryDetector.recurringCategories`).
        let recurring: [Bool]
        let rules: RepeatedFacts
        var sets: UnionFind
        /// A set's effective time is its root entry's, unless the root has none and another member has
        /// one: those few are kept aside (no copy of every entry's time).
        var effectiveOfRoot: [UInt32: Int64] = [:]
        /// Per group of a recurring category, the first and last time of each system (groups only: an entry
        /// alone is its own span).
        var spansOfRoot: [UInt32: RepeatedFacts.SystemSpans] = [:]
        /// Every entry ever joined (with repeats): the members of the groups.
        var grouped: [UInt32] = []

        init(entries: [Entry], recurring: [Bool], rules: RepeatedFacts) {
            self.entries = entries
            self.recurring = recurring
            self.rules = rules
            self.sets = UnionFind(count: entries.count)
        }

        @inline(__always) func effective(_ root: UInt32) -> Int64 {
            effectiveOfRoot[root] ?? entries[Int(root)].effectiveAt
        }

        @inline(__always) func spans(_ root: UInt32) -> RepeatedFacts.SystemSpans {
            spansOfRoot[root] ?? RepeatedFacts.SystemSpans(entries[Int(root)])
        }

        @inline(__always) func isRecurring(_ entry: Entry) -> Bool {
            let category = Int(entry.category)
            return category < recurring.count && recurring[category]
        }

        /// Whether `a` (earlier) and `b` may be one fact by the repeated-fact rules; their roots given.
        @inline(__always) func mayJoin(_ a: UInt32, _ b: UInt32, rootA: UInt32, rootB: UInt32) -> Bool {
            let x = entries[Int(a)]
            return rules.mayJoin(
                x, entries[Int(b)], RepeatedFacts.EffectiveTimes(effective(rootA), effective(rootB)),
                recurring: isRecurring(x), spans: { (spans(rootA), spans(rootB)) })
        }

        /// An interface copy recorded at the very second of its source cannot be told from it (which one
        /// the software wrote is not in the exports): the one kept carries the other's span (rule 6), so that
        /// a recurring fact is not joined to the next day's in the system of the one set aside.
        mutating func holdSpans(of copies: [(original: UInt32, copy: UInt32)]) {
            for (original, copy) in copies
            where isRecurring(entries[Int(original)])
                && entries[Int(original)].recordedAt == entries[Int(copy)].recordedAt
            {
                spansOfRoot[original] = spans(original).merged(RepeatedFacts.SystemSpans(entries[Int(copy)]))
            }
        }

        /// Joins the sets of `a` and `b`, carrying over their effective time and (recurring categories)
        /// their systems' spans.
        @inline(__always) mutating func join(_ a: UInt32, _ b: UInt32, rootA: UInt32, rootB: UInt32) {
            let effectiveA = effective(rootA), effectiveB = effective(rootB)
            let merged = isRecurring(entries[Int(a)]) ? spans(rootA).merged(spans(rootB)) : nil
            let root = sets.union(rootA, rootB)
            if let merged {
                spansOfRoot[rootA] = nil
                spansOfRoot[rootB] = nil
                spansOfRoot[root] = merged
            }
            let mergedEffective = effectiveA == Entry.noTime ? effectiveB : effectiveA
            if mergedEffective != entries[Int(root)].effectiveAt { effectiveOfRoot[root] = mergedEffective }
            grouped.append(a)
            grouped.append(b)
        }
    }

    /// What no one typed again, found before grouping in the blocks of pass 1. The same content by the
    /// same author at the same second in the same system is the statement exported again; a few seconds
    /// later in another system, a copy made by an interface. Each is set aside, named after the first of
    /// its kind.
    private func setAsideUntyped(
        _ blocks: [KeyedIndex], time: (UInt32) -> Int64, entries: [Entry], person: [UInt32]
    ) -> (
        entries: [Bool], republished: [UInt32], interfaceCopies: [(original: UInt32, copy: UInt32)]
    ) {
        var setAside = [Bool](repeating: false, count: entries.count)
        var republished: [UInt32] = []
        var interfaceCopies: [(original: UInt32, copy: UInt32)] = []
        forEachCandidatePair(
            blocks, time: time, distance: { RepeatedFacts.gap(entries[Int($0)], entries[Int($1)]) }, candidates: 16,
            within: interfaceCopyGap
        ) { a, b in
            guard !setAside[Int(a)], !setAside[Int(b)] else { return }
            let x = entries[Int(a)], y = entries[Int(b)]
            guard x.fingerprint == y.fingerprint, x.author == y.author, x.category == y.category, x.site == y.site,
                person[Int(x.patient)] == person[Int(y.patient)],
                x.effectiveAt == y.effectiveAt || !x.hasEffectiveTime || !y.hasEffectiveTime
            else { return }
            let gap = y.recordedAt - x.recordedAt
            // A day alone (or a day given the effective time's time of day) cannot tell a statement exported
            // again from one typed again the same day: only one carried by another file (another document)
            // is taken as exported again, and no such time shows a copy made seconds apart.
            let dayX = !x.flags.isDisjoint(with: .recordedNotToTheSecond),
                dayY = !y.flags.isDisjoint(with: .recordedNotToTheSecond)
            if x.system == y.system, gap == 0, dayX == dayY, !dayX || x.file != y.file {
                setAside[Int(b)] = true
                republished.append(b)
            } else if x.system != y.system, gap <= interfaceCopyGap, x.author != Entry.noID, !dayX, !dayY {
                setAside[Int(b)] = true
                interfaceCopies.append((a, b))
            }
        }
        return (setAside, republished, interfaceCopies)
    }

    /// Pass 1: joins the entries of one block (same fingerprint) that the repeated-fact rules let be one
    /// fact.
    private func joinSameContent(
        _ blocks: [KeyedIndex], time: (UInt32) -> Int64, setAside: [Bool], person: [UInt32],
        into joining: inout Joining
    ) {
        let entries = joining.entries
        forEachCandidatePair(
            blocks, time: time, distance: { RepeatedFacts.gap(entries[Int($0)], entries[Int($1)]) },
            candidates: maxCandidates
        ) { a, b in
            guard !setAside[Int(a)], !setAside[Int(b)] else { return }
            let x = entries[Int(a)], y = entries[Int(b)]
            guard x.fingerprint == y.fingerprint, x.category == y.category, x.site == y.site,
                person[Int(x.patient)] == person[Int(y.patient)]
            else { return }
            let rootA = joining.sets.find(a), rootB = joining.sets.find(b)
            if rootA != rootB, joining.mayJoin(a, b, rootA: rootA, rootB: rootB) {
                joining.join(a, b, rootA: rootA, rootB: rootB)
            }
        }
    }

    /// Pass 2: joins near-identical texts (routine notes are matched exactly, in pass 1, only). Blocks hold
    /// sketch indices here (in `blocks`' storage); each sketch names its entry.
    private func joinNearDuplicates(
        _ sketches: [TextSketch], reusing blocks: inout [KeyedIndex], setAside: [Bool], person: [UInt32],
        thresholds: [NearDuplicateThreshold], into joining: inout Joining
    ) {
        let entries = joining.entries
        blocks.removeAll(keepingCapacity: true)
        for (index, sketch) in sketches.enumerated()
        where !entries[Int(sketch.entry)].flags.contains(.routine) && !setAside[Int(sketch.entry)] {
            blocks.append(
                KeyedIndex(
                    key: Self.blockKey(UInt64(sketch.head), entries[Int(sketch.entry)], person),
                    index: UInt32(index)))
        }
        let time = { (sketch: UInt32) in Self.pairingTime(entries[Int(sketches[Int(sketch)].entry)]) }
        let gap = { (a: UInt32, b: UInt32) in
            RepeatedFacts.gap(entries[Int(sketches[Int(a)].entry)], entries[Int(sketches[Int(b)].entry)])
        }
        // MinHash sketches of the short texts that meet a long one, computed once per block.
        var minHashes: [UInt32: TextSketch] = [:]
        func minHashOf(_ sketch: TextSketch) -> TextSketch {
            guard sketch.isShort else { return sketch }
            if let known = minHashes[sketch.entry] { return known }
            // Pairs come block by block, so a small cache serves: bounded, not one slot per text.
            if minHashes.count >= 4096 { minHashes.removeAll(keepingCapacity: true) }
            let computed = sketch.sketched
            minHashes[sketch.entry] = computed
            return computed
        }
        RadixSort.sortBlocks(&blocks, time: time)
        forEachCandidatePair(blocks, time: time, distance: gap, candidates: nearDuplicateCandidates) { i, j in
            let sketchA = sketches[Int(i)], sketchB = sketches[Int(j)]
            let a = sketchA.entry, b = sketchB.entry
            let x = entries[Int(a)], y = entries[Int(b)]
            guard x.fingerprint != y.fingerprint, sketchA.head == sketchB.head, x.category == y.category,
                x.site == y.site, person[Int(x.patient)] == person[Int(y.patient)]
            else { return }
            let rootA = joining.sets.find(a), rootB = joining.sets.find(b)
            guard rootA != rootB, thresholds[Int(x.category)].accepts(sketchA, sketchB, sketched: minHashOf),
                joining.mayJoin(a, b, rootA: rootA, rootB: rootB)
            else { return }
            joining.join(a, b, rootA: rootA, rootB: rootB)
        }
    }

    /// A 64-bit mix of site, category, person and a content key; equal keys make a block (a collision
    /// of the mix only costs a comparison: pairs are checked field by field).
    @inline(__always)
    static func blockKey(_ content: UInt64, _ entry: Entry, _ person: [UInt32]) -> UInt64 {
        var block =
            content ^ (UInt64(entry.site) << 48 | UInt64(entry.category) << 32 | UInt64(person[Int(entry.patient)]))
        block = block &* 0x9E37_79B9_7F4A_7C15
        return block ^ block >> 29
    }

    /// Where an entry stands when a block is walked in time order: its recorded time, or the **end** of its
    /// day when it has a day alone (`Entry.Flags.recordedDay`). A day stands for any of its times, so each
    /// entry of that day must be among its candidates: at the start of the day, a day-only copy of Tuesday's
    /// dose would meet Monday's dose and not Tuesday's (the rules see true distances, `RepeatedFacts.gap`).
    @inline(__always)
    static func pairingTime(_ entry: Entry) -> Int64 {
        entry.recordedAt + (entry.flags.contains(.recordedDay) ? 86_399 : 0)
    }

    /// Calls `body(earlier, later)` for each pair of one block within the window (or `within` seconds) by
    /// `time` (read once an item), at most `candidates` earlier entries per entry, **the closest pairs of the block first** by
    /// `distance` (a day is at no distance from its own times), then in time order. Joining is greedy, so
    /// an entry must meet its nearest match before a farther one can take it: the same minute in another
    /// system before the day before.
    private func forEachCandidatePair(
        _ blocks: [KeyedIndex], time: (UInt32) -> Int64, distance: (UInt32, UInt32) -> Int64, candidates: Int,
        within: Int64? = nil, _ body: (UInt32, UInt32) -> Void
    ) {
        let window = within ?? self.window
        var pairs: [(earlier: UInt32, later: UInt32)] = []
        // Each pair's distance (seconds, never negative) in the high half and its number in the low half:
        // sorting these plain integers orders the pairs by distance, then as they were found.
        var order: [UInt64] = []
        var times: [Int64] = []  // of the block's items, by position
        RadixSort.forEachRun(ofEqualKeysIn: blocks) { block in
            if block.count == 2 {
                // Most blocks hold two entries: one pair, nothing to order.
                let earlier = blocks[block.lowerBound].index, later = blocks[block.lowerBound + 1].index
                if time(later) - time(earlier) <= window { body(earlier, later) }
                return
            }
            pairs.removeAll(keepingCapacity: true)
            order.removeAll(keepingCapacity: true)
            times.removeAll(keepingCapacity: true)
            for position in block { times.append(time(blocks[position].index)) }
            for later in block.lowerBound + 1..<block.upperBound {
                let laterTime = times[later - block.lowerBound]
                var earlier = later - 1
                let lowest = max(block.lowerBound, later - candidates)
                while earlier >= lowest, laterTime - times[earlier - block.lowerBound] <= window {
                    let (a, b) = (blocks[earlier].index, blocks[later].index)
                    let gap = UInt64(min(max(distance(a, b), 0), Int64(UInt32.max)))
                    order.append(gap << 32 | UInt64(pairs.count))
                    pairs.append((a, b))
                    earlier -= 1
                }
            }
            RadixSort.sort(&order)
            for key in order {
                let pair = pairs[Int(key & 0xFFFF_FFFF)]
                body(pair.earlier, pair.later)
            }
        }
    }

    /// The groups of the joined sets, each ordered by recorded time (then system, then entry order), the
    /// groups by site and original.
    private static func gather(_ grouped: [UInt32], sets: inout UnionFind, entries: [Entry]) -> [DuplicateGroup] {
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
        // Each group ordered in place, then handed over as it is (no second copy of every group).
        for slot in members.indices {
            members[slot].sort { a, b in
                let ea = entries[a], eb = entries[b]
                if ea.recordedAt != eb.recordedAt { return ea.recordedAt < eb.recordedAt }
                if ea.system != eb.system { return ea.system < eb.system }
                return a < b
            }
        }
        slotOfRoot = []
        seen = []
        var groups = members.map { DuplicateGroup(members: $0, site: entries[$0[0]].site) }
        members = []
        groups.sort { a, b in
            if a.site != b.site { return a.site < b.site }
            let oa = entries[a.original], ob = entries[b.original]
            if oa.recordedAt != ob.recordedAt { return oa.recordedAt < ob.recordedAt }
            return a.original < b.original
        }
        return groups
    }
}
