/// A stratum of the pairs offered for review: where the pair comes from (a duplicate group, or a candidate
/// the matcher left apart), whether its two entries are in two systems, and how alike their contents are.
///
/// The strata follow what the estimates need. Grouped pairs give **precision** (the share of grouped pairs
/// that record one fact); near-misses give the true pairs the matcher **missed**, which recall needs: they
/// are most likely just under the thresholds, rare but far more numerous further under, so each band is a
/// stratum of its own, drawn and weighted apart.
public struct ReviewStratum: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        /// Two entries of one duplicate group.
        case grouped
        /// Two entries the matcher did not put in one group, although they are candidates: same site, linked
        /// patient and category, within the window.
        case nearMiss = "near_miss"
    }

    /// How alike the two contents are (`ReviewCandidates.score`).
    public enum Band: String, Sendable, CaseIterable {
        /// The same normalized content (same fingerprint).
        case same
        /// Grouped on near-identical text (a typo, a truncated copy), or, for a near-miss, text similarity
        /// from `ReviewCandidates.nearBand` up: just under the thresholds.
        case near
        /// Text similarity from `partialBand` to `nearBand`.
        case partial
        /// Less alike, or contents without text that differ (another value, another label).
        case far
    }

    public var kind: Kind
    public var crossSystem: Bool
    public var band: Band

    public init(kind: Kind, crossSystem: Bool, band: Band) {
        self.kind = kind
        self.crossSystem = crossSystem
        self.band = band
    }

    /// `grouped.cross.same`, `near_miss.same_system.far`…: the stable id written in the sample file.
    public var description: String { "\(kind.rawValue).\(crossSystem ? "cross" : "same_system").\(band.rawValue)" }

    /// The stratum of an id written by `description`.
    public init?(id: String) {
        let parts = id.split(separator: ".").map(String.init)
        guard parts.count == 3, let kind = Kind(rawValue: parts[0]), parts[1] == "cross" || parts[1] == "same_system",
            let band = Band(rawValue: parts[2])
        else { return nil }
        self.init(kind: kind, crossSystem: parts[1] == "cross", band: band)
    }

    /// Every stratum, in the order the sample lists them.
    public static let all: [ReviewStratum] = Kind.allCases.flatMap { kind in
        [true, false].flatMap { cross in Band.allCases.map { ReviewStratum(kind: kind, crossSystem: cross, band: $0) } }
    }

    public static func < (a: ReviewStratum, b: ReviewStratum) -> Bool {
        all.firstIndex(of: a)! < all.firstIndex(of: b)!
    }
}

/// Two entries offered for review, the earlier first.
public struct ReviewPair: Sendable, Equatable {
    public var first: Int
    public var second: Int
    public var stratum: ReviewStratum
    /// Similarity of the two contents, 0 to 1: 1 for the same normalized content, else the estimated Jaccard
    /// similarity of their texts' shingles (0 when one has no text).
    public var score: Double

    public init(first: Int, second: Int, stratum: ReviewStratum, score: Double) {
        self.first = first
        self.second = second
        self.stratum = stratum
        self.score = score
    }
}

/// The pairs of an audit that a review can draw from, by blocking (never all pairs of the audit):
///
/// - **grouped**: every pair of entries of every duplicate group (Σ C(n, 2), the pairs that pairwise
///   precision counts);
/// - **near-misses**: every pair of entries of one site, linked patient and category, recorded within the
///   window, that are not in one group (a block of site × person × category sorted by time, at most
///   `maxCandidates` earlier entries per entry, as the detector compares). `review` leaves the entries set
///   aside before grouping (exported again, copied by an interface) among them: that decision is checked too,
///   and a true pair it broke is a pair missed (`setAside` keeps given entries out of every pair).
///
/// A true pair outside these blocks (two records of one patient the linkage did not join, two categories)
/// cannot be drawn: recall is estimated over the candidates, and the README says so.
public struct ReviewCandidates: Sendable {
    /// Text similarity from which a near-miss is `near` (just under the thresholds: 0.5 notes, 0.6 others).
    public static let nearBand = 0.3
    /// Text similarity from which a near-miss is `partial`.
    public static let partialBand = 0.1

    public var window: Int64
    public var maxCandidates: Int

    public init(window: Int64 = Int64(ReEntryDetector.defaultWindowHours) * 3600, maxCandidates: Int = 256) {
        self.window = window
        self.maxCandidates = maxCandidates
    }

    /// Calls `body` with every candidate pair, grouped pairs first (group by group), then near-misses
    /// block by block: always in the same order for the same audit.
    public func forEachPair(
        store: EntryStore, linkage: PatientLinkage, groups: [DuplicateGroup], setAside: Set<UInt32> = [],
        _ body: (ReviewPair) -> Void
    ) {
        let entries = store.entries
        var scorer = Scorer(store: store)
        var groupOf = [Int32](repeating: -1, count: entries.count)
        for (index, group) in groups.enumerated() {
            for member in group.members { groupOf[member] = Int32(index) }
            for i in 0..<group.members.count {
                for j in (i + 1)..<group.members.count {
                    let a = group.members[i], b = group.members[j]
                    let score = scorer.score(a, b)
                    let band: ReviewStratum.Band = score >= 1 ? .same : .near
                    let stratum = ReviewStratum(
                        kind: .grouped, crossSystem: entries[a].system != entries[b].system, band: band)
                    body(ReviewPair(first: a, second: b, stratum: stratum, score: score))
                }
            }
        }
        // Near-misses: blocks of site × person × category, by time.
        let person = linkage.person
        var order = (0..<entries.count).filter { !setAside.contains(UInt32($0)) }
        order.sort { a, b in
            let x = entries[a], y = entries[b]
            if x.site != y.site { return x.site < y.site }
            let px = person[Int(x.patient)], py = person[Int(y.patient)]
            if px != py { return px < py }
            if x.category != y.category { return x.category < y.category }
            if x.recordedAt != y.recordedAt { return x.recordedAt < y.recordedAt }
            return a < b
        }
        var blockStart = 0
        while blockStart < order.count {
            let head = entries[order[blockStart]]
            var blockEnd = blockStart + 1
            while blockEnd < order.count {
                let e = entries[order[blockEnd]]
                guard e.site == head.site, e.category == head.category,
                    person[Int(e.patient)] == person[Int(head.patient)]
                else { break }
                blockEnd += 1
            }
            if blockEnd - blockStart > 1 {
                for later in (blockStart + 1)..<blockEnd {
                    let b = order[later]
                    var earlier = later - 1
                    let lowest = max(blockStart, later - maxCandidates)
                    while earlier >= lowest {
                        let a = order[earlier]
                        if RepeatedFacts.gap(entries[a], entries[b]) > window { break }
                        earlier -= 1
                        if groupOf[a] >= 0, groupOf[a] == groupOf[b] { continue }
                        let score = scorer.score(a, b)
                        let band: ReviewStratum.Band =
                            score >= 1
                            ? .same : score >= Self.nearBand ? .near : score >= Self.partialBand ? .partial : .far
                        let stratum = ReviewStratum(
                            kind: .nearMiss, crossSystem: entries[a].system != entries[b].system, band: band)
                        let (first, second) = entries[a].recordedAt <= entries[b].recordedAt ? (a, b) : (b, a)
                        body(ReviewPair(first: first, second: second, stratum: stratum, score: score))
                    }
                }
            }
            blockStart = blockEnd
        }
    }

    /// Scores pairs of one store: 1 for the same fingerprint, else the Jaccard estimate of the two texts'
    /// MinHash sketches (a short text kept whole is sketched once, on first use), 0 when one has no text.
    struct Scorer {
        let store: EntryStore
        /// Sketch index of each entry, or -1.
        var sketchOf: [Int32]
        var minHashes: [Int32: TextSketch] = [:]

        init(store: EntryStore) {
            self.store = store
            sketchOf = [Int32](repeating: -1, count: store.count)
            for (index, sketch) in store.sketches.enumerated() { sketchOf[Int(sketch.entry)] = Int32(index) }
        }

        mutating func minHash(_ sketch: Int32) -> TextSketch {
            if let known = minHashes[sketch] { return known }
            let computed = store.sketches[Int(sketch)].sketched
            minHashes[sketch] = computed
            return computed
        }

        mutating func score(_ a: Int, _ b: Int) -> Double {
            if store.entries[a].fingerprint == store.entries[b].fingerprint { return 1 }
            let sa = sketchOf[a], sb = sketchOf[b]
            guard sa >= 0, sb >= 0 else { return 0 }
            return min(0.999, minHash(sa).jaccard(minHash(sb)))
        }
    }
}

/// A stratified random sample of review pairs, drawn reproducibly from a seed.
///
/// The sample size is split between grouped pairs and near-misses (`groupedShare` to the former, what one
/// side cannot use going to the other); within each side, every non-empty stratum gets at least `minimumPerStratum` pairs
/// (all of them when it has fewer), the rest in proportion to population × a prior standard deviation of
/// the stratum's share of true pairs (Neyman allocation: a near-miss just under the thresholds is a coin
/// toss, one far under almost never the same fact). Within a stratum, pairs are drawn by selection
/// sampling (Knuth's algorithm S) over the candidates in their fixed order: the same audit, size and seed
/// give the same pairs.
public struct ReviewSample: Sendable {
    public var pairs: [ReviewPair]
    /// Candidate pairs per stratum (every stratum, 0 when empty).
    public var populations: [ReviewStratum: Int]

    public static let minimumPerStratum = 5

    /// Prior standard deviation √(p(1 − p)) of the share p of true pairs in a stratum, for the allocation only
    /// (a wrong prior costs width, never validity). From a census of every candidate pair of a synthetic audit
    /// (`synth --habits random --entries 20000 --seed 1`, labelled from its truth): grouped pairs are one fact
    /// 97–100 % of the time; near-misses across systems 76–78 % with the same content or just under the
    /// thresholds, 16 % partial, 4 % far; in one system 3 % with the same content (a drug given every day),
    /// 36 % near, 5 % partial, 1 % far.
    static func prior(_ stratum: ReviewStratum) -> Double {
        switch (stratum.kind, stratum.crossSystem, stratum.band) {
        case (.grouped, _, .same): 0.1
        case (.grouped, _, _): 0.2
        case (.nearMiss, true, .same), (.nearMiss, true, .near): 0.42
        case (.nearMiss, true, .partial): 0.37
        case (.nearMiss, true, .far): 0.2
        case (.nearMiss, false, .same): 0.17
        case (.nearMiss, false, .near): 0.48
        case (.nearMiss, false, .partial): 0.22
        case (.nearMiss, false, .far): 0.1
        }
    }

    /// Share of the sample given to grouped pairs (precision); the rest goes to near-misses, whose large
    /// populations of rare true pairs make recall the harder estimate.
    public static let groupedShare = 0.4

    /// Draws `size` pairs among the candidates of an analysed audit.
    public static func draw(
        store: EntryStore, linkage: PatientLinkage, groups: [DuplicateGroup], setAside: Set<UInt32> = [],
        candidates: ReviewCandidates, size: Int, seed: UInt64
    ) -> ReviewSample {
        var populations = Dictionary(uniqueKeysWithValues: ReviewStratum.all.map { ($0, 0) })
        candidates.forEachPair(store: store, linkage: linkage, groups: groups, setAside: setAside) {
            populations[$0.stratum]! += 1
        }
        let sizes = allocate(size, populations: populations)
        var remaining = populations, wanted = sizes
        var generator = SplitMix64(seed: seed)
        var pairs: [ReviewPair] = []
        candidates.forEachPair(store: store, linkage: linkage, groups: groups, setAside: setAside) { pair in
            let stratum = pair.stratum
            let left = remaining[stratum]!, want = wanted[stratum]!
            remaining[stratum] = left - 1
            guard want > 0 else { return }
            // Selection sampling: take this one with probability wanted / left.
            if generator.below(UInt64(left)) < UInt64(want) {
                pairs.append(pair)
                wanted[stratum] = want - 1
            }
        }
        pairs.sort { ($0.stratum, $0.first, $0.second) < ($1.stratum, $1.first, $1.second) }
        return ReviewSample(pairs: pairs, populations: populations)
    }

    /// How many pairs each stratum gets out of `size`.
    public static func allocate(_ size: Int, populations: [ReviewStratum: Int]) -> [ReviewStratum: Int] {
        var sizes = Dictionary(uniqueKeysWithValues: ReviewStratum.all.map { ($0, 0) })
        let kinds = ReviewStratum.Kind.allCases
        let totals = kinds.map { kind in populations.filter { $0.key.kind == kind }.values.reduce(0, +) }
        // `groupedShare` to grouped pairs, the rest to near-misses, what a side cannot use going to the other.
        let grouped = Int((Double(size) * groupedShare).rounded())
        var budget = [grouped, size - grouped]
        for side in 0..<2 where totals[side] < budget[side] {
            budget[1 - side] += budget[side] - totals[side]
            budget[side] = totals[side]
        }
        for (side, kind) in kinds.enumerated() {
            let strata = ReviewStratum.all.filter { $0.kind == kind && populations[$0]! > 0 }
            var left = min(budget[side], totals[side])
            // The floor first, in stratum order while the budget lasts.
            for stratum in strata where left > 0 {
                let floor = min(populations[stratum]!, minimumPerStratum, left)
                sizes[stratum] = floor
                left -= floor
            }
            // The rest by population × prior, capped at the population, until nothing is left or all is taken.
            while left > 0 {
                let open = strata.filter { sizes[$0]! < populations[$0]! }
                guard !open.isEmpty else { break }
                let weights = open.map { Double(populations[$0]!) * prior($0) }
                let total = weights.reduce(0, +)
                var given = 0
                for (stratum, weight) in zip(open, weights) {
                    let share = min(
                        populations[stratum]! - sizes[stratum]!, Int((Double(left) * weight / total).rounded(.down)))
                    sizes[stratum]! += share
                    given += share
                }
                if given == 0 {
                    // Less than one pair each: one to the heaviest open strata.
                    for (stratum, _) in zip(open, weights).sorted(by: { $0.1 > $1.1 }) where given < left {
                        sizes[stratum]! += 1
                        given += 1
                    }
                }
                left -= given
            }
        }
        return sizes
    }
}
