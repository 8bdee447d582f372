#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Musl)
    import Musl
#endif

/// A point estimate and its confidence interval.
public struct Interval: Sendable, Equatable {
    public var estimate: Double
    public var lower: Double
    public var upper: Double

    public init(estimate: Double, lower: Double, upper: Double) {
        self.estimate = estimate
        self.lower = lower
        self.upper = upper
    }

    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }
}

/// Confidence intervals for proportions estimated from a reviewed sample, and their combination across
/// strata.
///
/// - One stratum: **Wilson score interval with continuity correction** (Newcombe 1998, method 4). It keeps
///   its coverage near the nominal level for small samples and for proportions near 0 or 1 (a precision of
///   0.99 from 30 pairs), where the normal ("Wald") interval collapses to a point.
/// - Strata of one kind combined: the stratified share Σ Wₕ p̂ₕ (Wₕ = Nₕ / N) gets the same continuity-corrected
///   Wilson interval at its **effective sample size** n* = p̂(1 − p̂) / Σ Wₕ² p̂ₕ(1 − p̂ₕ) / nₕ, at most the pairs
///   reviewed (the design-effect approach of Korn & Graubard 1998, with Wilson's interval as Dean & Pagano 2015
///   recommend). Simulated on censuses of every candidate pair of synthetic audits (every pair labelled from the
///   truth, then 2 000 stratified samples of 200 drawn from them), it covered the true precision 98.5–99 % of
///   the time, against 94–96 % for MOVER (its upper bound misses when a stratum or two draw an unlucky error),
///   with intervals a third narrower.
/// - Sums and ratios of independent estimates: **MOVER** (method of variance estimates recovery, Zou & Donner
///   2008): θ̂ ∓ √Σ (θ̂ᵢ − lᵢ)² (resp. uᵢ − θ̂ᵢ), each side from the terms' own asymmetric distances; a ratio
///   θ₁ / θ₂ gets MOVER-R (Donner & Zou 2012).
public enum ProportionInterval {
    /// The normal quantile of a two-sided 95 % interval.
    public static let z95 = 1.959963984540054

    /// Wilson score interval of `successes` out of `trials`, continuity-corrected; nil when `trials` is 0.
    public static func wilson(successes: Int, trials: Int, z: Double = z95, continuityCorrected: Bool = true)
        -> Interval?
    {
        guard trials > 0, successes >= 0, successes <= trials else { return nil }
        let n = Double(trials), p = Double(successes) / n, z2 = z * z
        guard continuityCorrected else {
            let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
            let half = z / (1 + z2 / n) * sqrt(p * (1 - p) / n + z2 / (4 * n * n))
            return Interval(
                estimate: p, lower: successes == 0 ? 0 : max(0, centre - half),
                upper: successes == trials ? 1 : min(1, centre + half))
        }
        return wilson(share: p, trials: n, z: z)
    }

    /// One stratum of a stratified share: its population, and how many of its reviewed pairs are a success.
    public struct Stratum: Sendable, Equatable {
        public var population: Double
        public var successes: Int
        public var trials: Int

        public init(population: Double, successes: Int, trials: Int) {
            self.population = population
            self.successes = successes
            self.trials = trials
        }
    }

    /// The stratified share Σ Wₕ p̂ₕ with its continuity-corrected Wilson interval at the effective sample size
    /// (see above). Strata with a population but no reviewed pair are unknown: their weight is added to the upper
    /// bound and taken from the lower one (anywhere between 0 and 1), their estimate the reviewed strata's share.
    /// Nil when no pair of a populated stratum was reviewed.
    public static func stratified(_ strata: [Stratum], z: Double = z95) -> Interval? {
        let total = strata.reduce(0) { $0 + $1.population }
        let reviewed = strata.filter { $0.trials > 0 && $0.population > 0 }
        guard total > 0, !reviewed.isEmpty else { return nil }
        let reviewedWeight = reviewed.reduce(0) { $0 + $1.population } / total
        var share = 0.0, variance = 0.0
        for stratum in reviewed {
            let weight = stratum.population / total / reviewedWeight,
                p = Double(stratum.successes) / Double(stratum.trials)
            share += weight * p
            variance += weight * weight * p * (1 - p) / Double(stratum.trials)
        }
        let trials = Double(reviewed.reduce(0) { $0 + $1.trials })
        let effective = variance > 0 ? min(trials, share * (1 - share) / variance) : trials
        let interval = wilson(share: share, trials: effective, z: z)
        let unknown = 1 - reviewedWeight
        return Interval(
            estimate: interval.estimate, lower: interval.lower * reviewedWeight,
            upper: min(1, interval.upper * reviewedWeight + unknown))
    }

    /// The continuity-corrected Wilson interval of a share observed on a (possibly effective, non-integer) number
    /// of trials.
    static func wilson(share p: Double, trials n: Double, z: Double) -> Interval {
        let z2 = z * z, denominator = 2 * (n + z2)
        var lower = 0.0, upper = 1.0
        if p > 0 {
            lower = (2 * n * p + z2 - 1 - z * sqrt(max(0, z2 - 2 - 1 / n + 4 * p * (n * (1 - p) + 1)))) / denominator
        }
        if p < 1 {
            upper = (2 * n * p + z2 + 1 + z * sqrt(max(0, z2 + 2 - 1 / n + 4 * p * (n * (1 - p) - 1)))) / denominator
        }
        return Interval(estimate: p, lower: max(0, min(lower, p)), upper: min(1, max(upper, p)))
    }

    /// MOVER interval of Σ wₕ θₕ from each term's estimate and interval (terms independent).
    public static func weightedSum(_ terms: [(weight: Double, interval: Interval)]) -> Interval {
        var estimate = 0.0, below = 0.0, above = 0.0
        for (weight, interval) in terms {
            estimate += weight * interval.estimate
            below += pow(weight * (interval.estimate - interval.lower), 2)
            above += pow(weight * (interval.upper - interval.estimate), 2)
        }
        return Interval(estimate: estimate, lower: estimate - sqrt(below), upper: estimate + sqrt(above))
    }

    /// MOVER-R interval of the ratio `numerator / denominator` of two independent non-negative estimates;
    /// the upper bound is infinite when the denominator's lower bound is 0. Nil when the denominator's
    /// estimate is 0.
    public static func ratio(_ numerator: Interval, _ denominator: Interval) -> Interval? {
        let t1 = numerator.estimate, t2 = denominator.estimate
        guard t2 > 0 else { return nil }
        let (l1, u1) = (max(0, numerator.lower), numerator.upper)
        let (l2, u2) = (max(0, denominator.lower), denominator.upper)
        let product = t1 * t2
        var lower = 0.0, upper = Double.infinity
        let lowerDenominator = u2 * (2 * t2 - u2)
        if lowerDenominator > 0 {
            lower =
                (product - sqrt(max(0, product * product - l1 * u2 * (2 * t1 - l1) * (2 * t2 - u2)))) / lowerDenominator
        }
        let upperDenominator = l2 * (2 * t2 - l2)
        if upperDenominator > 0 {
            upper =
                (product + sqrt(max(0, product * product - u1 * l2 * (2 * t1 - u1) * (2 * t2 - l2)))) / upperDenominator
        }
        let estimate = t1 / t2
        return Interval(estimate: estimate, lower: max(0, min(lower, estimate)), upper: max(upper, estimate))
    }
}
