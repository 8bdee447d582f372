import Foundation

/// Fellegi–Sunter comparison of two patient records: one level per field, the likelihood of each level
/// among true matches (m) and among non-matches (u), and the total weight Σ log₂(m/u).
///
/// Fields and levels (a missing value on either side leaves the field out: weight 0):
/// - birth name, first given name: 0 disagree, 1 Dice of the Bloom filters ≥ `diceThreshold`,
///   2 same phonetic code, 3 exact (the best level that holds); names swapped (one side's birth name is
///   the other's given name and back) count as 2 for both;
/// - birth date: 0 disagree, 1 two of year, month and day agree, 2 day and month swapped, 3 exact;
/// - sex, birth place: 0 disagree, 1 agree;
/// - each extra column (`ressaisie link --compare`): 0 disagree, 1 Dice ≥ `diceThreshold`, 2 exact.
public struct FellegiSunterModel: Sendable, Equatable {
    /// Levels of each field, from disagreement (0) up.
    public static let baseLevels = [4, 4, 4, 2, 2]
    public static let extraLevels = 3
    public static let diceThreshold = 0.8
    /// Value of a field left out of a comparison (missing on a side).
    public static let missing: UInt8 = 15

    /// m[field][level] and u[field][level] among the candidate pairs (estimated by EM), and the proportion
    /// of matches among them: these give each candidate pair its probability of being a match.
    public var m: [[Double]]
    public var u: [[Double]]
    public var matchProportion: Double
    /// u[field][level] among random pairs of records (not only those blocking proposes): the chance that
    /// two unrelated records agree at that level. Weights use it, so that a field used for blocking (all
    /// candidates share a phonetic birth name) still counts for what its agreement says about identity.
    public var uRandom: [[Double]]
    /// EM iterations run.
    public var iterations = 0

    public var fieldCount: Int { m.count }

    /// The starting point of EM and the prior of both estimates: names and birth dates agree exactly for
    /// most matches and rarely by chance; sex agrees for matches.
    public static func initial(extraFields: Int) -> FellegiSunterModel {
        var m: [[Double]] = [
            [0.04, 0.06, 0.10, 0.80],  // birth name (married names and typos make it the weakest)
            [0.03, 0.04, 0.08, 0.85],  // first given name
            [0.03, 0.05, 0.02, 0.90],  // birth date
            [0.03, 0.97],  // sex
            [0.10, 0.90],  // birth place
        ]
        // Among candidate pairs: blocking makes names and dates agree far more often than by chance.
        var u: [[Double]] = [
            [0.50, 0.10, 0.20, 0.20],
            [0.80, 0.03, 0.05, 0.12],
            [0.80, 0.10, 0.01, 0.09],
            [0.50, 0.50],
            [0.90, 0.10],
        ]
        // Among random pairs.
        var uRandom: [[Double]] = [
            [0.988, 0.003, 0.005, 0.004],
            [0.95, 0.005, 0.015, 0.03],
            [0.9695, 0.03, 0.0001, 0.0004],
            [0.50, 0.50],
            [0.95, 0.05],
        ]
        for _ in 0..<extraFields {
            m.append([0.15, 0.10, 0.75])
            u.append([0.80, 0.05, 0.15])
            uRandom.append([0.97, 0.01, 0.02])
        }
        return FellegiSunterModel(m: m, u: u, matchProportion: 0.1, uRandom: uRandom)
    }

    /// Weight of one field at one level: log₂(m / u among random pairs).
    public func weight(field: Int, level: Int) -> Double { log2(m[field][level] / uRandom[field][level]) }

    /// Total weight of a comparison pattern (missing fields count 0).
    public func weight(_ pattern: ComparisonPattern) -> Double {
        var total = 0.0
        for field in 0..<fieldCount {
            let level = pattern[field]
            if level != Self.missing { total += weight(field: field, level: Int(level)) }
        }
        return total
    }

    /// Probability that a candidate pair with this pattern is a match: the EM model's posterior.
    public func probability(_ pattern: ComparisonPattern) -> Double {
        var logRatio = log(matchProportion / (1 - matchProportion))
        for field in 0..<fieldCount where pattern[field] != Self.missing {
            logRatio += log(m[field][Int(pattern[field])] / u[field][Int(pattern[field])])
        }
        return 1 / (1 + exp(-logRatio))
    }

    /// u among random pairs from the patterns of sampled pairs, with the initial values as a prior worth
    /// `priorPairs` pairs (a small site has few pairs to learn from), never below `1e-6`. Each pair counts
    /// for its probability of not being a match (by the EM model), so that the true matches a small site's
    /// random pairs contain do not pass for chance agreement.
    public mutating func estimateRandomU(patterns: [ComparisonPattern], priorPairs: Double = 5_000) {
        var counts = Self.initial(extraFields: fieldCount - Self.baseLevels.count).uRandom.map {
            $0.map { $0 * priorPairs }
        }
        for pattern in patterns {
            let weight = 1 - probability(pattern)
            for field in 0..<fieldCount where pattern[field] != Self.missing {
                counts[field][Int(pattern[field])] += weight
            }
        }
        uRandom = counts.map { Self.normalized($0, floor: 1e-6) }
    }

    // MARK: Comparison

    /// The comparison levels of two records' features.
    public static func compare(_ a: IdentityFeatures, _ b: IdentityFeatures, extraFields: Int) -> ComparisonPattern {
        var pattern = ComparisonPattern()
        pattern[0] = nameLevel(
            a.birthNameHash, b.birthNameHash, a.birthNamePhonetic, b.birthNamePhonetic, a.birthName, b.birthName)
        pattern[1] = nameLevel(
            a.givenNameHash, b.givenNameHash, a.givenNamePhonetic, b.givenNamePhonetic, a.givenName, b.givenName)
        // Birth name and given name swapped on one side: both count as phonetic agreement.
        if pattern[0] < 2, pattern[1] < 2, a.birthNameHash != 0, a.givenNameHash != 0,
            a.birthNameHash == b.givenNameHash,
            a.givenNameHash == b.birthNameHash
        {
            pattern[0] = 2
            pattern[1] = 2
        }
        pattern[2] = dateLevel(a, b)
        pattern[3] = a.sex == 0 || b.sex == 0 ? missing : a.sex == b.sex ? 1 : 0
        pattern[4] = a.birthPlace == 0 || b.birthPlace == 0 ? missing : a.birthPlace == b.birthPlace ? 1 : 0
        for index in 0..<extraFields {
            let x = index < a.extra.count ? a.extra[index] : .init(hash: 0, bloom: NameBloom())
            let y = index < b.extra.count ? b.extra[index] : .init(hash: 0, bloom: NameBloom())
            let level: UInt8
            if x.hash == 0 || y.hash == 0 {
                level = missing
            } else if x.hash == y.hash {
                level = 2
            } else if !x.bloom.isEmpty, x.bloom.dice(y.bloom) >= diceThreshold {
                level = 1
            } else {
                level = 0
            }
            pattern[5 + index] = level
        }
        return pattern
    }

    /// 3 exact, 2 phonetic, 1 Dice ≥ threshold, 0 disagree; missing when a side has no value.
    public static func nameLevel(
        _ hashA: UInt32, _ hashB: UInt32, _ phoneticA: UInt32, _ phoneticB: UInt32, _ bloomA: NameBloom,
        _ bloomB: NameBloom
    ) -> UInt8 {
        if hashA == 0 || hashB == 0 { return missing }
        if hashA == hashB { return 3 }
        if phoneticA != 0, phoneticA == phoneticB { return 2 }
        if bloomA.dice(bloomB) >= diceThreshold { return 1 }
        return 0
    }

    /// 3 exact, 2 day and month swapped, 1 two components of three agree, 0 disagree.
    public static func dateLevel(_ a: IdentityFeatures, _ b: IdentityFeatures) -> UInt8 {
        if a.birthYear == 0 || b.birthYear == 0 { return missing }
        if a.birthDate == b.birthDate { return 3 }
        if a.birthDate == b.birthDateSwapped, a.birthDateSwapped == b.birthDate { return 2 }
        let agreeing =
            (a.birthYear == b.birthYear ? 1 : 0) + (a.birthMonth == b.birthMonth ? 1 : 0)
            + (a.birthDay == b.birthDay ? 1 : 0)
        return agreeing >= 2 ? 1 : 0
    }

    // MARK: Estimation

    /// Estimates m, u and the proportion of matches by expectation–maximization over the comparison
    /// patterns of the candidate pairs (each distinct pattern once, with its count).
    ///
    /// The initial model also acts as a prior worth `priorPairs` pairs in each class (a MAP estimate), so
    /// that a small audit (a few dozen candidate pairs) stays close to sane values instead of
    /// over-fitting, and no probability reaches 0. Probabilities are kept within [`floor`, 1 − `floor`];
    /// the proportion of matches within [0.001, 0.9]. Stops when no parameter moves by more than 1e-6,
    /// or after `maxIterations`.
    public static func estimate(
        patterns: [(pattern: ComparisonPattern, count: Int)], extraFields: Int, priorPairs: Double = 20,
        maxIterations: Int = 200
    ) -> FellegiSunterModel {
        var model = initial(extraFields: extraFields)
        let prior = model
        let fields = model.fieldCount
        let total = patterns.reduce(0) { $0 + $1.count }
        guard total > 0 else { return model }
        let floor = 1e-4
        for iteration in 1...maxIterations {
            var mCounts = prior.m.map { $0.map { $0 * priorPairs } }
            var uCounts = prior.u.map { $0.map { $0 * priorPairs } }
            var matches = 0.0
            for (pattern, count) in patterns {
                var logM = log(model.matchProportion), logU = log(1 - model.matchProportion)
                for field in 0..<fields where pattern[field] != missing {
                    logM += log(model.m[field][Int(pattern[field])])
                    logU += log(model.u[field][Int(pattern[field])])
                }
                let g = 1 / (1 + exp(logU - logM))
                let c = Double(count)
                matches += g * c
                for field in 0..<fields where pattern[field] != missing {
                    mCounts[field][Int(pattern[field])] += g * c
                    uCounts[field][Int(pattern[field])] += (1 - g) * c
                }
            }
            var next = model
            next.iterations = iteration
            next.matchProportion = min(max(matches / Double(total), 0.001), 0.9)
            for field in 0..<fields {
                next.m[field] = normalized(mCounts[field], floor: floor)
                next.u[field] = normalized(uCounts[field], floor: floor)
            }
            var change = abs(next.matchProportion - model.matchProportion)
            for field in 0..<fields {
                for level in next.m[field].indices {
                    change = max(
                        change, abs(next.m[field][level] - model.m[field][level]),
                        abs(next.u[field][level] - model.u[field][level]))
                }
            }
            model = next
            if change < 1e-6 { break }
        }
        return model
    }

    static func normalized(_ counts: [Double], floor: Double) -> [Double] {
        let sum = counts.reduce(0, +)
        var values = counts.map { sum > 0 ? $0 / sum : 1 / Double(counts.count) }
        values = values.map { min(max($0, floor), 1 - floor) }
        let clampedSum = values.reduce(0, +)
        return values.map { $0 / clampedSum }
    }
}

/// The level of each field in one comparison, 4 bits per field (up to 16 fields), `missing` when the field
/// was not compared.
public struct ComparisonPattern: Hashable, Sendable, Comparable {
    public var bits: UInt64 = ~0

    public init() {}

    public subscript(field: Int) -> UInt8 {
        get { UInt8((bits >> UInt64(field * 4)) & 0xF) }
        set {
            let shift = UInt64(field * 4)
            bits = bits & ~(0xF << shift) | UInt64(newValue & 0xF) << shift
        }
    }

    public static func < (lhs: ComparisonPattern, rhs: ComparisonPattern) -> Bool { lhs.bits < rhs.bits }
}
