import ArgumentParser
import Foundation
import RessaisieCore
import RessaisieIngest
import RessaisieReport

/// `ressaisie review`: how sure the counts are. `--sample N` draws pairs for the analyst to label on site;
/// `--score FILE` estimates precision and recall from the labelled file.
struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Draw a sample of pairs to label on site (--sample), or estimate precision and recall from it (--score).",
        discussion: """
            --sample N runs the same pipeline as analyze (same inputs and options) and draws a stratified random \
            sample of N pairs: pairs of entries inside duplicate groups (by cross-system or same-system and by \
            similarity), and near-misses (two entries of one linked patient and category within the window that \
            the matcher kept apart, across similarity bands). The CSV shows the two entries' content side by side \
            with an empty same_fact column: FOR THE ANALYST'S EYES ONLY, it must not leave the site.

            --score FILE reads the labelled file (same_fact yes or no; empty: not labelled, counted) and estimates \
            precision (share of grouped pairs that are one fact) and recall (grouped true pairs / all true \
            candidate pairs) with 95 % Wilson intervals (continuity-corrected per stratum, strata weighted by \
            population, the stratified share at its effective sample size; recall by MOVER-R). A bad label or a missing column stops with the file and line \
            (exit 65); a missing file exits 66.

            Example:
              ressaisie review exports/ --key-file audit.key --sample 200 --seed 7 -o review.csv
              ressaisie review --score review.csv
              ressaisie analyze exports/ --key-file audit.key --review review.csv --format html -o rapport.html
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(help: ArgumentHelp("Draw this many pairs for review.", valueName: "n"))
    var sample: Int?

    @Option(help: ArgumentHelp("Seed of the draw (the same audit, size and seed give the same pairs).", valueName: "n"))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Estimate precision and recall from this labelled sample.", valueName: "file"))
    var score: String?

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "Write the sample (or the estimate) to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(name: .shortAndLong, help: "Format of the estimate (--score).")
    var format: Format = .text

    @OptionGroup var audit: AuditOptions

    @OptionGroup var shared: SharedOptions

    func validate() throws {
        guard (sample == nil) != (score == nil) else { throw ValidationError("give either --sample N or --score FILE") }
        if let sample, sample < 1 { throw ValidationError("--sample must be at least 1") }
        if score != nil, !audit.paths.isEmpty {
            throw ValidationError("--score reads the labelled file only: no export path")
        }
    }

    func run() throws {
        do {
            let text: String
            if let score {
                let estimate = ReviewEstimate(labels: try ReviewFile.labels(path: score))
                text =
                    format == .json
                    ? ReviewReport.json(estimate, file: score) : ReviewReport.text(estimate, file: score)
            } else {
                text = try drawSample(size: sample!)
            }
            let outputs = OutputSet()
            if let output { try outputs.stage(text, to: output) } else { StandardStreams.output(text) }
            try outputs.commit()
        } catch {
            throw ExitStatus.failure(error)
        }
    }

    /// Runs the pipeline, draws the pairs and reads the exports again for their content.
    private func drawSample(size: Int) throws -> String {
        let run = try AuditRun(audit, shared: shared)
        let store = run.loaded.store
        // Entries set aside as software copies stay candidates: that decision is checked too (an entry the analyst
        // finds typed is a true pair missed; one found copied is labelled copy, out of the estimates).
        let drawn = ReviewSample.draw(
            store: store, linkage: run.analysis.linkage, groups: run.analysis.groups,
            candidates: ReviewCandidates(window: run.detector.window, maxCandidates: run.detector.maxCandidates),
            size: size, seed: seed)
        var setAside: [Int: String] = [:]
        for entry in run.analysis.republished { setAside[Int(entry)] = "republished" }
        for copy in run.analysis.interfaceCopies { setAside[Int(copy.copy)] = "interface_copy" }
        let sink = ReviewContentSink(wanted: ReviewFile.wantedKeys(drawn.pairs, store: store))
        var options = run.options
        options.strict = false
        _ = try EntryListing.read(paths: run.inputs, pseudonymizer: run.pseudonymizer, options: options, into: sink)
        let populations = ReviewStratum.all.compactMap { stratum in
            drawn.populations[stratum].flatMap { $0 > 0 ? "\(stratum)=\($0)" : nil }
        }
        let settings =
            "drawn by ressaisie \(Ressaisie.version): \(drawn.pairs.count) pairs, seed \(seed), window \(audit.windowHours) h, "
            + "\(run.analysis.groups.count) groups; candidate pairs per stratum: \(populations.joined(separator: " "))"
        if !shared.quiet {
            Terminal.warning(
                "the review sample holds the content of patient records: keep it on site, never publish it")
        }
        return ReviewFile.render(
            drawn, store: store, contents: sink.found, clock: run.clock, setAside: setAside, settings: settings)
    }
}
