/// How the patient records of an audit were joined into persons.
public struct PatientLinkage: Sendable {
    /// For each patient record (index in `EntryStore.patients`), the person it belongs to.
    public var person: [UInt32]
    /// Number of persons.
    public var personCount: Int
    /// Joins made on the INS, and on identity traits, counted for the report's method section.
    public var linksByINS: Int
    public var linksByTraits: Int
    /// Trait matches refused because both sides carried different INS (homonyms).
    public var refusedByINS: Int
    /// Joins made by the probabilistic (Fellegi–Sunter) step, when the linker has one.
    public var linksByProbability = 0
    /// Probabilistic matches above the threshold refused because a person would then hold two records of
    /// one system that were not matched to each other (the one-to-one constraint).
    public var refusedByOneToOne = 0
    /// Probabilistic matches above the threshold refused because they join two records of one system
    /// whose birth dates differ (or one is missing): that system knows them as two persons.
    public var refusedWithinSystem = 0
    /// Pairs of records compared by the probabilistic step (after blocking).
    public var candidatePairs = 0

    public init(person: [UInt32], personCount: Int, linksByINS: Int = 0, linksByTraits: Int = 0, refusedByINS: Int = 0)
    {
        self.person = person
        self.personCount = personCount
        self.linksByINS = linksByINS
        self.linksByTraits = linksByTraits
        self.refusedByINS = refusedByINS
    }

    /// The person of each record from the sets of a linker, numbered in record order (the first record's
    /// person is 0), and the number of persons.
    static func persons(of sets: inout UnionFind) -> (person: [UInt32], count: Int) {
        var personOfRoot: [UInt32: UInt32] = [:]
        var person = [UInt32]()
        person.reserveCapacity(sets.count)
        for index in 0..<sets.count {
            let root = sets.find(UInt32(index))
            if let known = personOfRoot[root] {
                person.append(known)
            } else {
                let next = UInt32(personOfRoot.count)
                personOfRoot[root] = next
                person.append(next)
            }
        }
        return (person, personOfRoot.count)
    }

    /// Per site and system, patient records that the linkage joined to another record of the same site and
    /// system: one person under two local ids (records minus persons), keyed by site index.
    public func identityDuplicates(in patients: [PatientRecord]) -> [UInt16: [SystemID: Int]] {
        struct Key: Hashable {
            var site: UInt16
            var system: SystemID
        }
        var records: [Key: Int] = [:]
        var persons: [Key: Set<UInt32>] = [:]
        for (index, record) in patients.enumerated() {
            let key = Key(site: record.site, system: record.system)
            records[key, default: 0] += 1
            persons[key, default: []].insert(person[index])
        }
        var result: [UInt16: [SystemID: Int]] = [:]
        for (key, count) in records {
            let duplicates = count - persons[key]!.count
            if duplicates > 0 { result[key.site, default: [:]][key.system] = duplicates }
        }
        return result
    }
}

/// Decides which patient records of a site are the same person. Behind a protocol so that a
/// probabilistic linker can replace the deterministic one without touching matching or metrics.
public protocol PatientLinker: Sendable {
    var name: String { get }
    func link(_ patients: [PatientRecord]) -> PatientLinkage
}

/// Linkage v1: within a site, records with the same INS are one person; records with the same
/// normalized identity traits (birth name, first given name, birth date, sex) are one person, unless
/// both already carry different INS (then they are homonyms, and stay apart).
public struct DeterministicLinker: PatientLinker {
    public var name: String { "deterministic-v1 (INS, then exact normalized traits)" }

    public init() {}

    public func link(_ patients: [PatientRecord]) -> PatientLinkage {
        var sets = UnionFind(count: patients.count)
        // INS of each set's root, to refuse trait links between two different INS.
        var rootINS = patients.map(\.ins)
        var linksByINS = 0, linksByTraits = 0, refused = 0

        struct Key: Hashable {
            var site: UInt16
            var value: Pseudonym
        }
        var firstByINS: [Key: UInt32] = [:]
        for (index, record) in patients.enumerated() {
            guard let ins = record.ins else { continue }
            let key = Key(site: record.site, value: ins)
            if let first = firstByINS[key] {
                if sets.find(first) != sets.find(UInt32(index)) {
                    let root = sets.union(first, UInt32(index))
                    rootINS[Int(root)] = ins
                    linksByINS += 1
                }
            } else {
                firstByINS[key] = UInt32(index)
            }
        }

        var byTraits: [Key: [UInt32]] = [:]
        for (index, record) in patients.enumerated() {
            guard let traits = record.traits else { continue }
            byTraits[Key(site: record.site, value: traits), default: []].append(UInt32(index))
        }
        // Deterministic order: the first record of each trait set, in record order.
        let traitSets = byTraits.values.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }
        for members in traitSets {
            for member in members.dropFirst() {
                let rootA = sets.find(members[0]), rootB = sets.find(member)
                if rootA == rootB { continue }
                let insA = rootINS[Int(rootA)], insB = rootINS[Int(rootB)]
                if let insA, let insB, insA != insB {
                    refused += 1
                    continue
                }
                let root = sets.union(rootA, rootB)
                rootINS[Int(root)] = insA ?? insB
                linksByTraits += 1
            }
        }

        let (person, personCount) = PatientLinkage.persons(of: &sets)
        return PatientLinkage(
            person: person, personCount: personCount, linksByINS: linksByINS, linksByTraits: linksByTraits,
            refusedByINS: refused)
    }
}
