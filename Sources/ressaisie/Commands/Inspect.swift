import ArgumentParser
import Foundation
import RessaisieIngest

/// `ressaisie inspect`: what an export looks like, and a profile to read it.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Detect an export's encoding, delimiter and header, and propose a profile mapping its columns.",
        discussion: """
            Header words (French and English, with their usual abbreviations) and the values themselves (INS \
            with a valid key, dates, known professions) propose a canonical field for each column, with a \
            confidence. Review the written profile, then give it to analyze with --profile (or save it beside \
            the export as NAME.profile.toml).

            Example:
              ressaisie inspect exports/ehpad/dui.csv --write-profile exports/ehpad/dui.profile.toml
            """
    )

    @Argument(help: "The export to inspect (CSV).")
    var file: String

    @Option(help: ArgumentHelp("Write the proposed profile to this file.", valueName: "file"))
    var writeProfile: String?

    @Option(help: ArgumentHelp("Read the export in this encoding instead of detecting it.", valueName: "name"))
    var encoding: String?

    @Flag(
        help:
            "Show sample values of identifying columns (names, ids, dates of birth, free text) instead of masking them."
    )
    var showValues = false

    func validate() throws {
        if let encoding, TextEncoding(name: encoding) == nil { throw ValidationError("unknown encoding '\(encoding)'") }
    }

    func run() throws {
        do {
            guard FileManager.default.fileExists(atPath: file) else { throw IngestError.notFound(path: file) }
            let inspection = try ExportInspector.inspect(
                path: file, encoding: encoding.flatMap(TextEncoding.init(name:)))
            var out = InspectionReport.text(inspection, showValues: showValues)
            if let writeProfile {
                try OutputFile.write(InspectionReport.profileTOML(inspection), to: writeProfile)
                out += InspectionReport.profileWritten(to: writeProfile, export: file)
            }
            StandardStreams.output(out)
        } catch {
            throw ExitStatus.failure(error)
        }
    }
}
