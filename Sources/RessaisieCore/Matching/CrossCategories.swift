/// Facts re-typed into another category (issue 16, item 3): a care note summarized in an administrative
/// record, a dressing written again in an activity report, a care plan item repeated in a note. The per-site
/// detector only compares entries of one category; this is a separate analysis, run after it, whose figures
/// it never changes.
///
/// A later entry of category B is a re-entry of an earlier entry of category A when A → B is one of the
/// compared pairs (`CategoryPair`), both are of one person (after linkage, so of one site), within the window,
/// and their texts say the same fact:
///
/// - the texts by their sketches (`TextSketch`): near-identical, or the shorter found inside the longer
///   (containment) when it is at most `maxLengthRatio` times shorter (beyond that a 32-slot MinHash cannot
///   tell containment from shared words); two short texts by edit distance, truncation or cut words;
/// - the numbers must agree: each number of the shorter text among the first numbers of the longer (a note
///   that names another value is another fact; a number the sketch did not keep cannot be checked, so the
///   pair is left out);
///
/// with the care the per-site detector takes against false counts:
/// - only what someone typed counts: entries set aside (exported again, copied by an interface) and per-site
///   re-entries (beyond their group's original) are left out, so a fact already counted in a group is not
///   counted again here; routine notes (`RAS`, `Nuit calme`) never match; boilerplate is out of the sketch
///   already;
/// - two known effective times that differ are two facts; in a category whose facts recur (vital signs,
///   activity), a content seen more than once for the person within the window of it, without a shared
///   effective time, is ambiguous (the same session every day: which one was written again?);
/// - the same author in two categories within `softwareGap` is one act of recording that software filed twice
///   (a form writing both a note and an activity line), not a re-typing;
/// - one-to-one: an entry is the re-entry of at most one earlier entry (the nearest in time), an entry is the
///   original of at most one re-entry per category, and a re-entry is never an original.
public struct CrossCategoryDetector: Sendable {
    /// An ordered pair of categories: facts of `from` re-typed into `to`.
    public struct CategoryPair: Sendable, Hashable, Comparable, CustomStringConvertible {
        public var from: String
        public var to: String

        public init(from: String, to: String) {
            self.from = from
            self.to = to
        }

        public var description: String { "\(from)->\(to)" }

        public static func < (a: CategoryPair, b: CategoryPair) -> Bool { (a.from, a.to) < (b.from, b.to) }

        /// Parses `note<->administrative` (both ways) or `vital_sign->note` (one way); nil when malformed or
        /// when both sides name one category.
        public static func parse(_ text: String) -> [CategoryPair]? {
            let both = text.split(separator: "<->", omittingEmptySubsequences: false)
            let parts = both.count == 2 ? both : text.split(separator: "->", omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            let from = parts[0].trimmingASCIISpaces().lowercased(), to = parts[1].trimmingASCIISpaces().lowercased()
            guard !from.isEmpty, !to.isEmpty, from != to else { return nil }
            let pair = CategoryPair(from: from, to: to)
            return both.count == 2 ? [pair, CategoryPair(from: to, to: from)] : [pair]
        }
    }

    /// Where facts are re-typed into another category in the field: care notes summarized into administrative
    /// records and care plans (and back), activity reports written from notes and care plans (and back), a
    /// vital sign written again in a note.
    public static let defaultPairSpecs = [
        "note<->administrative", "note<->care_plan", "vital_sign->note", "activity<->note", "activity<->care_plan",
    ]
    public static let defaultPairs: [CategoryPair] = defaultPairSpecs.flatMap { CategoryPair.parse($0)! }.sorted()

    /// The per-site window: a fact is summarized in another record around the care, as it is copied.
    public static let defaultWindowHours = ReEntryDetector.defaultWindowHours

    /// Ordered pairs of categories compared.
    public var pairs: [CategoryPair]
    /// Largest gap, in seconds, between a fact typed in one category and typed again in another.
    public var window: Int64
    /// Most earlier entries one entry is compared with.
    public var maxCandidates: Int
    /// Largest gap between two entries of one author, in two categories, for them to be one act of
    /// recording filed twice by software.
    public var softwareGap: Int64 = 60
    /// Largest ratio of shingle counts for the shorter text to be looked for inside the longer.
    public var maxLengthRatio = 4
    /// Near-identical texts, or the shorter contained in the longer: stricter than within one category
    /// (notes: 0.5 and 0.85), since two categories of one person share words more often than facts.
    public var threshold = ReEntryDetector.NearDuplicateThreshold(jaccard: 0.6, containment: 0.9, minimumShingles: 12)

    public init(
        pairs: [CategoryPair] = CrossCategoryDetector.defaultPairs,
        windowHours: Int = CrossCategoryDetector.defaultWindowHours, maxCandidates: Int = 64
    ) {
        self.pairs = pairs
        window = Int64(windowHours) * 3600
        self.maxCandidates = maxCandidates
    }

    public var windowHours: Int { Int(window / 3600) }

    /// One fact typed in one category, then again in another: entry indices.
    public struct Pair: Sendable, Equatable {
        public var original: Int
        public var reEntry: Int
    }

    public struct Result: Sendable {
        /// By the re-entry's time, then entry order.
        public var pairs: [Pair]
        public var flows: [CrossCategoryFlow]
    }

    /// The cross-category re-entries of an audit whose per-site analysis is `linkage` and `groups`.
    public func detect(
        in store: EntryStore, linkage: PatientLinkage, groups: [DuplicateGroup], setAside: [UInt32]
    ) -> Result {
        let entries = store.entries
        let categoryIndex = Dictionary(store.categories.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var compared = Set<UInt32>()  // from << 16 | to, category indices
        for pair in pairs {
            guard let from = categoryIndex[pair.from], let to = categoryIndex[pair.to] else { continue }
            compared.insert(UInt32(from) << 16 | UInt32(to))
        }
        guard !compared.isEmpty else { return Result(pairs: [], flows: []) }
        let involved = Set(compared.flatMap { [UInt16($0 >> 16), UInt16($0 & 0xFFFF)] })
        // One flag an entry, and a block list of sketch numbers (not sketches copied into per-person arrays):
        // the pass runs last, while the store, linkage and groups are all held (and half the time it took).
        var excluded = [Bool](repeating: false, count: entries.count)
        for index in setAside { excluded[Int(index)] = true }
        for group in groups { for index in group.reEntries { excluded[index] = true } }
        let recurring = store.categories.map { ReEntryDetector.recurringCategories.contains($0) }

        // Candidates with a sketch, blocked by person (persons never cross sites), by time.
        let sketches = store.sketches
        var blocks: [KeyedIndex] = []
        var seen: [UInt64: [Int64]] = [:]  // person, category, fingerprint → recorded times
        for (number, sketch) in sketches.enumerated() {
            let index = Int(sketch.entry)
            let entry = entries[index]
            guard involved.contains(entry.category), !excluded[index], !entry.flags.contains(.routine) else { continue }
            let person = linkage.person[Int(entry.patient)]
            blocks.append(KeyedIndex(key: UInt64(person), index: UInt32(number)))
            if recurring[Int(entry.category)] {
                seen[PathwayDetector.key(entry.fingerprint, person, entry.category), default: []].append(
                    entry.recordedAt)
            }
        }
        excluded = []
        func ambiguous(_ index: Int, _ other: Entry) -> Bool {
            let entry = entries[index]
            guard recurring[Int(entry.category)], !(entry.hasEffectiveTime && entry.effectiveAt == other.effectiveAt)
            else { return false }
            let person = linkage.person[Int(entry.patient)]
            let times = seen[PathwayDetector.key(entry.fingerprint, person, entry.category)] ?? []
            return times.count(where: { abs($0 - entry.recordedAt) <= window }) > 1
        }

        var pairs: [Pair] = []
        var used = Set<UInt64>()  // original << 16 | category of its re-entry
        var isReEntry = [Bool](repeating: false, count: entries.count)
        var block: [(index: Int, sketch: Int)] = []  // one buffer for every person's block
        RadixSort.sort(&blocks)
        blocks.withUnsafeMutableBufferPointer { buffer in
            RadixSort.forEachRun(ofEqualKeysIn: buffer) { run in
                block.removeAll(keepingCapacity: true)
                for item in buffer[run] { block.append((Int(sketches[Int(item.index)].entry), Int(item.index))) }
                block.sort { a, b in
                    let (x, y) = (entries[a.index].recordedAt, entries[b.index].recordedAt)
                    return x != y ? x < y : a.index < b.index
                }
                for (position, later) in block.enumerated() {
                    let y = entries[later.index]
                    for earlier in block[max(0, position - maxCandidates)..<position].reversed() {
                        let x = entries[earlier.index]
                        if y.recordedAt - x.recordedAt > window { break }
                        guard compared.contains(UInt32(x.category) << 16 | UInt32(y.category)),
                            !isReEntry[earlier.index],
                            !used.contains(UInt64(earlier.index) << 16 | UInt64(y.category)),
                            mayPair(x, y), !ambiguous(earlier.index, y), !ambiguous(later.index, x),
                            sameFact(sketches[earlier.sketch], sketches[later.sketch])
                        else { continue }
                        pairs.append(Pair(original: earlier.index, reEntry: later.index))
                        used.insert(UInt64(earlier.index) << 16 | UInt64(y.category))
                        isReEntry[later.index] = true
                        break
                    }
                }
            }
        }
        pairs.sort { a, b in
            let (x, y) = (entries[a.reEntry], entries[b.reEntry])
            return x.recordedAt != y.recordedAt ? x.recordedAt < y.recordedAt : a.reEntry < b.reEntry
        }
        return Result(pairs: pairs, flows: Self.flows(pairs: pairs, store: store))
    }

    /// Whether `x` (earlier) and `y` may be one fact re-typed: two categories, no two different effective
    /// times, not one act of recording by one author filed twice.
    private func mayPair(_ x: Entry, _ y: Entry) -> Bool {
        guard x.category != y.category, !(x.hasEffectiveTime && y.hasEffectiveTime && x.effectiveAt != y.effectiveAt)
        else { return false }
        if x.author != Entry.noID, x.author == y.author, y.recordedAt - x.recordedAt <= softwareGap { return false }
        return true
    }

    /// Whether two texts say one fact: near-identical, or the shorter inside the longer, their numbers agreeing.
    func sameFact(_ a: TextSketch, _ b: TextSketch) -> Bool {
        let (fewer, more) = a.shingleCount <= b.shingleCount ? (a, b) : (b, a)
        guard more.shingleCount <= maxLengthRatio * fewer.shingleCount, Self.numbers(of: fewer, foundIn: more)
        else { return false }
        return threshold.accepts(a, b, sketched: \.sketched)
    }

    /// Whether each number of `short` is one of the first two numbers of `long` (`TextSketch.numbers`); a
    /// short text with two numbers against a long one with two others cannot be checked further: refused.
    static func numbers(of short: TextSketch, foundIn long: TextSketch) -> Bool {
        let theirs = [long.numbers & 0xFFFF, long.numbers >> 16].filter { $0 != 0 }
        for mine in [short.numbers & 0xFFFF, short.numbers >> 16] where mine != 0 {
            guard theirs.contains(mine) else { return false }
        }
        return true
    }

    /// Per site and ordered pair of categories, the re-entries.
    static func flows(pairs: [Pair], store: EntryStore) -> [CrossCategoryFlow] {
        var flows: [CrossCategoryFlow: Int] = [:]
        for pair in pairs {
            let (x, y) = (store.entries[pair.original], store.entries[pair.reEntry])
            let key = CrossCategoryFlow(
                site: store.sites[Int(y.site)], fromCategory: store.categories[Int(x.category)],
                toCategory: store.categories[Int(y.category)])
            flows[key, default: 0] += 1
        }
        return flows.map { key, count in
            var flow = key
            flow.reEntries = count
            return flow
        }.sorted { ($0.site, $0.fromCategory, $0.toCategory) < ($1.site, $1.fromCategory, $1.toCategory) }
    }
}

/// Facts typed in one category and typed again in another at one site.
public struct CrossCategoryFlow: Sendable, Hashable {
    public var site: String
    public var fromCategory: String
    public var toCategory: String
    public var reEntries = 0

    public init(site: String, fromCategory: String, toCategory: String, reEntries: Int = 0) {
        self.site = site
        self.fromCategory = fromCategory
        self.toCategory = toCategory
        self.reEntries = reEntries
    }

    /// What the information was typed for, then typed again for (`Category.purpose(of:)`): care → management
    /// is the field's central worry.
    public var fromPurpose: Purpose { Category.purpose(of: fromCategory) }
    public var toPurpose: Purpose { Category.purpose(of: toCategory) }
}
