/// Where a matcher succeeds and fails, by kind of case: re-entries found per kind of noise on them, and
/// hard negatives (distinct facts that look alike) wrongly put in a group with another fact.
///
/// Reads the tags `ressaisie synth` writes beside its truth (`truth-tags.tsv`); the truth and the groups
/// are the same rows as `PairwiseEvaluation`'s.
public enum TaggedEvaluation {
    /// A row of `truth-tags.tsv`.
    public struct TagRow: Sendable {
        public var entry: EntryKey
        public var fact: String
        /// A copy of its fact's first entry.
        public var isReEntry: Bool
        /// The kind of hard negative the entry belongs to; empty for none.
        public var hardNegative: String
        /// Kinds of noise on a re-entry; empty for a verbatim copy.
        public var noise: [String]
        /// For an entry no one typed, the kind of software copy it is (`republished`, `interface_copy`): it
        /// has its source's fact but is neither a first entry nor a re-entry. Empty for a typed entry.
        public var copyKind: String

        public init(
            entry: EntryKey, fact: String, isReEntry: Bool, hardNegative: String, noise: [String], copyKind: String = ""
        ) {
            self.entry = entry
            self.fact = fact
            self.isReEntry = isReEntry
            self.hardNegative = hardNegative
            self.noise = noise
            self.copyKind = copyKind
        }
    }

    /// Roles of `truth-tags.tsv` that mark software copies.
    public static let copyKinds = ["republished", "interface_copy"]

    /// Entries of the tags that are software copies: `PairwiseEvaluation` sets them aside.
    public static func copies(in tags: [TagRow]) -> Set<EntryKey> {
        Set(tags.lazy.filter { !$0.copyKind.isEmpty }.map(\.entry))
    }

    /// The groups with each grouped software copy standing for a typed entry of its fact (same site) that no
    /// group holds, and how many stood in, per kind of copy. Two entries of one fact by one author in two
    /// systems at the same minute cannot be told apart: which is the software's copy is the software's
    /// secret, so a group that holds the copy and not its source has found the source (it counts the same
    /// re-entries). Scores are computed on these rows (`ressaisie evaluate`).
    public static func standingIn(
        tags: [TagRow], groups: [PairwiseEvaluation.GroupRow]
    ) -> (groups: [PairwiseEvaluation.GroupRow], standingIn: [String: Int]) {
        let grouped = Set(groups.lazy.map(\.entry))
        var copyOf: [EntryKey: TagRow] = [:]
        var ungrouped: [String: [EntryKey]] = [:]
        for row in tags {
            if !row.copyKind.isEmpty {
                copyOf[row.entry] = row
            } else if !grouped.contains(row.entry) {
                ungrouped[row.fact, default: []].append(row.entry)
            }
        }
        var rows = groups, standingIn: [String: Int] = [:]
        guard !copyOf.isEmpty else { return (rows, standingIn) }
        for index in rows.indices {
            guard let copy = copyOf[rows[index].entry], var sources = ungrouped[copy.fact],
                let source = sources.firstIndex(where: { $0.site == copy.entry.site })
            else { continue }
            rows[index].entry = sources.remove(at: source)
            ungrouped[copy.fact] = sources
            standingIn[copy.copyKind, default: 0] += 1
        }
        return (rows, standingIn)
    }

    /// Count of a kind, and how many of them the groups got right (re-entries found) or wrong (hard
    /// negatives merged).
    public struct KindCount: Sendable, Equatable {
        public var kind: String
        public var entries: Int
        public var hits: Int
        /// Software copies: how many of those in a group stood for their source (`standingIn`).
        public var standingIn = 0

        public var share: Double? { entries == 0 ? nil : Double(hits) / Double(entries) }

        public init(kind: String, entries: Int, hits: Int, standingIn: Int = 0) {
            self.kind = kind
            self.entries = entries
            self.hits = hits
            self.standingIn = standingIn
        }
    }

    public struct Result: Sendable, Equatable {
        /// Re-entries by kind of noise (`verbatim` for none; a re-entry with two kinds counts in both), and
        /// how many are in a group with another entry of their fact.
        public var noise: [KindCount] = []
        /// Hard-negative entries by kind, and how many are in a group with an entry of another fact.
        public var hardNegatives: [KindCount] = []
        /// Software copies by kind, and how many the groups hold (in a duplicate group at all: expected 0;
        /// the others are left out, as expected).
        public var copies: [KindCount] = []
    }

    public static let verbatim = "verbatim"

    /// Scores the groups as given; copies counted in groups are those of `groups`, re-entries and hard
    /// negatives are scored on `groups` with copies standing in (`standingIn`).
    public static func evaluate(tags: [TagRow], groups original: [PairwiseEvaluation.GroupRow]) -> Result {
        let (groups, standingIn) = standingIn(tags: tags, groups: original)
        let originallyGrouped = Set(original.lazy.map(\.entry))
        var groupOf: [EntryKey: Int] = [:]
        var groupIndex: [String: Int] = [:]
        for row in groups {
            let index = groupIndex[row.group] ?? groupIndex.count
            groupIndex[row.group] = index
            groupOf[row.entry] = index
        }
        var factOf: [EntryKey: String] = [:]
        // Per (group, fact): entries; per group: distinct facts (up to two are enough).
        var cellSize: [GroupFact: Int] = [:]
        var factsInGroup: [Int: [String]] = [:]
        for row in tags {
            factOf[row.entry] = row.fact
            // A re-entry grouped with nothing but a copy of its fact is not found.
            guard row.copyKind.isEmpty, let group = groupOf[row.entry] else { continue }
            cellSize[GroupFact(group: group, fact: row.fact), default: 0] += 1
            var facts = factsInGroup[group] ?? []
            if facts.count < 2, !facts.contains(row.fact) { facts.append(row.fact) }
            factsInGroup[group] = facts
        }
        var noise: [String: KindCount] = [:]
        var negatives: [String: KindCount] = [:]
        var copies: [String: KindCount] = [:]
        var noiseOrder: [String] = [], negativeOrder: [String] = []
        for row in tags {
            let group = groupOf[row.entry]
            if !row.copyKind.isEmpty {
                copies[row.copyKind, default: KindCount(kind: row.copyKind, entries: 0, hits: 0)].entries += 1
                if originallyGrouped.contains(row.entry) { copies[row.copyKind]!.hits += 1 }
                continue
            }
            if row.isReEntry {
                let found = group.map { cellSize[GroupFact(group: $0, fact: row.fact)] ?? 0 } ?? 0 >= 2
                for kind in row.noise.isEmpty ? [verbatim] : row.noise {
                    if noise[kind] == nil {
                        noiseOrder.append(kind)
                        noise[kind] = KindCount(kind: kind, entries: 0, hits: 0)
                    }
                    noise[kind]!.entries += 1
                    if found { noise[kind]!.hits += 1 }
                }
            }
            if !row.hardNegative.isEmpty {
                let kind = row.hardNegative
                if negatives[kind] == nil {
                    negativeOrder.append(kind)
                    negatives[kind] = KindCount(kind: kind, entries: 0, hits: 0)
                }
                negatives[kind]!.entries += 1
                if let group, (factsInGroup[group]?.count ?? 0) > 1 { negatives[kind]!.hits += 1 }
            }
        }
        return Result(
            noise: noiseOrder.sorted().map { noise[$0]! }, hardNegatives: negativeOrder.sorted().map { negatives[$0]! },
            copies: copies.keys.sorted().map {
                var count = copies[$0]!
                count.standingIn = standingIn[$0] ?? 0
                return count
            })
    }

    private struct GroupFact: Hashable {
        var group: Int
        var fact: String
    }
}
