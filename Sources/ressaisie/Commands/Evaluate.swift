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

    @Option(name: .shortAndLong, help: "Output format.")
    var format: Format = .text

    func run() throws {
        let result: PairwiseEvaluation.Result
        var tagged: TaggedEvaluation.Result?
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
        } catch {
            throw ExitStatus.failure(error)
        }
        let text =
            format == .json
            ? EvaluationReport.json(result, tagged: tagged) : EvaluationReport.text(result, tagged: tagged)
        StandardStreams.output(text)
    }
}
