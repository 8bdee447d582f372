import RessaisieCore

/// `ressaisie evaluate`'s output: pairwise precision, recall and F1, then re-entries per site, as text
/// or JSON (`ressaisie.evaluation/1`). Undefined ratios (no predicted pair, no true pair) are `n/a` /
/// `null`.
public enum EvaluationReport {
    public static let schema = "ressaisie.evaluation/1"

    public static func text(_ result: PairwiseEvaluation.Result, tagged: TaggedEvaluation.Result? = nil) -> String {
        func ratio(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "n/a" }
        func percent(_ value: Double?) -> String { value.map { String(format: "%+.1f %%", $0 * 100) } ?? "n/a" }
        var out = ""
        out += "truth     \(result.truthEntries) entries, \(result.facts) facts, \(result.truePairs) true pairs\n"
        out +=
            "groups    \(result.groupEntries) entries in \(result.groups) groups, \(result.predictedPairs) predicted pairs\n"
        if result.entriesSetAside > 0 {
            out += "set aside \(result.entriesSetAside) software copies of the truth (in no pair)\n"
        }
        out += "correct   \(result.correctPairs) pairs\n\n"
        out += "precision \(ratio(result.precision))\n"
        out += "recall    \(ratio(result.recall))\n"
        out += "F1        \(ratio(result.f1))\n"
        if result.entriesMissingFromTruth > 0 {
            let examples = result.missingExamples.map { "\($0.site)/\($0.system)/\($0.recordID)" }.joined(
                separator: ", ")
            out +=
                "\n\(result.entriesMissingFromTruth) entr\(result.entriesMissingFromTruth == 1 ? "y" : "ies") of the groups "
                + "not in the truth (counted as wrong pairs), e.g. \(examples)\n"
        }
        var rows = [["site", "true re-entries", "predicted", "difference"]]
        for site in result.sites {
            rows.append([
                site.site, String(site.trueReEntries), String(site.predictedReEntries),
                percent(site.relativeDifference),
            ])
        }
        let total = PairwiseEvaluation.SiteCounts(
            site: "total", trueReEntries: result.sites.reduce(0) { $0 + $1.trueReEntries },
            predictedReEntries: result.sites.reduce(0) { $0 + $1.predictedReEntries })
        rows.append([
            total.site, String(total.trueReEntries), String(total.predictedReEntries),
            percent(total.relativeDifference),
        ])
        out += "\n" + table(rows)
        if let tagged {
            func share(_ value: Double?) -> String { value.map { String(format: "%.1f %%", $0 * 100) } ?? "n/a" }
            var noise = [["noise on re-entries", "re-entries", "found", "share"]]
            for kind in tagged.noise {
                noise.append([kind.kind, String(kind.entries), String(kind.hits), share(kind.share)])
            }
            out += "\n" + table(noise)
            var negatives = [["hard negatives", "entries", "merged", "share"]]
            for kind in tagged.hardNegatives {
                negatives.append([kind.kind, String(kind.entries), String(kind.hits), share(kind.share)])
            }
            out += "\n" + table(negatives)
            if !tagged.copies.isEmpty {
                var copies = [["software copies", "entries", "in a group", "standing in", "left out"]]
                for kind in tagged.copies {
                    copies.append([
                        kind.kind, String(kind.entries), String(kind.hits), String(kind.standingIn),
                        String(kind.entries - kind.hits),
                    ])
                }
                out += "\n" + table(copies)
            }
        }
        return out
    }

    /// The pathways' scores (`evaluate --pathways`), as text.
    public static func text(pathways result: PathwayEvaluation.Result) -> String {
        text(result, title: "across organizations (analyze --pathways)", across: "sites")
    }

    /// The cross-category scores (`evaluate --cross-category`), as text.
    public static func text(crossCategory result: PathwayEvaluation.Result) -> String {
        text(result, title: "across categories (analyze --cross-category)", across: "categories")
    }

    static func text(_ result: PathwayEvaluation.Result, title: String, across: String) -> String {
        func ratio(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "n/a" }
        func share(_ value: Double?) -> String { value.map { String(format: "%.1f %%", $0 * 100) } ?? "n/a" }
        var out = "\n\(title)\n"
        out += "truth     \(result.truePairs) re-entries across \(across)\n"
        out += "predicted \(result.predictedPairs), correct \(result.correctPairs)\n"
        out +=
            "precision \(ratio(result.precision))\nrecall    \(ratio(result.recall))\nF1        \(ratio(result.f1))\n"
        var negatives = [["hard negatives across \(across)", "pairs", "merged", "share"]]
        for kind in result.hardNegatives {
            negatives.append([
                kind.kind, String(kind.pairs), String(kind.merged),
                share(kind.pairs == 0 ? nil : Double(kind.merged) / Double(kind.pairs)),
            ])
        }
        negatives.append([
            "total", String(result.hardNegatives.reduce(0) { $0 + $1.pairs }),
            String(result.hardNegatives.reduce(0) { $0 + $1.merged }), share(result.hardNegativesMergedShare),
        ])
        return out + "\n" + table(negatives)
    }

    /// The pathways' scores as the JSON report's `pathways` member.
    static func json(pathways result: PathwayEvaluation.Result) -> JSONValue {
        func ratio(_ value: Double?) -> JSONValue { value.map { .double($0, decimals: 6) } ?? .null }
        return .object([
            ("precision", ratio(result.precision)), ("recall", ratio(result.recall)), ("f1", ratio(result.f1)),
            ("true_pairs", .int(result.truePairs)), ("predicted_pairs", .int(result.predictedPairs)),
            ("correct_pairs", .int(result.correctPairs)),
            (
                "hard_negatives",
                .object(
                    result.hardNegatives.map {
                        ($0.kind, .object([("pairs", .int($0.pairs)), ("merged", .int($0.merged))]))
                    })
            ),
            ("hard_negatives_merged_share", ratio(result.hardNegativesMergedShare)),
        ])
    }

    /// Columns aligned: the first to the left, the others to the right.
    static func table(_ rows: [[String]]) -> String {
        var widths = Array(repeating: 0, count: rows[0].count)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        return rows.map { row in
            row.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                return index == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ") + "\n"
        }.joined()
    }

    public static func json(
        _ result: PairwiseEvaluation.Result, tagged: TaggedEvaluation.Result? = nil,
        pathways: PathwayEvaluation.Result? = nil, crossCategory: PathwayEvaluation.Result? = nil
    ) -> String {
        func ratio(_ value: Double?) -> JSONValue { value.map { .double($0, decimals: 6) } ?? .null }
        let sites: [JSONValue] = result.sites.map {
            .object([
                ("site", .string($0.site)), ("true_re_entries", .int($0.trueReEntries)),
                ("predicted_re_entries", .int($0.predictedReEntries)),
                ("relative_difference", ratio($0.relativeDifference)),
            ])
        }
        func kinds(_ counts: [TaggedEvaluation.KindCount], hits: String) -> JSONValue {
            .object(
                counts.map {
                    (
                        $0.kind,
                        .object([("entries", .int($0.entries)), (hits, .int($0.hits)), ("share", ratio($0.share))])
                    )
                })
        }
        var members: [(String, JSONValue)] = [
            ("schema", .string(schema)),
            ("precision", ratio(result.precision)), ("recall", ratio(result.recall)), ("f1", ratio(result.f1)),
            ("true_pairs", .int(result.truePairs)), ("predicted_pairs", .int(result.predictedPairs)),
            ("correct_pairs", .int(result.correctPairs)),
            ("truth_entries", .int(result.truthEntries)), ("facts", .int(result.facts)),
            ("groups", .int(result.groups)), ("group_entries", .int(result.groupEntries)),
            ("entries_missing_from_truth", .int(result.entriesMissingFromTruth)),
            ("entries_set_aside", .int(result.entriesSetAside)),
            ("sites", .array(sites)),
        ]
        if let tagged {
            members.append(("re_entries_by_noise", kinds(tagged.noise, hits: "found")))
            members.append(("hard_negatives", kinds(tagged.hardNegatives, hits: "merged")))
            members.append(
                (
                    "copies",
                    .object(
                        tagged.copies.map {
                            (
                                $0.kind,
                                .object([
                                    ("entries", .int($0.entries)), ("in_groups", .int($0.hits)),
                                    ("standing_in", .int($0.standingIn)), ("left_out", .int($0.entries - $0.hits)),
                                ])
                            )
                        })
                ))
        }
        if let pathways { members.append(("pathways", json(pathways: pathways))) }
        if let crossCategory { members.append(("cross_category", json(pathways: crossCategory))) }
        return JSONValue.object(members).serialized()
    }
}
