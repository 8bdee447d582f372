import Foundation

/// Linkage v2: within a site, a valid INS first, then exact identity traits, then Fellegi–Sunter on
/// the pairs that blocking proposes.
///
/// 1. Records carrying the same (valid) INS are one person. Two records with different valid INS are
///    never joined, whatever the other steps say (homonyms stay apart).
/// 2. Records with the same normalized traits (birth name, first given name, birth date, sex) are one
///    person, as in `DeterministicLinker`.
/// 3. Candidate pairs come from blocking on several keys (never all pairs): the phonetic birth name; the
///    birth date; the phonetic first given name with the birth year; the exact birth name with the
///    birth year; both names in either order; with `ressaisie link --compare` columns, each column with
///    the phonetic given name and with the phonetic birth name. Blocks of up to 40 records give all
///    their pairs; larger ones are sorted by a feature their key does not hold (birth date, names) and
///    give each record's 24 neighbours, so pairs grow linearly; blocks larger than `maxBlockSize` are
///    skipped (too unspecific to be worth the pairs).
///    Each pair is compared field by field (`FellegiSunterModel.compare`); m (and the candidates' own u
///    and proportion of matches, for each pair's probability) are estimated by EM over the candidate
///    pairs, u by the agreement of random pairs of the site; pairs whose total weight Σ log₂(m/u)
///    reaches `threshold` are joined, highest weight first (ties in record order, so the result never
///    depends on hashing order).
///
/// The default threshold, 15, asks that the comparison be about 30,000 times likelier among matches
/// than among random pairs: exact names and birth date pass (about 24 with default parameters), so do
/// one misspelt name or a day/month swap with the rest exact (about 20); the same names with another
/// birth date do not (about 8), nor the same names with one date component wrong (about 14). On FEBRL
/// dataset 4 (docs/BENCHMARKS.md) any threshold from 8 to 15 gives the same precision of 1.000.
///
/// One-to-one: a probabilistic join is refused when the person would then hold two records of one system
/// that were not matched to each other (a system has one record per person, so the best-weighted partner
/// wins). Two records of the same system may still be joined directly: that is an identity duplicate, and
/// only with the same birth date (names may differ as typed): two ids of one system are two persons by
/// that system's own account, and a birth date one digit apart is a homonym as often as a typo (a large
/// site holds thousands of namesakes; counted in `refusedWithinSystem`).
public struct ProbabilisticLinker: PatientLinker {
    public var threshold: Double
    public var oneToOne: Bool
    public var maxBlockSize: Int
    /// Random pairs drawn per site to estimate u (all pairs when a site has fewer).
    public var randomPairsPerSite = 30_000

    public static let defaultThreshold = 15.0

    public init(threshold: Double = Self.defaultThreshold, oneToOne: Bool = true, maxBlockSize: Int = 500) {
        self.threshold = threshold
        self.oneToOne = oneToOne
        self.maxBlockSize = maxBlockSize
    }

    public var name: String {
        "probabilistic-v2 (valid INS, exact traits, then Fellegi–Sunter with EM on blocked pairs, weight ≥ \(Int(threshold)))"
    }

    /// Which pairs of records may be joined.
    public enum Scope: Sendable {
        /// Any two records of one site (an audit).
        case withinSite
        /// Only records of different systems (two files to link, one as each system).
        case acrossSystems
    }

    public enum Method: String, Sendable {
        case ins, traits, probabilistic
    }

    /// One join: two records, how they were joined, and their Fellegi–Sunter weight and match probability.
    public struct Link: Sendable, Equatable {
        public var a: Int
        public var b: Int
        public var method: Method
        public var weight: Double
        public var probability: Double
    }

    public struct Result: Sendable {
        public var linkage: PatientLinkage
        /// Joins in the order they were made.
        public var links: [Link]
        public var model: FellegiSunterModel
    }

    public func link(_ patients: [PatientRecord]) -> PatientLinkage {
        decide(patients, scope: .withinSite).linkage
    }

    /// Links `patients` and tells how each join was made.
    public func decide(_ patients: [PatientRecord], scope: Scope) -> Result {
        var persons = PersonSets(patients)
        var links: [Link] = []
        var linkage = PatientLinkage(person: [], personCount: 0)
        let extraFields = min(patients.lazy.map(\.features.extra.count).max() ?? 0, 11)
        func allowed(_ a: Int, _ b: Int) -> Bool {
            patients[a].site == patients[b].site && (scope == .withinSite || patients[a].system != patients[b].system)
        }

        // Candidate pairs and the model, first: INS and trait joins are reported with their weight too.
        let candidates = candidatePairs(patients, allowed: allowed)
        linkage.candidatePairs = candidates.count
        let compared = ComparedPairs(candidates, patients, extraFields: extraFields)
        let patterns = compared.distinct.sorted { $0.pattern < $1.pattern }
        var model = FellegiSunterModel.estimate(patterns: patterns, extraFields: extraFields)
        model.estimateRandomU(
            patterns: randomPairs(patients, allowed: allowed).map {
                FellegiSunterModel.compare(
                    patients[Int($0 >> 32)].features, patients[Int($0 & 0xFFFF_FFFF)].features, extraFields: extraFields
                )
            })
        func scored(_ a: Int, _ b: Int, _ method: Method) -> Link {
            let pattern = FellegiSunterModel.compare(
                patients[a].features, patients[b].features, extraFields: extraFields)
            return Link(
                a: a, b: b, method: method, weight: model.weight(pattern), probability: model.probability(pattern))
        }

        // 1. INS, 2. exact traits.
        for method in [Method.ins, .traits] {
            for (first, member) in Self.identicalPairs(patients, by: method, allowed: allowed) {
                guard persons.join(first, member) else { continue }
                links.append(scored(first, member, method))
                if method == .ins { linkage.linksByINS += 1 } else { linkage.linksByTraits += 1 }
            }
        }
        // 3. Fellegi–Sunter, best weight first.
        for (index, weight) in acceptedPairs(candidates, compared, patients, model: model, persons: &persons) {
            let pair = candidates[Int(index)], pattern = compared.pattern(of: Int(index))
            let a = Int(pair >> 32), b = Int(pair & 0xFFFF_FFFF)
            let rootA = persons.sets.find(UInt32(a)), rootB = persons.sets.find(UInt32(b))
            if rootA == rootB { continue }
            if oneToOne, patients[a].system != patients[b].system,
                persons.systems[Int(rootA)].intersects(persons.systems[Int(rootB)])
            {
                linkage.refusedByOneToOne += 1
                continue
            }
            if patients[a].system == patients[b].system, pattern[2] != 3 {
                // Two ids of one system: that system counts two persons. Only an identity duplicate (the same
                // birth date, the names as typed) overrides it; a near birth date is a homonym as often.
                linkage.refusedWithinSystem += 1
                continue
            }
            if persons.join(a, b) {
                links.append(
                    Link(a: a, b: b, method: .probabilistic, weight: weight, probability: model.probability(pattern)))
                linkage.linksByProbability += 1
            }
        }

        linkage.refusedByINS = persons.refusedByINS
        (linkage.person, linkage.personCount) = PatientLinkage.persons(of: &persons.sets)
        return Result(linkage: linkage, links: links, model: model)
    }

    /// The persons being formed: records joined in sets, each set's INS and systems kept at its root.
    private struct PersonSets {
        var sets: UnionFind
        var ins: [Pseudonym?]
        var systems: [SystemSet]
        /// Joins refused because the two sets carry different INS.
        var refusedByINS = 0

        init(_ patients: [PatientRecord]) {
            sets = UnionFind(count: patients.count)
            ins = patients.map(\.ins)
            systems = patients.map { SystemSet($0.system) }
        }

        /// Joins the sets of a and b; false when they are one set already, or when different INS forbid it.
        mutating func join(_ a: Int, _ b: Int) -> Bool {
            let rootA = sets.find(UInt32(a)), rootB = sets.find(UInt32(b))
            if rootA == rootB { return false }
            let insA = ins[Int(rootA)], insB = ins[Int(rootB)]
            if let insA, let insB, insA != insB {
                refusedByINS += 1
                return false
            }
            let joinedSystems = systems[Int(rootA)].union(systems[Int(rootB)])
            let root = sets.union(rootA, rootB)
            ins[Int(root)] = insA ?? insB
            systems[Int(root)] = joinedSystems
            return true
        }
    }

    /// The candidate pairs' comparison patterns: each distinct pattern once (EM and weights work on
    /// patterns) with its count, and each pair's pattern number.
    private struct ComparedPairs {
        var patternOf: [UInt32] = []
        var distinct: [(pattern: ComparisonPattern, count: Int)] = []

        init(_ candidates: [UInt64], _ patients: [PatientRecord], extraFields: Int) {
            patternOf.reserveCapacity(candidates.count)
            var numberOf: [ComparisonPattern: UInt32] = [:]
            for pair in candidates {
                let pattern = FellegiSunterModel.compare(
                    patients[Int(pair >> 32)].features, patients[Int(pair & 0xFFFF_FFFF)].features,
                    extraFields: extraFields)
                if let number = numberOf[pattern] {
                    patternOf.append(number)
                    distinct[Int(number)].count += 1
                } else {
                    numberOf[pattern] = UInt32(distinct.count)
                    patternOf.append(UInt32(distinct.count))
                    distinct.append((pattern, 1))
                }
            }
        }

        /// The pattern of candidate pair number `index`.
        func pattern(of index: Int) -> ComparisonPattern { distinct[Int(patternOf[index])].pattern }
    }

    /// Steps 1 and 2: pairs of records with the same valid INS (`.ins`) or the same exact traits
    /// (`.traits`) in one site; each record is paired with the first record of its group that it may
    /// join, groups in the order of their first record.
    private static func identicalPairs(
        _ patients: [PatientRecord], by method: Method, allowed: (Int, Int) -> Bool
    ) -> [(first: Int, member: Int)] {
        struct Key: Hashable {
            var site: UInt16
            var value: Pseudonym
        }
        var groups: [Key: [Int]] = [:]
        for (index, record) in patients.enumerated() {
            guard let value = method == .ins ? record.ins : record.traits else { continue }
            groups[Key(site: record.site, value: value), default: []].append(index)
        }
        var pairs: [(first: Int, member: Int)] = []
        for members in groups.values.filter({ $0.count > 1 }).sorted(by: { $0[0] < $1[0] }) {
            for member in members.dropFirst() {
                guard let first = members.first(where: { $0 < member && allowed($0, member) }) else { continue }
                pairs.append((first, member))
            }
        }
        return pairs
    }

    /// Step 3's pairs: candidates (by number, with their weight) whose weight reaches `threshold`, best
    /// weight first (ties in record order), pairs already joined by INS or traits left out. A pair's weight
    /// is its pattern's, corrected for how common the names and birth date it agrees on exactly are in its
    /// site (`frequencyCorrection`).
    private func acceptedPairs(
        _ candidates: [UInt64], _ compared: ComparedPairs, _ patients: [PatientRecord], model: FellegiSunterModel,
        persons: inout PersonSets
    ) -> [(index: UInt32, weight: Double)] {
        let weights = compared.distinct.map { model.weight($0.pattern) }
        let frequencies = ValueFrequencies(patients)
        // Candidates by number (4 bytes each) with their weight.
        var accepted: [(index: UInt32, weight: Double)] = []
        for (index, pair) in candidates.enumerated() {
            let base = weights[Int(compared.patternOf[index])]
            guard base + ValueFrequencies.largestCorrection >= threshold else { continue }
            let a = Int(pair >> 32), b = Int(pair & 0xFFFF_FFFF)
            let weight = base + frequencies.correction(a, b, compared.pattern(of: index), model: model)
            guard weight >= threshold else { continue }
            if persons.sets.find(UInt32(a)) == persons.sets.find(UInt32(b)) { continue }
            accepted.append((UInt32(index), weight))
        }
        accepted.sort { x, y in
            x.weight != y.weight ? x.weight > y.weight : candidates[Int(x.index)] < candidates[Int(y.index)]
        }
        return accepted
    }

    /// How common each birth name, first given name and birth date is in its site, for frequency-aware
    /// weights: agreeing exactly on a name half the site bears says less than agreeing on a rare one
    /// (Winkler's value-specific u). The model's u of exact agreement is the average over values
    /// (Σ f²); a value of frequency f changes the weight by log₂(u / f), within ±`largestCorrection`.
    struct ValueFrequencies {
        /// Count of each (site, field, value), and the records of each site.
        private var counts: [UInt64: Int32] = [:]
        private var siteSizes: [UInt16: Int] = [:]
        private let site: [UInt16]
        private let values: [(UInt32, UInt32, UInt32)]
        static let largestCorrection = 4.0

        init(_ patients: [PatientRecord]) {
            site = patients.map(\.site)
            values = patients.map { ($0.features.birthNameHash, $0.features.givenNameHash, $0.features.birthDate) }
            for (index, value) in values.enumerated() {
                siteSizes[site[index], default: 0] += 1
                for (field, v) in [value.0, value.1, value.2].enumerated() where v != 0 {
                    counts[Self.key(site[index], field, v), default: 0] += 1
                }
            }
        }

        static func key(_ site: UInt16, _ field: Int, _ value: UInt32) -> UInt64 {
            UInt64(site) << 34 | UInt64(field) << 32 | UInt64(value)
        }

        /// The correction of a pair's weight for the values it agrees on exactly (level 3).
        func correction(_ a: Int, _ b: Int, _ pattern: ComparisonPattern, model: FellegiSunterModel) -> Double {
            guard let size = siteSizes[site[a]], size >= 100 else { return 0 }  // too few records to tell
            let value = values[a]
            func term(_ field: Int, _ v: UInt32) -> Double {
                guard v != 0, pattern[field] == 3, model.uRandom[field][3] > 0 else { return 0 }
                let frequency = Double(counts[Self.key(site[a], field, v)] ?? 2) / Double(size)
                return max(
                    -Self.largestCorrection, min(Self.largestCorrection, log2(model.uRandom[field][3] / frequency)))
            }
            let total = term(0, value.0) + term(1, value.1) + term(2, value.2)
            return max(-Self.largestCorrection, min(Self.largestCorrection, total))
        }
    }

    /// Random pairs of records of one site (all of them when a site has few), to estimate how often
    /// unrelated records agree. Seeded: the same records give the same sample.
    func randomPairs(_ patients: [PatientRecord], allowed: (Int, Int) -> Bool) -> [UInt64] {
        var bySite: [UInt16: [Int]] = [:]
        for (index, record) in patients.enumerated() { bySite[record.site, default: []].append(index) }
        var pairs: [UInt64] = []
        for site in bySite.keys.sorted() {
            let members = bySite[site]!
            let n = members.count
            guard n > 1 else { continue }
            if n * (n - 1) / 2 <= randomPairsPerSite {
                for i in 0..<n {
                    for j in (i + 1)..<n where allowed(members[i], members[j]) {
                        pairs.append(UInt64(members[i]) << 32 | UInt64(members[j]))
                    }
                }
                continue
            }
            var generator = SplitMix64(seed: 0x5EED_0000 &+ UInt64(site))
            var drawn = 0, attempts = 0
            while drawn < randomPairsPerSite, attempts < randomPairsPerSite * 20 {
                attempts += 1
                let i = members[Int(generator.next() % UInt64(n))], j = members[Int(generator.next() % UInt64(n))]
                guard i != j, allowed(i, j) else { continue }
                pairs.append(UInt64(min(i, j)) << 32 | UInt64(max(i, j)))
                drawn += 1
            }
        }
        return pairs
    }

    /// Blocks up to this size give all their pairs; larger ones a window of neighbours.
    static let exhaustiveBlockSize = 40
    /// Neighbours each record of a large block is compared with, in the block's second order.
    static let window = 24

    /// Pairs (lower index << 32 | higher index) that share at least one blocking key, sorted, each once.
    func candidatePairs(_ patients: [PatientRecord], allowed: (Int, Int) -> Bool) -> [UInt64] {
        var blocks: [UInt64: [UInt32]] = [:]
        func add(_ kind: UInt64, _ value: UInt64, site: UInt16, _ index: Int) {
            let key = (kind << 60) ^ (UInt64(site) << 44) ^ value
            blocks[key, default: []].append(UInt32(index))
        }
        for (index, record) in patients.enumerated() {
            let f = record.features
            if f.birthNamePhonetic != 0 { add(1, UInt64(f.birthNamePhonetic), site: record.site, index) }
            if f.birthDate != 0 { add(2, UInt64(f.birthDate), site: record.site, index) }
            if f.givenNamePhonetic != 0, f.birthYear != 0 {
                add(3, UInt64(f.givenNamePhonetic) << 32 | UInt64(f.birthYear), site: record.site, index)
            }
            if f.birthNameHash != 0, f.birthYear != 0 {
                add(4, UInt64(f.birthNameHash) << 32 | UInt64(f.birthYear), site: record.site, index)
            }
            if f.givenNameHash != 0, f.birthNameHash != 0 {
                // Both names, in either order (a given name typed as the birth name and back).
                let (low, high) = (min(f.givenNameHash, f.birthNameHash), max(f.givenNameHash, f.birthNameHash))
                add(5, UInt64(low) << 32 | UInt64(high), site: record.site, index)
            }
            // Extra columns (`ressaisie link --compare`): each with the phonetic given name, and with the
            // phonetic birth name, for records whose birth date is missing or mistyped.
            for column in 0..<max(min(f.extra.count, 8) - 1, 0)
            where f.extra[column].hash != 0 && f.extra[column + 1].hash != 0 {
                add(
                    10, UInt64(f.extra[column].hash) << 32 | UInt64(f.extra[column + 1].hash) ^ UInt64(column) << 40,
                    site: record.site, index)
            }
            for (column, extra) in f.extra.prefix(8).enumerated() where extra.hash != 0 {
                if f.givenNamePhonetic != 0 {
                    add(
                        6 + UInt64(column) % 2,
                        UInt64(f.givenNamePhonetic) << 32 | UInt64(extra.hash) ^ UInt64(column) << 40,
                        site: record.site, index)
                }
                if f.birthNamePhonetic != 0 {
                    add(
                        8 + UInt64(column) % 2,
                        UInt64(f.birthNamePhonetic) << 32 | UInt64(extra.hash) ^ UInt64(column) << 40,
                        site: record.site, index)
                }
            }
        }
        var pairs: [UInt64] = []
        // The keys find the same pairs again and again: sorted and made unique in place whenever the
        // array doubles past what was unique, so that it stays near the number of distinct pairs.
        var unique = 0
        func compact() {
            pairs.sort()
            var kept = 0
            for index in pairs.indices where kept == 0 || pairs[index] != pairs[kept - 1] {
                pairs[kept] = pairs[index]
                kept += 1
            }
            pairs.removeLast(pairs.count - kept)
            unique = kept
        }
        for (key, var members) in blocks where members.count > 1 && members.count <= maxBlockSize {
            if pairs.count > 2 * unique + 262_144 { compact() }
            // A small block: every pair. A larger one (a common surname, a common birth year): sorted by a
            // second feature that the block's key does not hold, each record with its `window` neighbours,
            // so that pairs grow with the records, not with their square.
            let reach: Int
            if members.count <= Self.exhaustiveBlockSize {
                reach = members.count
            } else {
                let kind = key >> 60
                func secondary(_ index: UInt32) -> UInt64 {
                    let f = patients[Int(index)].features
                    switch kind {
                    case 2: return UInt64(f.birthNamePhonetic) << 32 | UInt64(f.givenNamePhonetic)
                    case 3: return UInt64(f.birthNamePhonetic) << 32 | UInt64(f.birthDate)
                    case 4: return UInt64(f.givenNamePhonetic) << 32 | UInt64(f.birthDate)
                    default: return UInt64(f.birthDate) << 32 | UInt64(f.givenNamePhonetic)
                    }
                }
                members.sort { (secondary($0), $0) < (secondary($1), $1) }
                reach = Self.window
            }
            for i in 0..<members.count {
                for j in (i + 1)..<min(members.count, i + 1 + reach) {
                    let a = Int(members[i]), b = Int(members[j])
                    guard allowed(a, b) else { continue }
                    pairs.append(UInt64(min(a, b)) << 32 | UInt64(max(a, b)))
                }
            }
        }
        // Sorted, each once, at their own size (the pairs are the linker's largest array).
        compact()
        return pairs.withUnsafeBufferPointer { Array($0) }  // a copy at its own size frees the room grown
    }
}
