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
            of the groups that the truth does not list are counted and shown.

            Example:
              ressaisie synth --out /tmp/audit --seed 1
              ressaisie analyze /tmp/audit --groups /tmp/groups.csv --quiet
              ressaisie evaluate --truth /tmp/audit/truth.csv --groups /tmp/groups.csv
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(help: ArgumentHelp("Ground truth CSV (site,system,record_id,fact_id), as written by synth.", valueName: "file"))
    var truth: String

    @Option(help: ArgumentHelp("Groups CSV written by analyze --groups.", valueName: "file"))
    var groups: String

    @Option(name: .shortAndLong, help: "Output format.")
    var format: Format = .text

    func run() throws {
        let result: PairwiseEvaluation.Result
        do {
            let truthRows = try EvaluationFiles.truth(path: truth)
            let groupRows = try EvaluationFiles.groups(path: groups)
            result = PairwiseEvaluation.evaluate(truth: truthRows, groups: groupRows)
        } catch let error as IngestError {
            Terminal.error(error.description)
            throw ExitCode(error.exitCode)
        }
        let text = format == .json ? EvaluationReport.json(result) : EvaluationReport.text(result)
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
