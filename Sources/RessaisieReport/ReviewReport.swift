import Foundation
import RessaisieCore

/// `ressaisie review --score`'s output: precision and recall with their 95 % intervals, the true pairs
/// grouped and missed, and each stratum's population, reviewed pairs and share; as text or JSON
/// (`ressaisie.review/1`). Unlabelled rows are counted, never dropped silently.
public enum ReviewReport {
    public static let schema = "ressaisie.review/1"

    static func ratio(_ interval: Interval?) -> String {
        guard let interval else { return "n/a" }
        return String(format: "%.3f  (95 %% CI %.3f – %.3f)", interval.estimate, interval.lower, interval.upper)
    }

    static func count(_ interval: Interval?) -> String {
        guard let interval else { return "n/a" }
        return String(format: "%.0f  (95 %% CI %.0f – %.0f)", interval.estimate, max(0, interval.lower), interval.upper)
    }

    public static func text(_ estimate: ReviewEstimate, file: String) -> String {
        var out = "review \(file): \(estimate.reviewed) pairs labelled"
        if estimate.unlabelled > 0 { out += ", \(estimate.unlabelled) not labelled (left out of the estimates)" }
        if estimate.copies > 0 {
            out += ", \(estimate.copies) with a software copy (out of the estimates, populations scaled)"
        }
        out += "\n"
        out += "precision  \(ratio(estimate.precision))   share of grouped pairs that are one fact\n"
        out += "recall     \(ratio(estimate.recall))   share of true candidate pairs that are grouped\n"
        out +=
            "true pairs grouped \(count(estimate.truePairsGrouped)) of \(estimate.groupedPairs); "
            + "missed \(count(estimate.truePairsMissed)) among \(estimate.nearMissPairs) near-miss candidates\n"
        if let factor = estimate.trueToFound {
            out += String(
                format: "true / found re-entries  %.3f  (95 %% CI %.3f – %.3f)\n", factor.estimate, factor.lower,
                factor.upper)
        }
        var rows = [["stratum", "population", "reviewed", "same fact", "copies", "not labelled", "share (95 % CI)"]]
        for stratum in estimate.strata {
            let share =
                stratum.share.map { String(format: "%.2f (%.2f – %.2f)", $0.estimate, $0.lower, $0.upper) } ?? "n/a"
            rows.append([
                stratum.stratum.description, String(stratum.population), String(stratum.reviewed),
                String(stratum.sameFact),
                String(stratum.copies), String(stratum.unlabelled), share,
            ])
        }
        out += "\n" + EvaluationReport.table(rows)
        out +=
            "\nIntervals: Wilson score, continuity-corrected, per stratum; each kind's strata weighted by population (Wilson at the "
            + "effective sample size); recall by MOVER-R. "
            + "Recall counts the true pairs among the candidates (same site, linked patient and category, within the window).\n"
        return out
    }

    static func interval(_ interval: Interval?, decimals: Int) -> JSONValue {
        guard let interval else { return .null }
        return .object([
            ("estimate", .double(interval.estimate, decimals: decimals)),
            ("lower", .double(max(0, interval.lower), decimals: decimals)),
            ("upper", interval.upper.isFinite ? .double(interval.upper, decimals: decimals) : .null),
        ])
    }

    public static func json(_ estimate: ReviewEstimate, file: String) -> String {
        JSONValue.object([
            ("schema", .string(schema)),
            ("file", .string(file)),
            ("reviewed", .int(estimate.reviewed)),
            ("unlabelled", .int(estimate.unlabelled)),
            ("copies", .int(estimate.copies)),
            ("confidence", .double(0.95, decimals: 2)),
            (
                "method",
                .string(
                    "wilson-cc per stratum; stratified shares by wilson-cc at the effective sample size; MOVER-R for recall"
                )
            ),
            ("precision", interval(estimate.precision, decimals: 4)),
            ("recall", interval(estimate.recall, decimals: 4)),
            ("grouped_pairs", .int(estimate.groupedPairs)),
            ("near_miss_pairs", .int(estimate.nearMissPairs)),
            ("true_pairs_grouped", interval(estimate.truePairsGrouped, decimals: 1)),
            ("true_pairs_missed", interval(estimate.truePairsMissed, decimals: 1)),
            ("true_to_found", interval(estimate.trueToFound, decimals: 4)),
            (
                "strata",
                .array(
                    estimate.strata.map { stratum in
                        .object([
                            ("stratum", .string(stratum.stratum.description)), ("population", .int(stratum.population)),
                            ("reviewed", .int(stratum.reviewed)), ("same_fact", .int(stratum.sameFact)),
                            ("unlabelled", .int(stratum.unlabelled)), ("copies", .int(stratum.copies)),
                            ("share", interval(stratum.share, decimals: 4)),
                        ])
                    })
            ),
        ]).serialized()
    }
}
