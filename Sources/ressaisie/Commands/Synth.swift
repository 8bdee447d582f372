import ArgumentParser
import Foundation
import RessaisieSynth

/// `ressaisie synth`: a realistic synthetic audit with its ground truth.
struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a synthetic multi-site audit (every export format) and its truth.csv.",
        discussion: """
            Each site folder holds its systems' exports: canonical CSV, a French vendor CSV (Windows-1252, ';', \
            dd/MM/yyyy, decimal comma) with its profile beside it, FHIR R4 bundles and CDA R2 documents. Persons \
            are known to one to three systems under different local ids, with identity noise; facts are typed one \
            to four times with French re-typing noise; hard negatives look alike but are distinct facts. \
            DIR/truth.csv (site,system,record_id,fact_id) lists every entry; DIR/synth-summary.json counts sites, \
            noise and hard negatives. The same seed writes the same bytes.

            --habits random draws each site's and system's writing habits from the seed (markers and headings \
            made of pseudo-words, field layouts, abbreviations and truncations, typos in the key part, time \
            stamps, interface copies, republished documents), so that a matcher cannot know them; they are \
            listed in synth-summary.json and tagged in truth-tags.tsv.

            --other-systems adds two workarounds to each EHPAD site (or to the only site): a spreadsheet, Excel, \
            and a paper log typed up, Cahier de transmissions (systems of kind other, named in a system column of \
            SITE/excel.csv and SITE/cahier.csv): persons are known to them as to any system, and a share of the \
            facts is typed into them again, with their truth.

            --shared-patients makes each hospital site (the first, fourth…) discharge some of its patients to the \
            EHPAD site after it: the EHPAD knows them under its own ids, and re-types about two thirds of the facts \
            the hospital typed in the week before, within four days; with hard negatives (a shared patient with \
            another fact of the same category, two patients with the same text at the two sites). \
            DIR/truth-pathways.csv lists both; evaluate --pathways scores analyze --pathways against it.

            --cross-category makes staff at each site type some facts in one category and re-type them in another \
            within two days (a note summarized in an administrative record, a care plan item in a note, an activity \
            in a note…), with hard negatives (another fact of the person in the other category, the fact re-typed \
            with another number). DIR/truth-cross-category.csv lists both; evaluate --cross-category scores \
            analyze --cross-category against it.

            Example:
              ressaisie synth --out /tmp/audit --entries 100000 --seed 1
              ressaisie synth --out /tmp/audit2 --habits random --seed 7
              ressaisie synth --out /tmp/audit3 --other-systems --seed 7
              ressaisie analyze /tmp/audit --groups /tmp/groups.csv --quiet
              ressaisie evaluate --truth /tmp/audit/truth.csv --groups /tmp/groups.csv
            """
    )

    @Option(help: ArgumentHelp("Folder to write (must not exist or be empty).", valueName: "dir"))
    var out: String

    @Option(help: ArgumentHelp("Number of sites.", valueName: "n"))
    var sites = 3

    @Option(help: ArgumentHelp("Entries in the whole audit (about).", valueName: "n"))
    var entries = 20_000

    @Option(help: ArgumentHelp("Seed of the generator.", valueName: "n"))
    var seed: UInt64 = 1

    @Option(
        help: ArgumentHelp(
            "Writing habits: fixed (the same for every audit) or random (drawn per site and system).", valueName: "kind"
        ))
    var habits: HabitsMode = .fixed

    @Flag(help: "Add a spreadsheet (Excel, a system of kind other) to each EHPAD site, or to the only site.")
    var otherSystems = false

    @Flag(
        help:
            "Make each hospital site discharge patients to the EHPAD site after it, which re-types some of their facts (truth in truth-pathways.csv)."
    )
    var sharedPatients = false

    @Flag(
        help:
            "Re-type some facts into another category at each site, with hard negatives of that kind (truth in truth-cross-category.csv)."
    )
    var crossCategory = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        guard (1...5000).contains(sites) else { throw ValidationError("--sites must be between 1 and 5000") }
        guard (10...10_000_000).contains(entries) else {
            throw ValidationError("--entries must be between 10 and 10000000")
        }
    }

    func run() throws {
        let summary: SynthAudit.Summary
        do {
            summary = try SynthAudit.write(
                SynthSettings(
                    sites: sites, entries: entries, seed: seed, habits: habits, otherSystems: otherSystems,
                    sharedPatients: sharedPatients, crossCategory: crossCategory),
                to: out)
        } catch {
            throw ExitStatus.failure(error)
        }
        if !quiet {
            let message =
                "\(summary.entries) entries (\(summary.facts) facts) in \(summary.files) files, "
                + "\(summary.sites.count) site(s): \(summary.sites.joined(separator: ", ")); truth in "
                + "\((out as NSString).appendingPathComponent("truth.csv"))\n"
            StandardStreams.error(message)
        }
    }
}

extension HabitsMode: ExpressibleByArgument {}
