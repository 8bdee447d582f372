import ArgumentParser
import Foundation
import RessaisieCore
import RessaisieIngest
import RessaisieReport

/// `ressaisie evaluate`: how well the duplicate groups of a run match a ground truth.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score duplicate groups (analyze --groups) against a truth.csv: pairwise precision, recall, F1.",
        discussion: """
            A pair is two entries in the same group (predicted) or the same fact (true). Per site, compares \
            the true re-entries (each fact's entries beyond its first) with the rows of role re_entry. Entries \
            of the groups that the truth does not list are counted and shown. Entries the tags mark as software \
            copies (republished, interface_copy) are in no pair; per kind, how many sit in a group is shown \
            (expected: none).

            Example:
              ressaisie synth --out /tmp/audit --seed 1
              ressaisie analyze /tmp/audit --groups /tmp/groups.csv --quiet
              ressaisie evaluate --truth /tmp/audit/truth.csv --groups /tmp/groups.csv

            With --pathways (analyze --pathways of an audit from synth --shared-patients), also scores the facts \
            re-typed from one site to another against truth-pathways.csv: precision, recall, F1, and the hard \
            negatives across sites merged. With --cross-category (analyze --cross-category of an audit from synth \
            --cross-category), the facts re-typed into another category against truth-cross-category.csv.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(
        help: ArgumentHelp("Ground truth CSV (site,system,record_id,fact_id), as written by synth.", valueName: "file"))
    var truth: String

    @Option(help: ArgumentHelp("Groups CSV written by analyze --groups.", valueName: "file"))
    var groups: String

    @Option(
        help: ArgumentHelp(
            "Tags of the truth's entries (truth-tags.tsv from synth): adds re-entries found per kind of noise and hard negatives merged per kind. Default: truth-tags.tsv beside the truth, when there is one.",
            valueName: "file"))
    var tags: String?

    @Option(
        help: ArgumentHelp(
            "Facts re-typed from one site to another (analyze --pathways): scored against truth-pathways.csv beside the truth (or --pathways-truth).",
            valueName: "file"))
    var pathways: String?

    @Option(
        help: ArgumentHelp(
            "Truth of the pathways (truth-pathways.csv from synth --shared-patients). Default: beside the truth.",
            valueName: "file"))
    var pathwaysTruth: String?

    @Option(
        help: ArgumentHelp(
            "Facts re-typed into another category (analyze --cross-category): scored against truth-cross-category.csv beside the truth (or --cross-category-truth).",
            valueName: "file"))
    var crossCategory: String?

    @Option(
        help: ArgumentHelp(
            "Truth of the cross-category re-entries (truth-cross-category.csv from synth --cross-category). Default: beside the truth.",
            valueName: "file"))
    var crossCategoryTruth: String?

    @Option(name: .shortAndLong, help: "Output format.")
    var format: Format = .text

    func run() throws {
        let result: PairwiseEvaluation.Result
        var tagged: TaggedEvaluation.Result?
        var pathwayResult: PathwayEvaluation.Result?
        var crossResult: PathwayEvaluation.Result?
        do {
            let truthRows = try EvaluationFiles.truth(path: truth)
            var groupRows = try EvaluationFiles.groups(path: groups)
            let beside = ((truth as NSString).deletingLastPathComponent as NSString).appendingPathComponent(
                "truth-tags.tsv")
            var copies = Set<EntryKey>()
            if let path = tags ?? (FileManager.default.fileExists(atPath: beside) ? beside : nil) {
                let tagRows = try EvaluationFiles.tags(path: path)
                tagged = TaggedEvaluation.evaluate(tags: tagRows, groups: groupRows)
                copies = TaggedEvaluation.copies(in: tagRows)
                // A copy in a group stands for its source that no group holds (which was typed is unknowable).
                groupRows = TaggedEvaluation.standingIn(tags: tagRows, groups: groupRows).groups
            }
            result = PairwiseEvaluation.evaluate(truth: truthRows, groups: groupRows, setAside: copies)
            // Pairs across sites and categories are scored by fact: which of a fact's entries at its site was
            // typed first is the per-site question (`PathwayEvaluation.evaluate`).
            var facts: [EntryKey: String] = [:]
            if pathways != nil || crossCategory != nil { for row in truthRows { facts[row.entry] = row.fact } }
            if let pathways {
                let truthPath =
                    pathwaysTruth
                    ?? ((truth as NSString).deletingLastPathComponent as NSString).appendingPathComponent(
                        "truth-pathways.csv")
                pathwayResult = PathwayEvaluation.evaluate(
                    truth: try EvaluationFiles.pathways(path: truthPath, kinds: true),
                    predicted: try EvaluationFiles.pathways(path: pathways, kinds: false).map(\.pair), facts: facts)
            }
            if let crossCategory {
                // The same pairs of entries as the pathways (`PathwayEvaluation`), within one site.
                let truthPath =
                    crossCategoryTruth
                    ?? ((truth as NSString).deletingLastPathComponent as NSString).appendingPathComponent(
                        "truth-cross-category.csv")
                crossResult = PathwayEvaluation.evaluate(
                    truth: try EvaluationFiles.pathways(path: truthPath, kinds: true),
                    predicted: try EvaluationFiles.pathways(path: crossCategory, kinds: false).map(\.pair),
                    ordered: false, facts: facts)
            }
        } catch {
            throw ExitStatus.failure(error)
        }
        var text =
            format == .json
            ? EvaluationReport.json(result, tagged: tagged, pathways: pathwayResult, crossCategory: crossResult)
            : EvaluationReport.text(result, tagged: tagged)
        if format == .text, let pathwayResult { text += EvaluationReport.text(pathways: pathwayResult) }
        if format == .text, let crossResult { text += EvaluationReport.text(crossCategory: crossResult) }
        StandardStreams.output(text)
    }
}
