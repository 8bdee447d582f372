/// Patients shared by several sites of one audit: the per-site persons of `PatientLinkage` joined across
/// sites, by the INS first, else by a cautious identity match, and how each join was made.
///
/// Linkage of the per-site analysis never crosses sites (and must not: the per-site figures stay as they
/// are); this is a separate, additional step for the pathway across organizations:
///
/// 1. **INS**: two per-site persons of two sites carrying the same (valid) INS pseudonym are one patient.
/// 2. **Identity traits**, cautiously: two per-site persons of two sites whose exact normalized traits
///    (birth name, first given name, birth date, sex: `PatientRecord.traits`) agree are one patient, only
///    when that value names one person at each site (homonyms born the same day at one site make it
///    ambiguous: never used), when their INS, if both have one, are the same, and when the join does not
///    give one patient two persons of one site (one-to-one across sites).
///
/// 3. **Near-exact traits**: the same birth date, sex and first given name, a birth name the same, sounding the
///    same or with a bigram Dice of at least 0.6 (one mistyped letter), when each of the two persons is the
///    other's only such candidate at its site.
/// 4. **A mistyped birth date**: the same birth name, first given name and sex, birth dates with the day and month
///    swapped or one component of three different (`FellegiSunterModel.dateLevel`), when each of the two persons is
///    the other's only such candidate at its site.
///
/// No weighing of partial agreements (Fellegi–Sunter): a false join across organizations would invent a
/// pathway, a missed one only leaves a pathway uncounted.
public struct CrossSiteLinkage: Sendable {
    /// How two persons of two sites were found to be one patient.
    public enum Method: String, Sendable, CaseIterable {
        case ins, traits
    }

    /// For each per-site person (`PatientLinkage.person` values), the patient of the audit it belongs to,
    /// or nil when no other site knows it.
    public var patient: [UInt32?]
    /// For each per-site person, its site, and its INS pseudonym when it has one.
    public var siteOfPerson: [UInt16]
    public var insOfPerson: [Pseudonym?]
    /// Joins across sites, and trait matches refused (different INS, a value naming two persons of one
    /// site, or a patient that would hold two persons of one site).
    public var linksByINS = 0
    public var linksByTraits = 0
    public var refusedByINS = 0
    public var refusedAsAmbiguous = 0
    /// Of `linksByTraits`, those of near-exact traits (a birth name mistyped at one site).
    public var linksBySimilarTraits = 0
    /// Of `linksByTraits`, those of a birth date mistyped at one site (names and sex the same).
    public var linksByTypoDate = 0

    public init(patients records: [PatientRecord], linkage: PatientLinkage) {
        let count = linkage.personCount
        var site = [UInt16](repeating: 0, count: count)
        var ins = [Pseudonym?](repeating: nil, count: count)
        var traitsOf: [Pseudonym: [UInt32]] = [:]
        for (index, record) in records.enumerated() {
            let person = linkage.person[index]
            site[Int(person)] = record.site
            if ins[Int(person)] == nil { ins[Int(person)] = record.ins }
            if let traits = record.traits { traitsOf[traits, default: []].append(person) }
        }
        siteOfPerson = site
        insOfPerson = ins
        var sets = UnionFind(count: count)
        var rootINS = ins
        var rootSites: [UInt32: Set<UInt16>] = [:]
        func sites(_ root: UInt32) -> Set<UInt16> { rootSites[root] ?? [site[Int(root)]] }
        /// Joins the patients of a and b; nil when they are one already, false when refused.
        func join(_ a: UInt32, _ b: UInt32) -> Bool? {
            let rootA = sets.find(a), rootB = sets.find(b)
            if rootA == rootB { return nil }
            if let insA = rootINS[Int(rootA)], let insB = rootINS[Int(rootB)], insA != insB { return false }
            let (sitesA, sitesB) = (sites(rootA), sites(rootB))
            guard sitesA.isDisjoint(with: sitesB) else { return false }
            let root = sets.union(rootA, rootB)
            rootINS[Int(root)] = rootINS[Int(rootA)] ?? rootINS[Int(rootB)]
            rootSites[rootA] = nil
            rootSites[rootB] = nil
            rootSites[root] = sitesA.union(sitesB)
            return true
        }

        // 1. INS: persons in record order, grouped by INS (a site has one person per INS).
        var byINS: [Pseudonym: [UInt32]] = [:]
        for person in 0..<count { if let value = ins[person] { byINS[value, default: []].append(UInt32(person)) } }
        for members in byINS.values.filter({ $0.count > 1 }).sorted(by: { $0[0] < $1[0] }) {
            for member in members.dropFirst() where join(members[0], member) == true { linksByINS += 1 }
        }

        // 2. Traits, when the value names one person at each of its sites.
        var groups: [[UInt32]] = []
        for members in traitsOf.values {
            var unique = Array(Set(members)).sorted()
            let sitesOf = unique.map { site[Int($0)] }
            guard Set(sitesOf).count > 1 else { continue }
            if Set(sitesOf).count != unique.count {
                refusedAsAmbiguous += 1
                continue
            }
            unique.sort()
            groups.append(unique)
        }
        groups.sort { $0[0] < $1[0] }
        for members in groups {
            for member in members.dropFirst() {
                switch join(members[0], member) {
                case true?: linksByTraits += 1
                case false?:
                    let (a, b) = (sets.find(members[0]), sets.find(member))
                    if let insA = rootINS[Int(a)], let insB = rootINS[Int(b)], insA != insB {
                        refusedByINS += 1
                    } else {
                        refusedAsAmbiguous += 1
                    }
                case nil: break
                }
            }
        }

        // Steps 3 and 4 join pairs that are each other's only candidate; a refusal can only be two INS.
        var refusedByINSAfterTraits = 0
        func joinEach(_ pairs: [(UInt32, UInt32)]) -> Int {
            var joined = 0
            for (a, b) in pairs.sorted(by: { $0 < $1 }) {
                switch join(a, b) {
                case true?: joined += 1
                case false?: refusedByINSAfterTraits += 1
                case nil: break
                }
            }
            return joined
        }
        // 3. Near-exact traits: the same birth date, sex and first given name (one block each, so that the
        // pairs stay few in an audit of thousands of sites), the birth name the same, sounding the same or a Dice
        // of at least 0.6 (a typo); only when each of the two persons is the other's one candidate at its site.
        linksBySimilarTraits = joinEach(Self.similarPairs(records, linkage: linkage, site: site))
        // 4. A mistyped birth date: the same birth name, first given name and sex, birth dates a typo apart (blocks
        // of both names and two of the date's three parts, or its two orders of day and month); only when each of
        // the two persons is the other's one candidate at its site.
        linksByTypoDate = joinEach(Self.typoDatePairs(records, linkage: linkage, site: site))
        linksByTraits += linksBySimilarTraits + linksByTypoDate
        refusedByINS += refusedByINSAfterTraits

        // Patients of the audit: only those of two sites or more.
        var patient = [UInt32?](repeating: nil, count: count)
        var numberOfRoot: [UInt32: UInt32] = [:]
        for person in 0..<count {
            let root = sets.find(UInt32(person))
            guard (rootSites[root]?.count ?? 1) > 1 else { continue }
            if let number = numberOfRoot[root] {
                patient[person] = number
            } else {
                let number = UInt32(numberOfRoot.count)
                numberOfRoot[root] = number
                patient[person] = number
            }
        }
        self.patient = patient
    }

    /// Pairs of per-site persons of two sites with the same birth date, sex and first given name and a similar
    /// birth name (`similarName`), each the other's only such candidate at its site; compared within blocks of
    /// birth date and first given name (at most 1 000 records each).
    static func similarPairs(_ records: [PatientRecord], linkage: PatientLinkage, site: [UInt16]) -> [(UInt32, UInt32)]
    {
        uniquePairs(records, linkage: linkage, site: site) { f, block in
            if f.birthDate != 0 && f.sex != 0 && f.givenNameHash != 0 {
                block(UInt64(f.birthDate) << 32 | UInt64(f.givenNameHash))
            }
        } accepts: { a, b in
            records[a].features.sex == records[b].features.sex
                && Self.similarName(records[a].features, records[b].features)
        }
    }

    /// Pairs of per-site persons of two sites with the same birth name, first given name and sex, whose birth
    /// dates differ by a typo (day and month swapped, or one component of three: `FellegiSunterModel.dateLevel`),
    /// each the other's only such candidate at its site. Two such dates share two of their three components, or
    /// the same two values as date and swapped date: compared within blocks of both names and each of these (at
    /// most 1 000 records each), not every record of one name with every other.
    static func typoDatePairs(_ records: [PatientRecord], linkage: PatientLinkage, site: [UInt16]) -> [(UInt32, UInt32)]
    {
        uniquePairs(records, linkage: linkage, site: site) { f, block in
            guard f.birthNameHash != 0 && f.givenNameHash != 0 && f.sex != 0 && f.birthDate != 0 else { return }
            let names = UInt64(f.birthNameHash) << 32 | UInt64(f.givenNameHash)
            // Components are hashes: two of them agree, or the date and its swap are the same two values.
            let (year, month, day) = (UInt64(f.birthYear), UInt64(f.birthMonth), UInt64(f.birthDay))
            let (date, swapped) = (UInt64(f.birthDate), UInt64(f.birthDateSwapped))
            for (kind, part) in [
                (1, year << 32 | month), (2, year << 32 | day), (3, month << 32 | day),
                (4, min(date, swapped) << 32 | max(date, swapped)),
            ] as [(UInt64, UInt64)] {
                var hasher = StableHasher(seed: 0x7479_706F_6461_7465)
                hasher.combine(names)
                hasher.combine(kind)
                hasher.combine(part)
                block(hasher.finalize())
            }
        } accepts: { a, b in
            let (x, y) = (records[a].features, records[b].features)
            return x.sex == y.sex && x.birthDate != y.birthDate && FellegiSunterModel.dateLevel(x, y) >= 1
        }
    }

    /// Pairs of per-site persons of two sites, records of one block (the keys `blocks` gives a record; none:
    /// not compared) that `accepts`, when each of the two persons is the other's only accepted candidate at
    /// its site.
    static func uniquePairs(
        _ records: [PatientRecord], linkage: PatientLinkage, site: [UInt16],
        blocks: (IdentityFeatures, (UInt64) -> Void) -> Void, accepts: (Int, Int) -> Bool
    ) -> [(UInt32, UInt32)] {
        var keyed: [KeyedIndex] = []
        for (index, record) in records.enumerated() {
            blocks(record.features) { keyed.append(KeyedIndex(key: $0, index: UInt32(index))) }
        }
        RadixSort.sort(&keyed)
        var table = CandidateTable(persons: site.count, sites: Int(site.max() ?? 0) + 1)
        records.withUnsafeBufferPointer { records in
            RadixSort.forEachRun(ofEqualKeysIn: keyed) { run in
                guard run.count <= 1000 else { return }
                for i in run {
                    let a = Int(keyed[i].index)
                    for j in i + 1..<run.upperBound {
                        let b = Int(keyed[j].index)
                        guard records[a].site != records[b].site, accepts(a, b) else { continue }
                        let (personA, personB) = (linkage.person[a], linkage.person[b])
                        table.add(personA, at: records[b].site, personB)
                        table.add(personB, at: records[a].site, personA)
                    }
                }
            }
        }
        var pairs: [(UInt32, UInt32)] = []
        table.forEachOnly { person, other in
            if person < other, table.only(other, at: site[Int(person)]) == person { pairs.append((person, other)) }
        }
        return pairs
    }

    /// Each person's candidate at each other site: none, one person, or several. A flat table of persons ×
    /// sites when that is small (no hashing for each of the pairs a block accepts), else a dictionary.
    struct CandidateTable {
        /// 0: none; `several`; else the one candidate + 1.
        private var flat: [UInt32]
        private var sparse: [UInt64: UInt32] = [:]
        private let sites: Int
        private let isFlat: Bool
        private static let several = UInt32.max

        init(persons: Int, sites: Int) {
            self.sites = sites
            isFlat = persons * sites <= 1 << 22
            flat = isFlat ? [UInt32](repeating: 0, count: persons * sites) : []
        }

        mutating func add(_ person: UInt32, at site: UInt16, _ other: UInt32) {
            if isFlat {
                let cell = Int(person) * sites + Int(site)
                let known = flat[cell]
                flat[cell] = known == 0 || known == other + 1 ? other + 1 : Self.several
            } else {
                let key = UInt64(person) << 16 | UInt64(site)
                let known = sparse[key]
                sparse[key] = known == nil || known == other + 1 ? other + 1 : Self.several
            }
        }

        /// The one candidate of `person` at `site`, nil when none or several.
        func only(_ person: UInt32, at site: UInt16) -> UInt32? {
            let value =
                isFlat ? flat[Int(person) * sites + Int(site)] : sparse[UInt64(person) << 16 | UInt64(site)] ?? 0
            return value == 0 || value == Self.several ? nil : value - 1
        }

        /// Calls `body(person, other)` for each person with one candidate at a site.
        func forEachOnly(_ body: (UInt32, UInt32) -> Void) {
            if isFlat {
                for (cell, value) in flat.enumerated() where value != 0 && value != Self.several {
                    body(UInt32(cell / sites), value - 1)
                }
            } else {
                for (key, value) in sparse where value != Self.several { body(UInt32(key >> 16), value - 1) }
            }
        }
    }

    /// Whether two identities' birth names agree: the same hash, the same phonetic code, or bigram filters with a
    /// Dice of at least 0.6 (one letter mistyped in a short name costs two or three of its bigrams; the birth
    /// date, sex and first given name agree already).
    static func similarName(_ x: IdentityFeatures, _ y: IdentityFeatures) -> Bool {
        guard x.birthNameHash != 0, y.birthNameHash != 0 else { return false }
        if x.birthNameHash == y.birthNameHash { return true }
        if x.birthNamePhonetic != 0, x.birthNamePhonetic == y.birthNamePhonetic { return true }
        return !x.birthName.isEmpty && !y.birthName.isEmpty && x.birthName.dice(y.birthName) >= 0.6
    }

    /// Patients known to two sites or more.
    public var sharedPatients: Int { Set(patient.compactMap { $0 }).count }

    /// How the persons `a` and `b` of two sites, one patient, were found to be one: the same INS, else traits.
    public func method(_ a: Int, _ b: Int) -> Method {
        if let insA = insOfPerson[a], insA == insOfPerson[b] { return .ins }
        return .traits
    }
}

/// Facts re-typed from one organization to the next (hospital → EHPAD → MSP): a fact of a patient at site B
/// whose content matches a fact of the same patient at site A typed earlier, within `window`, counted per
/// ordered pair of sites and category. An analysis of its own, beside the per-site one, whose figures it
/// never changes.
///
/// The care the per-site detector takes against false counts holds here too:
/// - only what someone typed at a site counts: entries set aside (exported again, copied by an interface)
///   and per-site re-entries (beyond their group's original) are left out, so a fact re-typed at the EHPAD
///   into its DUI and then its spreadsheet is one re-entry across organizations, not two;
/// - routine notes (`RAS`, `Nuit calme`) are never matched across sites, and boilerplate is out of the
///   fingerprint already;
/// - two known effective times that differ are two facts; in a category whose facts recur (vital signs,
///   medication, activity) without a shared effective time, a content that occurs more than once at either
///   site (the same drug given every day) is ambiguous and left out;
/// - one-to-one: an entry is the re-entry of at most one earlier entry (the nearest in time at another site),
///   and an entry is the original of at most one re-entry per receiving site.
///
/// Content is compared as in the per-site detector: the same fingerprint, then near-identical text by the
/// category's sketch thresholds (`ReEntryDetector.NearDuplicateThreshold`).
public struct PathwayDetector: Sendable {
    /// Largest gap, in seconds, between a fact typed at one site and typed again at the next.
    public var window: Int64
    /// Most earlier entries one entry is compared with inside a block.
    public var maxCandidates: Int
    /// Whether near-identical texts are matched too.
    public var nearDuplicates: Bool

    /// 30 days: a fact typed during a hospital stay (mean stays run from days in acute care to about five
    /// weeks in follow-up care) is re-typed at the receiving organization around the admission; the
    /// per-site window (72 h) would miss what was typed at the start of a stay.
    public static let defaultWindowDays = 30

    public init(
        windowDays: Int = PathwayDetector.defaultWindowDays, maxCandidates: Int = 64, nearDuplicates: Bool = true
    ) {
        window = Int64(windowDays) * 86_400
        self.maxCandidates = maxCandidates
        self.nearDuplicates = nearDuplicates
    }

    public var windowDays: Int { Int(window / 86_400) }

    /// One fact typed at one site, then again at another: entry indices and how the patient was linked.
    public struct Pair: Sendable, Equatable {
        public var original: Int
        public var reEntry: Int
        public var linkedBy: CrossSiteLinkage.Method
    }

    public struct Result: Sendable {
        public var linkage: CrossSiteLinkage
        /// By the re-entry's time, then entry order.
        public var pairs: [Pair]
        public var flows: [PathwayFlow]
    }

    /// The pathways of an audit whose per-site analysis is `linkage` and `detection`.
    public func detect(
        in store: EntryStore, linkage: PatientLinkage, groups: [DuplicateGroup], setAside: [UInt32]
    ) -> Result {
        let crossLinkage = CrossSiteLinkage(patients: store.patients, linkage: linkage)
        let entries = store.entries
        // Candidates: entries of a patient of several sites that someone typed first at their site.
        // One flag an entry (arrays, not sets: every entry of a million is looked up).
        var candidate = [Bool](repeating: false, count: entries.count)
        for (index, entry) in entries.enumerated()
        where crossLinkage.patient[Int(linkage.person[Int(entry.patient)])] != nil && !entry.flags.contains(.routine) {
            candidate[index] = true
        }
        for index in setAside { candidate[Int(index)] = false }
        for group in groups { for index in group.reEntries { candidate[index] = false } }
        func patient(_ index: Int) -> UInt32 { crossLinkage.patient[Int(linkage.person[Int(entries[index].patient)])]! }
        let recurring = store.categories.map { ReEntryDetector.recurringCategories.contains($0) }

        var matched = [Bool](repeating: false, count: entries.count)
        var usedSource = ReceivingSites(entries: entries.count)
        var pairs: [Pair] = []

        var perSite = [Int](repeating: 0, count: Int(entries.lazy.map(\.site).max() ?? 0) + 1)
        // Pass 1, same fingerprint: block (patient, category, fingerprint), by time.
        var blocks: [KeyedIndex] = []
        blocks.reserveCapacity(candidate.reduce(0) { $0 + ($1 ? 1 : 0) })
        for index in entries.indices where candidate[index] {
            blocks.append(
                KeyedIndex(
                    key: Self.key(entries[index].fingerprint, patient(index), entries[index].category),
                    index: UInt32(index)))
        }
        forEachBlock(&blocks, entries) { block in
            // Entries of each site in the block: a recurring content seen twice at a site is ambiguous.
            // (Counted only for a recurring category: the others never ask.)
            // (One count a site, reused: cleared below for the sites of this block.)
            let counted = recurring[Int(entries[block[0]].category)]
            if counted { for index in block { perSite[Int(entries[index].site)] += 1 } }
            defer { if counted { for index in block { perSite[Int(entries[index].site)] = 0 } } }
            for (position, later) in block.enumerated() {
                let y = entries[later]
                // A recurring content seen twice at `y`'s site pairs only on a shared effective time: none
                // without one (most of a daily series), so its earlier entries need no look.
                if recurring[Int(y.category)], !y.hasEffectiveTime, perSite[Int(y.site)] > 1 { continue }
                var earlierPosition = position - 1
                let lowest = max(0, position - maxCandidates)
                while earlierPosition >= lowest {
                    let earlier = block[earlierPosition]
                    let x = entries[earlier]
                    earlierPosition -= 1
                    if y.recordedAt - x.recordedAt > window { break }
                    guard x.site != y.site, x.fingerprint == y.fingerprint, x.category == y.category,
                        mayPair(x, y, earlier: earlier, recurring: recurring, usedSource: usedSource)
                    else { continue }
                    if recurring[Int(x.category)], !(x.hasEffectiveTime && x.effectiveAt == y.effectiveAt),
                        perSite[Int(x.site)] > 1 || perSite[Int(y.site)] > 1
                    {
                        continue
                    }
                    pairs.append(pair(earlier, later, crossLinkage, linkage, entries))
                    matched[later] = true
                    usedSource.insert(earlier, y.site)
                    break
                }
            }
        }

        // Pass 2, near-identical text: block (patient, category, structured part), by time.
        if nearDuplicates {
            let thresholds = store.categories.map(ReEntryDetector.NearDuplicateThreshold.of(category:))
            // The sketch of each candidate entry, by its place in `store.sketches`.
            var sketchNumber = [Int32](repeating: -1, count: entries.count)
            let sketches = store.sketches
            func sketchOf(_ index: Int) -> TextSketch { sketches[Int(sketchNumber[index])] }
            blocks.removeAll(keepingCapacity: true)
            for (number, sketch) in sketches.enumerated() where candidate[Int(sketch.entry)] {
                let index = Int(sketch.entry)
                sketchNumber[index] = Int32(number)
                blocks.append(
                    KeyedIndex(
                        key: Self.key(UInt64(sketch.head), patient(index), entries[index].category),
                        index: UInt32(index)))
            }
            forEachBlock(&blocks, entries) { block in
                for (position, later) in block.enumerated() where !matched[later] {
                    let y = entries[later]
                    // In a recurring category, near-identical texts pair only on a shared effective time.
                    if recurring[Int(y.category)], !y.hasEffectiveTime { continue }
                    var earlierPosition = position - 1
                    let lowest = max(0, position - maxCandidates)
                    while earlierPosition >= lowest {
                        let earlier = block[earlierPosition]
                        let x = entries[earlier]
                        earlierPosition -= 1
                        if y.recordedAt - x.recordedAt > window { break }
                        guard x.site != y.site, x.fingerprint != y.fingerprint, x.category == y.category,
                            sketchOf(earlier).head == sketchOf(later).head,
                            !recurring[Int(x.category)] || (x.hasEffectiveTime && x.effectiveAt == y.effectiveAt),
                            mayPair(x, y, earlier: earlier, recurring: recurring, usedSource: usedSource),
                            Self.sameText(sketchOf(earlier), sketchOf(later), thresholds[Int(x.category)])
                        else { continue }
                        pairs.append(pair(earlier, later, crossLinkage, linkage, entries))
                        matched[later] = true
                        usedSource.insert(earlier, y.site)
                        break
                    }
                }
            }
        }
        // A fact that came to a site from another does not go back to it: that site has it already.
        var receivedFrom: [Int: UInt16] = [:]
        for pair in pairs { receivedFrom[pair.reEntry] = entries[pair.original].site }
        pairs.removeAll { receivedFrom[$0.original] == entries[$0.reEntry].site }
        pairs.sort { a, b in
            let (x, y) = (entries[a.reEntry], entries[b.reEntry])
            return x.recordedAt != y.recordedAt ? x.recordedAt < y.recordedAt : a.reEntry < b.reEntry
        }
        return Result(
            linkage: crossLinkage, pairs: pairs,
            flows: Self.flows(pairs: pairs, store: store, linkage: linkage, crossLinkage: crossLinkage))
    }

    /// Whether two texts of one category say one fact: by the category's threshold, as within a site; or two
    /// short texts with the same words, some cut short in either and one mistyped
    /// (`TextSketch.isWordTruncation(of:typos:)`): two organizations each cut and mistype words their own way,
    /// so a copy across sites often carries both sites' cuts and a typo at once. Or the same, one for one, up to
    /// where one of them stops (`TextSketch.isWordPrefix(of:typos:minimumWords:)`: a copy cut at its end, a key
    /// part kept to its first words), three words at least and half of the other's. In every category (a care
    /// plan or an appointment is cut and mistyped as an allergy is); a word that is another word, or another
    /// number, is still another fact.
    static func sameText(
        _ a: TextSketch, _ b: TextSketch, _ threshold: ReEntryDetector.NearDuplicateThreshold
    ) -> Bool {
        if threshold.accepts(a, b, sketched: \.sketched) { return true }
        return a.isShort && b.isShort && (a.isWordTruncation(of: b, typos: 1) || a.isWordPrefix(of: b, typos: 1))
    }

    /// Whether `x` (earlier) and `y` may be one fact typed at two organizations: two sites, `x` typed first,
    /// no two different effective times, `x` not yet the original of a re-entry at `y`'s site.
    private func mayPair(
        _ x: Entry, _ y: Entry, earlier: Int, recurring: [Bool], usedSource: ReceivingSites
    ) -> Bool {
        x.site != y.site && x.recordedAt < y.recordedAt
            && !(x.hasEffectiveTime && y.hasEffectiveTime && x.effectiveAt != y.effectiveAt)
            && !usedSource.contains(earlier, y.site)
    }

    /// The receiving sites each entry is already the original of: a bit an entry for the first eight sites
    /// (no hashing for a million lookups), a set beyond.
    struct ReceivingSites {
        private var firstEight: [UInt8]
        private var beyond = Set<UInt64>()

        init(entries: Int) { firstEight = [UInt8](repeating: 0, count: entries) }

        func contains(_ entry: Int, _ site: UInt16) -> Bool {
            site < 8 ? firstEight[entry] & 1 << site != 0 : beyond.contains(UInt64(entry) << 16 | UInt64(site))
        }

        mutating func insert(_ entry: Int, _ site: UInt16) {
            if site < 8 { firstEight[entry] |= 1 << site } else { beyond.insert(UInt64(entry) << 16 | UInt64(site)) }
        }
    }

    private func pair(
        _ original: Int, _ reEntry: Int, _ cross: CrossSiteLinkage, _ linkage: PatientLinkage, _ entries: [Entry]
    ) -> Pair {
        let a = Int(linkage.person[Int(entries[original].patient)])
        let b = Int(linkage.person[Int(entries[reEntry].patient)])
        return Pair(original: original, reEntry: reEntry, linkedBy: cross.method(a, b))
    }

    static func key(_ content: UInt64, _ patient: UInt32, _ category: UInt16) -> UInt64 {
        var hasher = StableHasher(seed: 0x7061_7468_7761_7973)
        hasher.combine(content)
        hasher.combine(UInt64(patient) << 16 | UInt64(category))
        return hasher.finalize()
    }

    /// Sorts `blocks` by key (radix), each block by recorded time then entry order, and calls `body` with
    /// the entries of each block of two or more (one array reused: no allocation per block).
    private func forEachBlock(_ blocks: inout [KeyedIndex], _ entries: [Entry], _ body: ([Int]) -> Void) {
        RadixSort.sortBlocks(&blocks, time: { entries[Int($0)].recordedAt })
        var block: [Int] = []
        RadixSort.forEachRun(ofEqualKeysIn: blocks) { run in
            block.removeAll(keepingCapacity: true)
            for item in blocks[run] { block.append(Int(item.index)) }
            body(block)
        }
    }

    /// Per ordered pair of sites sharing a patient (both directions), the shared patients (by INS and by
    /// traits) and the re-entries by category; by site names.
    static func flows(
        pairs: [Pair], store: EntryStore, linkage: PatientLinkage, crossLinkage: CrossSiteLinkage
    ) -> [PathwayFlow] {
        struct SitePair: Hashable {
            var from: UInt16
            var to: UInt16
        }
        // Persons of each patient of several sites.
        var personsOf: [UInt32: [Int]] = [:]
        for (person, patient) in crossLinkage.patient.enumerated() {
            if let patient { personsOf[patient, default: []].append(person) }
        }
        var flows: [SitePair: PathwayFlow] = [:]
        func flow(_ key: SitePair) -> PathwayFlow {
            flows[key]
                ?? PathwayFlow(fromSite: store.sites[Int(key.from)], toSite: store.sites[Int(key.to)])
        }
        for persons in personsOf.values {
            for a in persons {
                for b in persons where a != b {
                    let key = SitePair(from: crossLinkage.siteOfPerson[a], to: crossLinkage.siteOfPerson[b])
                    var value = flow(key)
                    value.sharedPatients += 1
                    if crossLinkage.method(a, b) == .ins { value.sharedByINS += 1 } else { value.sharedByTraits += 1 }
                    flows[key] = value
                }
            }
        }
        for pair in pairs {
            let (x, y) = (store.entries[pair.original], store.entries[pair.reEntry])
            let key = SitePair(from: x.site, to: y.site)
            var value = flow(key)
            value.reEntries += 1
            value.byCategory[store.categories[Int(y.category)], default: 0] += 1
            flows[key] = value
        }
        return flows.values.sorted { ($0.fromSite, $0.toSite) < ($1.fromSite, $1.toSite) }
    }
}

/// Facts re-typed from one site of the audit to another, and the patients the two sites share.
public struct PathwayFlow: Sendable, Equatable {
    public var fromSite: String
    public var toSite: String
    /// Patients known to both sites, and how they were found to be one (INS, else identity traits).
    public var sharedPatients = 0
    public var sharedByINS = 0
    public var sharedByTraits = 0
    /// Facts typed at `fromSite` and typed again at `toSite`, and by category (of the re-entry).
    public var reEntries = 0
    public var byCategory: [String: Int] = [:]

    public init(
        fromSite: String, toSite: String, sharedPatients: Int = 0, sharedByINS: Int = 0, sharedByTraits: Int = 0,
        reEntries: Int = 0, byCategory: [String: Int] = [:]
    ) {
        self.fromSite = fromSite
        self.toSite = toSite
        self.sharedPatients = sharedPatients
        self.sharedByINS = sharedByINS
        self.sharedByTraits = sharedByTraits
        self.reEntries = reEntries
        self.byCategory = byCategory
    }
}
