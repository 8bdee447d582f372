import ArgumentParser
import Foundation
import RessaisieCore
import RessaisieIngest
import RessaisieReport

/// `ressaisie link`: which persons of one file are persons of another.
struct Link: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Link the persons of two files (probabilistic record linkage) and write the matched pairs.",
        discussion: """
            Each file has one person per row (CSV, any delimiter and encoding analyze reads). Identity columns \
            are found from their headers (nom, prénom, date de naissance, sexe, INS, lieu de naissance, or \
            surname, given_name, date_of_birth, sex…); dates as YYYY-MM-DD, YYYYMMDD or DD/MM/YYYY. A valid \
            INS links first, then exact traits, then Fellegi–Sunter weights estimated by EM on blocked pairs \
            (see README). Each row of one file is matched with at most one row of the other.

            Output (CSV, one row per matched pair): a_id,b_id,method,weight,probability, where method is ins, \
            traits or probabilistic, weight the Fellegi–Sunter total weight (log2) and probability the \
            estimated probability of a match.

            Without --key-file, the keyed encodings use a key drawn for the run (nothing is kept after it).

            Example:
              ressaisie link dpi-patients.csv dui-residents.csv --id ipp --id "n° résident" --output pairs.csv
              ressaisie link dataset4a.csv dataset4b.csv --id rec_id --compare postcode --ignore soc_sec_id
            """
    )

    @Argument(help: "First file of persons.")
    var a: String

    @Argument(help: "Second file of persons.")
    var b: String

    @Option(
        name: .customLong("id"),
        help: ArgumentHelp(
            "Column holding each row's id; given twice, the first is A's and the second B's (default: the patient or "
                + "record id column, else the row number).", valueName: "column"))
    var ids: [String] = []

    @Option(
        name: .customLong("compare"),
        help: ArgumentHelp("Also compare this column as a plain string (repeatable).", valueName: "column"))
    var compare: [String] = []

    @Option(name: .customLong("ignore"), help: ArgumentHelp("Leave this column out (repeatable).", valueName: "column"))
    var ignore: [String] = []

    @Option(help: ArgumentHelp("Smallest Fellegi–Sunter weight (log2) of a probabilistic match.", valueName: "weight"))
    var threshold: Double = ProbabilisticLinker.defaultThreshold

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp("Write the pairs to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Encoding of both files (default: detected per file).", valueName: "name"))
    var encoding: String?

    @OptionGroup var shared: SharedOptions

    func validate() throws {
        if compare.count > 11 { throw ValidationError("at most 11 --compare columns") }
        if ids.count > 2 { throw ValidationError("--id is given once (both files) or twice (A's, then B's)") }
        if let encoding, TextEncoding(name: encoding) == nil { throw ValidationError("unknown encoding '\(encoding)'") }
    }

    func run() throws {
        let started = Date()
        do {
            for path in [a, b] where !FileManager.default.fileExists(atPath: path) {
                throw IngestError.notFound(path: path)
            }
            let pseudonymizer = try KeySource.pseudonymizer(keyFile: shared.keyFile, quiet: true)
            var encoder = IdentityEncoder(pseudonymizer: pseudonymizer)
            let columns = PersonFile.Columns(id: ids.first, compare: compare, ignore: ignore)
            var columnsB = columns
            columnsB.id = ids.last
            let textEncoding = encoding.flatMap(TextEncoding.init(name:))
            let first = try PersonFile.load(
                path: a, system: .dpi, columns: columns, pseudonymizer: pseudonymizer, encoder: &encoder,
                encoding: textEncoding)
            let second = try PersonFile.load(
                path: b, system: .dui, columns: columnsB, pseudonymizer: pseudonymizer, encoder: &encoder,
                encoding: textEncoding)
            let result = ProbabilisticLinker(threshold: threshold).decide(
                first.records + second.records, scope: .acrossSystems)

            let csv = LinkReport.pairsCSV(result, idsA: first.ids, idsB: second.ids, recordsInA: first.records.count)
            if let output { try OutputFile.write(csv, to: output) } else { StandardStreams.output(csv) }
            if !shared.quiet {
                let seconds = Date().timeIntervalSince(started)
                StandardStreams.error(
                    LinkReport.summary(
                        result, a: LinkReport.Side(a, first), b: LinkReport.Side(b, second), compare: compare,
                        threshold: threshold, seconds: seconds))
            }
        } catch {
            throw ExitStatus.failure(error)
        }
    }
}

extension LinkReport.Side {
    init(_ path: String, _ file: PersonFile) {
        self.init(
            path: path, rows: file.records.count, rowsRejected: file.rowsRejected, mapped: file.mapped,
            invalidINS: file.invalidINS)
    }
}
