import RessaisieCore

/// `ressaisie evaluate`'s output: pairwise precision, recall and F1, then re-entries per site, as text
/// or JSON (`ressaisie.evaluation/1`). Undefined ratios (no predicted pair, no true pair) are `n/a` /
/// `null`.
public enum EvaluationReport {
    public static let schema = "ressaisie.evaluation/1"

    public static func text(_ result: PairwiseEvaluation.Result) -> String {
        func ratio(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "n/a" }
        func percent(_ value: Double?) -> String { value.map { String(format: "%+.1f %%", $0 * 100) } ?? "n/a" }
        var out = ""
        out += "truth     \(result.truthEntries) entries, \(result.facts) facts, \(result.truePairs) true pairs\n"
        out += "groups    \(result.groupEntries) entries in \(result.groups) groups, \(result.predictedPairs) predicted pairs\n"
        out += "correct   \(result.correctPairs) pairs\n\n"
        out += "precision \(ratio(result.precision))\n"
        out += "recall    \(ratio(result.recall))\n"
        out += "F1        \(ratio(result.f1))\n"
        if result.entriesMissingFromTruth > 0 {
            let examples = result.missingExamples.map { "\($0.site)/\($0.system)/\($0.recordID)" }.joined(separator: ", ")
            out += "\n\(result.entriesMissingFromTruth) entr\(result.entriesMissingFromTruth == 1 ? "y" : "ies") of the groups "
                + "not in the truth (counted as wrong pairs), e.g. \(examples)\n"
        }
        var rows = [["site", "true re-entries", "predicted", "difference"]]
        for site in result.sites {
            rows.append([site.site, String(site.trueReEntries), String(site.predictedReEntries), percent(site.relativeDifference)])
        }
        let total = PairwiseEvaluation.SiteCounts(
            site: "total", trueReEntries: result.sites.reduce(0) { $0 + $1.trueReEntries },
            predictedReEntries: result.sites.reduce(0) { $0 + $1.predictedReEntries })
        rows.append([total.site, String(total.trueReEntries), String(total.predictedReEntries), percent(total.relativeDifference)])
        var widths = Array(repeating: 0, count: 4)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        out += "\n"
        for row in rows {
            out += row.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                return index == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ") + "\n"
        }
        return out
    }

    public static func json(_ result: PairwiseEvaluation.Result) -> String {
        func ratio(_ value: Double?) -> JSONValue { value.map { .double($0, decimals: 6) } ?? .null }
        let sites: [JSONValue] = result.sites.map {
            .object([
                ("site", .string($0.site)), ("true_re_entries", .int($0.trueReEntries)),
                ("predicted_re_entries", .int($0.predictedReEntries)), ("relative_difference", ratio($0.relativeDifference)),
            ])
        }
        return JSONValue.object([
            ("schema", .string(schema)),
            ("precision", ratio(result.precision)), ("recall", ratio(result.recall)), ("f1", ratio(result.f1)),
            ("true_pairs", .int(result.truePairs)), ("predicted_pairs", .int(result.predictedPairs)),
            ("correct_pairs", .int(result.correctPairs)),
            ("truth_entries", .int(result.truthEntries)), ("facts", .int(result.facts)),
            ("groups", .int(result.groups)), ("group_entries", .int(result.groupEntries)),
            ("entries_missing_from_truth", .int(result.entriesMissingFromTruth)),
            ("sites", .array(sites)),
        ]).serialized()
    }
}
