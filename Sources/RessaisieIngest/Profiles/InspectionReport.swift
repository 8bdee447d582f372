import Foundation
import RessaisieCore

/// `ressaisie inspect`'s outputs: what was found in an export, as text for the analyst, and the proposed
/// profile with each field's confidence and reason as comments. Renders; decides nothing (the findings come
/// from `ExportInspector`). It sits beside the inspector, as `HistoryReport` sits beside the history store:
/// an `Inspection` is made of ingest's types (`Profile`, `TextEncoding`), which the report module does not
/// know.
public enum InspectionReport {
    /// Fields whose sample values are shown without `showValues`: only those positively mapped to something
    /// that identifies nobody. Everything else (identity, authors, free text, unmapped columns) is masked.
    public static let shownFields: Set<String> = [
        "site", "system", "record_id", "sex", "recorded_at", "effective_at", "recorded_at:time", "effective_at:time",
        "profession", "category", "purpose", "code", "code_system", "label", "value", "unit",
    ]

    /// The dialect, the header, one row per column (proposed field, confidence, why, a sample), words the
    /// vocabulary does not know and the required fields not found. `showValues` shows the samples and
    /// header cells of identifying columns instead of masking them.
    public static func text(_ inspection: Inspection, showValues: Bool) -> String {
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
            rows.append(row(column, of: inspection, showValues: showValues))
        }
        out += table(rows)
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
        return out
    }

    /// The proposed profile as TOML, each mapped field commented with its confidence and why.
    public static func profileTOML(_ inspection: Inspection) -> String {
        var comments: [CanonicalField: String] = [:]
        for column in inspection.columns {
            guard let field = column.field,
                let canonical = CanonicalField(rawValue: String(field.split(separator: ":")[0]))
            else { continue }
            comments[canonical] =
                (comments[canonical].map { $0 + "; " } ?? "")
                + "confidence \(String(format: "%.2f", column.confidence)): \(column.reason)"
        }
        return inspection.profile.toml(comments: comments)
    }

    /// What to do once the profile is written to `profilePath`: review it, then analyze the export's folder
    /// with it.
    public static func profileWritten(to profilePath: String, export: String) -> String {
        "\nprofile written to \(profilePath): review it, then run\n"
            + "  ressaisie analyze \((export as NSString).deletingLastPathComponent) --profile \(profilePath)\n"
    }

    /// A column's row: its name, field, confidence, why, and up to two samples (masked unless shown).
    private static func row(_ column: Inspection.Column, of inspection: Inspection, showValues: Bool) -> [String] {
        let field = column.field.map { $0.hasSuffix(":time") ? "\($0.dropLast(5)) (time)" : $0 } ?? "—"
        // Shown only when the header itself names a non-identifying field (a guess from the values alone,
        // such as an unknown date column, could be a birth date).
        let named = column.reason.hasPrefix("header")
        let masked = !showValues && !(named && column.field.map { shownFields.contains($0) } ?? false)
        let sample =
            masked ? (column.samples.isEmpty ? "" : "•••") : column.samples.prefix(2).joined(separator: " · ")
        // A header that names no known field may well be a data row: its cells are not shown either.
        let name = inspection.recognizedHeader || showValues ? column.name : "column \(column.index + 1)"
        return [
            name, field, column.field == nil ? "" : String(format: "%.2f", column.confidence),
            column.field == nil
                ? (column.reason.isEmpty ? "not mapped" : "not mapped: \(column.reason)") : column.reason,
            String(sample.prefix(40)),
        ]
    }

    /// Columns aligned to the left, two spaces apart, the last one unpadded.
    private static func table(_ rows: [[String]]) -> String {
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
