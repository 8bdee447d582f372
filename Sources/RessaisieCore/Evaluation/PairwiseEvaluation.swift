/// One entry as the truth and the groups file name it: site, system and the source's record id.
public struct EntryKey: Hashable, Sendable, Comparable {
    public var site: String
    public var system: String
    public var recordID: String

    public init(site: String, system: String, recordID: String) {
        self.site = site
        self.system = system
        self.recordID = recordID
    }

    public static func < (lhs: EntryKey, rhs: EntryKey) -> Bool {
        (lhs.site, lhs.system, lhs.recordID) < (rhs.site, rhs.system, rhs.recordID)
    }
}

/// Scores predicted duplicate groups against a ground truth of facts, by pairs of entries.
///
/// A pair is two entries in the same predicted group (predicted) or the same true fact (true). Counts come
/// from the contingency of (group, fact) cells, Σ C(n, 2) over cells, groups and facts, so a fact typed
/// thousands of times costs nothing more than its size. Entries of the groups absent from the truth
/// are counted apart: their pairs are predicted but can never be true.
public enum PairwiseEvaluation {
    /// A row of `truth.csv`: an entry and the fact it records.
    public struct TruthRow: Sendable {
        public var entry: EntryKey
        public var fact: String

        public init(entry: EntryKey, fact: String) {
            self.entry = entry
            self.fact = fact
        }
    }

    /// A row of a `--groups` CSV: an entry, its group, and whether it is a re-entry (else the original).
    public struct GroupRow: Sendable {
        public var entry: EntryKey
        public var group: String
        public var isReEntry: Bool

        public init(entry: EntryKey, group: String, isReEntry: Bool) {
            self.entry = entry
            self.group = group
            self.isReEntry = isReEntry
        }
    }

    /// Re-entries of one site, true and predicted.
    public struct SiteCounts: Sendable, Equatable {
        public var site: String
        /// Σ over the site's facts of (entries − 1).
        public var trueReEntries: Int
        /// Rows with role `re_entry`.
        public var predictedReEntries: Int

        public init(site: String, trueReEntries: Int, predictedReEntries: Int) {
            self.site = site
            self.trueReEntries = trueReEntries
            self.predictedReEntries = predictedReEntries
        }

        /// (predicted − true) / true; nil when the truth has no re-entry.
        public var relativeDifference: Double? {
            trueReEntries == 0 ? nil : Double(predictedReEntries - trueReEntries) / Double(trueReEntries)
        }
    }

    public struct Result: Sendable, Equatable {
        public var truthEntries = 0
        public var facts = 0
        public var groups = 0
        public var groupEntries = 0
        /// Entries of the groups file that the truth does not list.
        public var entriesMissingFromTruth = 0
        /// A few of them, in file order, for the message.
        public var missingExamples: [EntryKey] = []
        /// Entries of the truth set aside (software copies): in no pair, true or predicted.
        public var entriesSetAside = 0
        public var truePairs = 0
        public var predictedPairs = 0
        public var correctPairs = 0
        public var sites: [SiteCounts] = []

        /// Correct / predicted pairs; nil when no pair is predicted.
        public var precision: Double? { predictedPairs == 0 ? nil : Double(correctPairs) / Double(predictedPairs) }
        /// Correct / true pairs; nil when the truth has no pair.
        public var recall: Double? { truePairs == 0 ? nil : Double(correctPairs) / Double(truePairs) }
        /// Harmonic mean of precision and recall; nil when either is undefined, 0 when both are 0.
        public var f1: Double? {
            guard let precision, let recall else { return nil }
            return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        }
    }

    static func pairs(_ n: Int) -> Int { n * (n - 1) / 2 }

    /// Scores `groups` against `truth`. Rows are assumed unique per entry (the readers check it).
    ///
    /// - Parameter setAside: entries scored apart (software copies, `TaggedEvaluation.copies(in:)`): left out of
    ///   the truth's facts and of the groups' pairs, so a copy adds no true pair and a group holding one is
    ///   scored as if it did not; rows of role `re_entry` still count in the per-site predicted re-entries
    ///   (a copy counted as a re-entry is an error there).
    public static func evaluate(truth: [TruthRow], groups: [GroupRow], setAside: Set<EntryKey> = []) -> Result {
        var result = Result()
        // Facts by index, in first-seen order.
        var factIndex: [String: Int] = [:]
        var factSizes: [Int] = []
        var factOfEntry: [EntryKey: Int] = [:]
        factOfEntry.reserveCapacity(truth.count)
        var siteOfFact: [String] = []
        for row in truth {
            if !setAside.isEmpty, setAside.contains(row.entry) {
                result.entriesSetAside += 1
                continue
            }
            let index: Int
            if let known = factIndex[row.fact] {
                index = known
            } else {
                index = factSizes.count
                factIndex[row.fact] = index
                factSizes.append(0)
                siteOfFact.append(row.entry.site)
            }
            factSizes[index] += 1
            factOfEntry[row.entry] = index
        }
        result.truthEntries = truth.count - result.entriesSetAside
        result.facts = factSizes.count
        result.truePairs = factSizes.reduce(0) { $0 + pairs($1) }

        // Predicted groups and the (group, fact) contingency.
        var groupSizes: [String: Int] = [:]
        var cells: [Cell: Int] = [:]
        var groupIndex: [String: Int] = [:]
        var predictedBySite: [String: Int] = [:]
        for row in groups {
            let group: Int
            if let known = groupIndex[row.group] {
                group = known
            } else {
                group = groupIndex.count
                groupIndex[row.group] = group
            }
            if row.isReEntry { predictedBySite[row.entry.site, default: 0] += 1 }
            if !setAside.isEmpty, setAside.contains(row.entry) { continue }
            groupSizes[row.group, default: 0] += 1
            if let fact = factOfEntry[row.entry] {
                cells[Cell(group: group, fact: fact), default: 0] += 1
            } else {
                result.entriesMissingFromTruth += 1
                if result.missingExamples.count < 5 { result.missingExamples.append(row.entry) }
            }
        }
        result.groups = groupIndex.count
        result.groupEntries = groupSizes.values.reduce(0, +)
        result.predictedPairs = groupSizes.values.reduce(0) { $0 + pairs($1) }
        result.correctPairs = cells.values.reduce(0) { $0 + pairs($1) }

        // Per site: true re-entries are each fact's entries beyond its first.
        var trueBySite: [String: Int] = [:]
        for (index, size) in factSizes.enumerated() {
            trueBySite[siteOfFact[index], default: 0] += size - 1
        }
        let sites = Set(trueBySite.keys).union(predictedBySite.keys).sorted()
        result.sites = sites.map {
            SiteCounts(site: $0, trueReEntries: trueBySite[$0] ?? 0, predictedReEntries: predictedBySite[$0] ?? 0)
        }
        return result
    }

    private struct Cell: Hashable {
        var group: Int
        var fact: Int
    }
}
