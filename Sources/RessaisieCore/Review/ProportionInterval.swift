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
/// - Strata combined: **MOVER** (method of variance estimates recovery, Zou & Donner 2008): a weighted sum
///   Σ wₕ pₕ of independent proportions gets the bounds θ̂ ∓ √Σ wₕ² (p̂ₕ − lₕ)² (resp. uₕ − p̂ₕ), each side from
///   the stratum intervals' own asymmetric distances; a ratio θ₁ / θ₂ of two independent sums gets MOVER-R
///   (Donner & Zou 2012). Both recover the Wilson intervals' asymmetry, which a pooled normal variance loses.
public enum ProportionInterval {
    /// The normal quantile of a two-sided 95 % interval.
    public static let z95 = 1.959963984540054

    /// Wilson score interval of `successes` out of `trials`, continuity-corrected; nil when `trials` is 0.
    public static func wilson(successes: Int, trials: Int, z: Double = z95, continuityCorrected: Bool = true) -> Interval? {
        guard trials > 0, successes >= 0, successes <= trials else { return nil }
        let n = Double(trials), p = Double(successes) / n, z2 = z * z
        guard continuityCorrected else {
            let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
            let half = z / (1 + z2 / n) * sqrt(p * (1 - p) / n + z2 / (4 * n * n))
            return Interval(
                estimate: p, lower: successes == 0 ? 0 : max(0, centre - half), upper: successes == trials ? 1 : min(1, centre + half))
        }
        let denominator = 2 * (n + z2)
        var lower = 0.0, upper = 1.0
        if successes > 0 {
            lower = (2 * n * p + z2 - 1 - z * sqrt(max(0, z2 - 2 - 1 / n + 4 * p * (n * (1 - p) + 1)))) / denominator
        }
        if successes < trials {
            upper = (2 * n * p + z2 + 1 + z * sqrt(max(0, z2 + 2 - 1 / n + 4 * p * (n * (1 - p) - 1)))) / denominator
        }
        return Interval(estimate: p, lower: max(0, lower), upper: min(1, upper))
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
            lower = (product - sqrt(max(0, product * product - l1 * u2 * (2 * t1 - l1) * (2 * t2 - u2)))) / lowerDenominator
        }
        let upperDenominator = l2 * (2 * t2 - l2)
        if upperDenominator > 0 {
            upper = (product + sqrt(max(0, product * product - u1 * l2 * (2 * t1 - u1) * (2 * t2 - l2)))) / upperDenominator
        }
        let estimate = t1 / t2
        return Interval(estimate: estimate, lower: max(0, min(lower, estimate)), upper: max(upper, estimate))
    }
}
