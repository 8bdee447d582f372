import ArgumentParser
import Foundation
import RessaisieCore
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

    /// Fields whose sample values are shown without --show-values: only those positively mapped to
    /// something that identifies nobody. Everything else (identity, authors, free text, unmapped columns)
    /// is masked.
    static let shown: Set<String> = [
        "site", "system", "record_id", "sex", "recorded_at", "effective_at", "recorded_at:time", "effective_at:time",
        "profession", "category", "purpose", "code", "code_system", "label", "value", "unit",
    ]

    func run() throws {
        let inspection: Inspection
        do {
            guard FileManager.default.fileExists(atPath: file) else { throw IngestError.notFound(path: file) }
            inspection = try ExportInspector.inspect(path: file, encoding: encoding.flatMap(TextEncoding.init(name:)))
        } catch {
            throw ExitStatus.failure(error)
        }
        var out = "\(inspection.path)\n"
        let delimiter = inspection.delimiter == 0x09 ? "tab" : String(UnicodeScalar(inspection.delimiter))
        out += "  encoding      \(inspection.encoding.rawValue)\n"
        out += "  delimiter     \(delimiter)\n"
        out +=
            "  header        line \(inspection.headerLine)"
            + (inspection.titleLines > 0
                ? " (\(inspection.titleLines) title line\(inspection.titleLines > 1 ? "s" : "") above, skipped)" : "")
            + "\n"
        out += "  decimal mark  \(inspection.decimalComma ? "," : ".")\n"
        out += "  system        \(inspection.profile.system?.name ?? "unknown: set 'system' in the profile")\n"
        out += "  rows sampled  \(inspection.dataRows)\n"
        if inspection.headerCells > inspection.columns.count {
            out += "  columns       \(inspection.headerCells), the first \(inspection.columns.count) inspected\n"
        }
        out += "\n"
        var rows = [["column", "field", "confidence", "why", "sample"]]
        for column in inspection.columns {
            let field = column.field.map { $0.hasSuffix(":time") ? "\($0.dropLast(5)) (time)" : $0 } ?? "—"
            // Shown only when the header itself names a non-identifying field (a guess from the values alone,
            // such as an unknown date column, could be a birth date).
            let named = column.reason.hasPrefix("header")
            let masked = !showValues && !(named && column.field.map { Self.shown.contains($0) } ?? false)
            let sample =
                masked ? (column.samples.isEmpty ? "" : "•••") : column.samples.prefix(2).joined(separator: " · ")
            // A header that names no known field may well be a data row: its cells are not shown either.
            let name = inspection.recognizedHeader || showValues ? column.name : "column \(column.index + 1)"
            rows.append([
                name, field, column.field == nil ? "" : String(format: "%.2f", column.confidence),
                column.field == nil
                    ? (column.reason.isEmpty ? "not mapped" : "not mapped: \(column.reason)") : column.reason,
                String(sample.prefix(40)),
            ])
        }
        out += Self.table(rows)
        if !inspection.unknownProfessions.isEmpty {
            out +=
                "\n  professions not in the vocabulary (map them under [values.profession]): "
                + inspection.unknownProfessions.prefix(20).joined(separator: ", ") + "\n"
        }
        if !inspection.unknownCategories.isEmpty {
            out +=
                "  entry types not in the vocabulary (map them under [values.category]): "
                + inspection.unknownCategories.prefix(20).joined(separator: ", ") + "\n"
        }
        let missing = [CanonicalField.recordID, .patientID, .recordedAt].filter { inspection.profile.fields[$0] == nil }
        if !missing.isEmpty {
            out +=
                "\n  required fields not found: \(missing.map(\.rawValue).joined(separator: ", ")): edit the profile before use\n"
        }
        if let writeProfile {
            var comments: [CanonicalField: String] = [:]
            for column in inspection.columns {
                guard let field = column.field,
                    let canonical = CanonicalField(rawValue: String(field.split(separator: ":")[0]))
                else { continue }
                comments[canonical] =
                    (comments[canonical].map { $0 + "; " } ?? "")
                    + "confidence \(String(format: "%.2f", column.confidence)): \(column.reason)"
            }
            do {
                try OutputFile.write(inspection.profile.toml(comments: comments), to: writeProfile)
            } catch {
                throw ExitStatus.failure(error)
            }
            out +=
                "\nprofile written to \(writeProfile): review it, then run\n"
                + "  ressaisie analyze \((file as NSString).deletingLastPathComponent) --profile \(writeProfile)\n"
        }
        StandardStreams.output(out)
    }

    static func table(_ rows: [[String]]) -> String {
        var widths = Array(repeating: 0, count: rows[0].count)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        return rows.map { row in
            "  "
                + row.enumerated().map { index, cell in
                    index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
                }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
