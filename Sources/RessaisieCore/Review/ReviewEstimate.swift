/// Precision and recall of the duplicate groups, estimated from a reviewed stratified sample of pairs, with
/// 95 % intervals.
///
/// Per stratum h, `yes` of `reviewed` pairs are one fact: p̂ₕ with its continuity-corrected Wilson interval.
/// Strata are weighted by their populations Nₕ (the candidate pairs they were drawn from), each side's share
/// by `ProportionInterval.stratified` (Wilson at the effective sample size):
///
/// - **precision** = the stratified share of grouped pairs that are one fact; true grouped pairs TP = precision
///   × Σ Nₕ;
/// - missed true pairs FN = Σ over near-miss strata Nₖ pₖ (the near-misses' stratified share × their number);
/// - **recall** = TP / (TP + FN) = 1 / (1 + FN / TP), FN / TP by MOVER-R (the two are independent: they come
///   from different strata);
/// - all true pairs TP + FN (MOVER), and so the **factor** (TP + FN) / Σ Nₕ that turns a count of found
///   re-entries into an estimate of the true ones.
///
/// A stratum with candidates but no reviewed pair (the analyst labelled none of it) is unknown: anywhere
/// between 0 and 1. Unlabelled rows are counted, never read as a "no".
///
/// A pair labelled `copy` has an entry that no one typed (a copy made by an interface, a record exported again):
/// it is neither a re-entry nor two facts, so, as `ressaisie evaluate` sets such entries aside, it is out of the
/// estimate: its stratum's population is scaled to the share of its reviewed pairs that are not copies (the
/// usual adjustment for out-of-scope units), and precision and recall are those of the typed entries.
public struct ReviewEstimate: Sendable, Equatable {
    /// One reviewed (or not yet reviewed) pair: its stratum, the stratum's population, and the label.
    public struct Label: Sendable, Equatable {
        public var stratum: ReviewStratum
        public var population: Int
        /// nil: not labelled.
        public var sameFact: Bool?
        /// An entry of the pair is a software copy (labelled `copy`): out of the estimate.
        public var copy: Bool

        public init(stratum: ReviewStratum, population: Int, sameFact: Bool?, copy: Bool = false) {
            self.stratum = stratum
            self.population = population
            self.sameFact = copy ? nil : sameFact
            self.copy = copy
        }
    }

    public struct Stratum: Sendable, Equatable {
        public var stratum: ReviewStratum
        public var population: Int
        public var reviewed: Int
        public var sameFact: Int
        public var unlabelled: Int
        /// Pairs labelled `copy`.
        public var copies: Int
        /// The population less its estimated share of copies: population × reviewed / (reviewed + copies).
        public var typedPopulation: Double {
            reviewed + copies == 0
                ? Double(population) : Double(population) * Double(reviewed) / Double(reviewed + copies)
        }
        /// Share of pairs that are one fact; nil when none was reviewed.
        public var share: Interval?
    }

    public var strata: [Stratum]
    /// Labelled pairs.
    public var reviewed: Int
    /// Rows without a label.
    public var unlabelled: Int
    /// Pairs labelled `copy` (an entry no one typed): out of the estimate.
    public var copies: Int
    /// Candidate pairs in groups, and out of them (near-misses).
    public var groupedPairs: Int
    public var nearMissPairs: Int
    /// Share of grouped pairs that are one fact.
    public var precision: Interval?
    /// Share of true pairs (among candidates) that are grouped.
    public var recall: Interval?
    /// True pairs grouped (TP) and missed (FN), as counts of pairs.
    public var truePairsGrouped: Interval?
    public var truePairsMissed: Interval?
    /// (TP + FN) / grouped pairs: the factor from found to true re-entries.
    public var trueToFound: Interval?

    public init(labels: [Label]) {
        var byStratum: [ReviewStratum: Stratum] = [:]
        for label in labels {
            var stratum =
                byStratum[label.stratum]
                ?? Stratum(
                    stratum: label.stratum, population: label.population, reviewed: 0, sameFact: 0, unlabelled: 0,
                    copies: 0)
            stratum.population = max(stratum.population, label.population)
            switch label.sameFact {
            case _ where label.copy: stratum.copies += 1
            case .some(true):
                stratum.reviewed += 1
                stratum.sameFact += 1
            case .some(false): stratum.reviewed += 1
            case .none: stratum.unlabelled += 1
            }
            byStratum[label.stratum] = stratum
        }
        for key in byStratum.keys {
            byStratum[key]!.share = ProportionInterval.wilson(
                successes: byStratum[key]!.sameFact, trials: byStratum[key]!.reviewed)
        }
        strata = byStratum.values.sorted { $0.stratum < $1.stratum }
        reviewed = strata.reduce(0) { $0 + $1.reviewed }
        unlabelled = strata.reduce(0) { $0 + $1.unlabelled }
        copies = strata.reduce(0) { $0 + $1.copies }
        let grouped = strata.filter { $0.stratum.kind == .grouped },
            missed = strata.filter { $0.stratum.kind == .nearMiss }
        groupedPairs = grouped.reduce(0) { $0 + $1.population }
        nearMissPairs = missed.reduce(0) { $0 + $1.population }

        /// Σ population × share over strata (populations less their copies): the stratified share times the population.
        func total(_ strata: [Stratum]) -> Interval? {
            let population = strata.reduce(0) { $0 + $1.typedPopulation }
            let share = ProportionInterval.stratified(
                strata.map {
                    ProportionInterval.Stratum(
                        population: $0.typedPopulation, successes: $0.sameFact, trials: $0.reviewed)
                })
            return share.map {
                Interval(estimate: $0.estimate * population, lower: $0.lower * population, upper: $0.upper * population)
            }
        }
        truePairsGrouped = groupedPairs > 0 ? total(grouped) : nil
        truePairsMissed = nearMissPairs > 0 ? total(missed) : Interval(estimate: 0, lower: 0, upper: 0)
        if let tp = truePairsGrouped {
            let typed = grouped.reduce(0) { $0 + $1.typedPopulation }, n = Double(groupedPairs)
            precision = Interval(
                estimate: tp.estimate / typed, lower: max(0, tp.lower / typed), upper: min(1, tp.upper / typed))
            if let fn = truePairsMissed {
                if let ratio = ProportionInterval.ratio(fn, tp) {
                    recall = Interval(
                        estimate: 1 / (1 + ratio.estimate), lower: ratio.upper.isInfinite ? 0 : 1 / (1 + ratio.upper),
                        upper: 1 / (1 + ratio.lower))
                } else if fn.estimate > 0 || fn.upper > 0 {
                    recall = Interval(estimate: 0, lower: 0, upper: 1)
                }
                let all = ProportionInterval.weightedSum([(1, tp), (1, fn)])
                trueToFound = Interval(estimate: all.estimate / n, lower: max(0, all.lower) / n, upper: all.upper / n)
            }
        }
    }

    /// The true re-entries estimated from `found` (a site's count, or the audit's): found × `trueToFound`,
    /// bounds rounded outwards. Nil when the review cannot say (no grouped pair reviewed).
    public func reEntries(found: Int) -> (estimate: Int, lower: Int, upper: Int)? {
        guard let factor = trueToFound, factor.upper.isFinite else { return nil }
        let count = Double(found)
        return (
            Int((count * factor.estimate).rounded()), Int((count * max(0, factor.lower)).rounded(.down)),
            Int((count * factor.upper).rounded(.up))
        )
    }
}
