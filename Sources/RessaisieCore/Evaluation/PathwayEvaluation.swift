/// Scores the facts found re-typed from one site to another (`analyze --pathways`) against a truth of such
/// pairs (`truth-pathways.csv` from `synth --shared-patients`), pair by pair.
///
/// A predicted pair is correct when the truth lists the same two entries as a re-entry across sites
/// (`re_entry`), in that order. A hard negative (two entries that must not be counted as one fact typed at
/// two organizations: `shared_patient_other_fact`, `two_patients_same_text`) is merged when a predicted pair
/// joins its two entries, in either order.
public enum PathwayEvaluation {
    /// Two entries of two sites: the first typed, then the one typed again.
    public struct Pair: Hashable, Sendable {
        public var from: EntryKey
        public var to: EntryKey

        public init(from: EntryKey, to: EntryKey) {
            self.from = from
            self.to = to
        }
    }

    /// A row of the truth: a pair and its kind (`re_entry` or a kind of hard negative).
    public struct TruthRow: Sendable {
        public var kind: String
        public var pair: Pair

        public init(kind: String, pair: Pair) {
            self.kind = kind
            self.pair = pair
        }
    }

    public static let reEntryKind = "re_entry"

    public struct Result: Sendable, Equatable {
        public var truePairs: Int
        public var predictedPairs: Int
        public var correctPairs: Int
        /// Per kind of hard negative: how many, and how many a predicted pair merges.
        public var hardNegatives: [(kind: String, pairs: Int, merged: Int)]

        public var precision: Double? { predictedPairs == 0 ? nil : Double(correctPairs) / Double(predictedPairs) }
        public var recall: Double? { truePairs == 0 ? nil : Double(correctPairs) / Double(truePairs) }
        public var f1: Double? {
            guard let precision, let recall, precision + recall > 0 else { return nil }
            return 2 * precision * recall / (precision + recall)
        }
        /// All hard negatives merged, over all of them.
        public var hardNegativesMergedShare: Double? {
            let pairs = hardNegatives.reduce(0) { $0 + $1.pairs }
            return pairs == 0 ? nil : Double(hardNegatives.reduce(0) { $0 + $1.merged }) / Double(pairs)
        }

        public static func == (lhs: Result, rhs: Result) -> Bool {
            (lhs.truePairs, lhs.predictedPairs, lhs.correctPairs) == (
                rhs.truePairs, rhs.predictedPairs, rhs.correctPairs
            )
                && lhs.hardNegatives.map { "\($0.kind) \($0.pairs) \($0.merged)" }
                    == rhs.hardNegatives.map { "\($0.kind) \($0.pairs) \($0.merged)" }
        }
    }

    /// `ordered`: whether a predicted pair must also say which entry came first (across sites, yes; across
    /// categories of one site, no: a system that exports only the day leaves unknown which of two entries of one
    /// day was typed first).
    ///
    /// `facts`: the fact of each entry at its site (`truth.csv`), when known. A predicted pair then names the
    /// truth's pair when it names the same two facts, whichever of a fact's entries at its site it names: a
    /// site that typed the fact twice (its DUI, then its paper log that keeps only the day) leaves unknown
    /// which of its two entries was typed first, which is the per-site analysis' question (its group's
    /// original), not this one. Predicted pairs still count one each (two pairs of the same two facts are one
    /// correct and one false), and a hard negative is merged when a pair joins its two facts.
    public static func evaluate(
        truth: [TruthRow], predicted: [Pair], ordered: Bool = true, facts: [EntryKey: String] = [:]
    ) -> Result {
        func key(_ pair: Pair) -> Pair {
            ordered || pair.from < pair.to ? pair : Pair(from: pair.to, to: pair.from)
        }
        // Each entry stands for its fact at its site: the fact's first entry key.
        struct SiteFact: Hashable {
            var site: String
            var fact: String
        }
        var first: [SiteFact: EntryKey] = [:]
        for (entry, fact) in facts {
            let siteFact = SiteFact(site: entry.site, fact: fact)
            if let known = first[siteFact], known < entry { continue }
            first[siteFact] = entry
        }
        func stand(_ entry: EntryKey) -> EntryKey {
            facts[entry].flatMap { first[SiteFact(site: entry.site, fact: $0)] } ?? entry
        }
        func fact(_ pair: Pair) -> Pair { key(Pair(from: stand(pair.from), to: stand(pair.to))) }
        let truePairs = Set(truth.filter { $0.kind == reEntryKind }.map { fact($0.pair) })
        let predictedSet = Set(predicted.map(key))
        let predictedFacts = Set(predicted.map(fact))
        let joined = Set(predicted.map { [stand($0.from), stand($0.to)].sorted() })
        var negatives: [String: (pairs: Int, merged: Int)] = [:]
        for row in truth where row.kind != reEntryKind {
            var count = negatives[row.kind] ?? (0, 0)
            count.pairs += 1
            if joined.contains([stand(row.pair.from), stand(row.pair.to)].sorted()) { count.merged += 1 }
            negatives[row.kind] = count
        }
        return Result(
            truePairs: truePairs.count, predictedPairs: predictedSet.count,
            correctPairs: predictedFacts.intersection(truePairs).count,
            hardNegatives: negatives.keys.sorted().map { ($0, negatives[$0]!.pairs, negatives[$0]!.merged) })
    }
}
