import Foundation
import RessaisieCore

/// What `ressaisie inspect` finds in an export: its encoding and dialect, where the header is, and a
/// proposed mapping of its columns to canonical fields, each with a confidence, ready to be written as
/// a profile for review.
public struct Inspection: Sendable {
    public struct Column: Sendable {
        public var index: Int
        public var name: String
        /// Proposed canonical field (`recorded_at`, or `recorded_at:time` for a time joined to its date).
        public var field: String?
        public var confidence: Double
        /// Why: the header word, the values, or both.
        public var reason: String
        public var dateFormat: DateFormat?
        /// First non-empty values (for showing to the analyst).
        public var samples: [String]
    }

    public var path: String
    public var encoding: TextEncoding
    public var delimiter: UInt8
    public var headerLine: Int
    public var titleLines: Int
    /// False when no cell of the row taken as header names a known field (it may be data).
    public var recognizedHeader: Bool
    public var dataRows: Int
    /// Cells of the header row; only the first `ExportInspector.maximumColumns` are inspected.
    public var headerCells: Int
    public var decimalComma: Bool
    public var columns: [Column]
    public var profile: Profile
    /// Professions and categories found in the data that the shipped vocabulary does not know.
    public var unknownProfessions: [String]
    public var unknownCategories: [String]
}

/// Reads the head of an export and proposes a profile (`Inspection`).
public enum ExportInspector {
    /// Data rows read after the header to judge the values.
    public static let sampleRows = 500
    /// Columns inspected: a real export has tens; a row of 20 000 cells is not a header to map cell by cell.
    public static let maximumColumns = 1_000
    /// Bytes of a cell kept: no header word or value worth judging is longer (a longer header is not mapped).
    public static let maximumCellBytes = 256
    /// Bytes of the file read: its head. With the bounds above, `inspect` takes the same time on any file.
    public static let maximumBytes = 16 << 20
    /// The longest row read whole (a longer one is skipped by the reader without being kept).
    static let maximumRowBytes = 4 << 20

    public static func inspect(path: String, encoding: TextEncoding? = nil) throws -> Inspection {
        let reader = try CSVReader(path: path, encoding: encoding, maxRowBytes: maximumRowBytes)
        reader.byteLimit = maximumBytes
        let (rows, cellCounts) = try sample(reader, path: path)
        let (headerIndex, bestKnown) = headerRow(rows)
        let header = rows[headerIndex].cells
        let headerCells = cellCounts[headerIndex]
        let data = rows.indices.dropFirst(headerIndex + 1).filter { cellCounts[$0] == headerCells }.prefix(sampleRows)
            .map { rows[$0] }

        var columns: [Inspection.Column] = []
        var decimalComma = false
        var unknownProfessions = Set<String>(), unknownCategories = Set<String>()
        for (index, name) in header.enumerated() {
            let values = data.map { $0.cells[index].trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let column = proposedColumn(index: index, name: name, values: values)
            if column.field == "profession" {
                unknownProfessions.formUnion(values.filter { Vocabulary.profession(for: $0) == nil })
            }
            if column.field == "category" {
                unknownCategories.formUnion(values.filter { Vocabulary.category(for: $0) == nil })
            }
            if column.field == "value",
                values.contains(where: {
                    $0.contains(",") && Double($0.replacingOccurrences(of: ",", with: ".")) != nil
                })
            {
                decimalComma = true
            }
            columns.append(column)
        }
        keepMostConfidentPerField(&columns)
        let profile = proposedProfile(
            path: path, reader: reader, headerLine: rows[headerIndex].line, columns: columns)
        return Inspection(
            path: path, encoding: reader.encoding, delimiter: reader.delimiter, headerLine: rows[headerIndex].line,
            titleLines: headerIndex, recognizedHeader: bestKnown > 0, dataRows: data.count, headerCells: headerCells,
            decimalComma: decimalComma, columns: columns, profile: profile,
            unknownProfessions: unknownProfessions.sorted(), unknownCategories: unknownCategories.sorted())
    }

    /// The rows read (line and first `maximumColumns` cells) and each row's number of cells: the header's
    /// search window and the sample after it.
    private static func sample(_ reader: CSVReader, path: String) throws -> (
        rows: [(line: Int, cells: [String])], cellCounts: [Int]
    ) {
        var rows: [(line: Int, cells: [String])] = []
        var cellCounts: [Int] = []
        struct Enough: Error {}
        do {
            try reader.read { event in
                guard case .row(let row) = event else { return }
                rows.append((row.line, (0..<min(row.count, maximumColumns)).map { cell(row[$0]) }))
                cellCounts.append(row.count)
                if rows.count >= sampleRows + 50 { throw Enough() }
            }
        } catch is Enough {}
        guard !rows.isEmpty else {
            throw IngestError.invalidFile(
                path: path,
                reason:
                    "nothing to inspect: no row in the first \(maximumBytes >> 20) MiB (empty, or rows over \(maximumRowBytes >> 20) MiB)"
            )
        }
        return (rows, cellCounts)
    }

    /// The header: among the first 50 rows, the one whose cells name the most known fields (ties: the
    /// first); with how many it names.
    private static func headerRow(_ rows: [(line: Int, cells: [String])]) -> (index: Int, known: Int) {
        var headerIndex = 0, bestKnown = -1
        for (index, row) in rows.prefix(50).enumerated() {
            let known = row.cells.filter { Vocabulary.headerField(for: $0) != nil }.count
            if known > bestKnown {
                bestKnown = known
                headerIndex = index
            }
        }
        return (headerIndex, bestKnown)
    }

    /// The field a column is proposed for, from its header word, then from its values (non-empty, trimmed),
    /// which confirm, correct or find it.
    private static func proposedColumn(index: Int, name: String, values: [String]) -> Inspection.Column {
        var column = Inspection.Column(
            index: index, name: name, field: nil, confidence: 0, reason: "", dateFormat: nil,
            samples: Array(values.prefix(3)))
        if name.utf8.count >= maximumCellBytes {
            // Cut to the bound: a column it names could not be found again by its name.
            column.reason = "header longer than \(maximumCellBytes) bytes"
            return column
        }
        if let field = Vocabulary.headerField(for: name) {
            column.field = field
            column.confidence =
                CanonicalField(rawValue: Vocabulary.headerKey(name).replacingOccurrences(of: " ", with: "_")) != nil
                ? 1 : 0.8
            column.reason = "header"
        }
        guard !values.isEmpty else { return column }
        if let format = DateFormat.detect(values) {
            column.dateFormat = format
            if column.field == nil
                || !(column.field!.hasSuffix("_at") || column.field!.hasSuffix(":time")
                    || column.field == "birth_date")
            {
                column.field =
                    format.hasDate ? (column.field == nil ? "recorded_at" : column.field) : "recorded_at:time"
                column.confidence = 0.4
                column.reason = "values are dates"
            } else {
                column.confidence = min(1, column.confidence + 0.15)
                column.reason += ", values are dates (\(format.pattern))"
            }
        }
        if values.allSatisfy(isINS) {
            column.field = "ins"
            column.confidence = 0.95
            column.reason = "values are INS (15 digits, valid key)"
        }
        let knownProfessions = values.filter { Vocabulary.profession(for: $0) != nil }.count
        if Double(knownProfessions) >= 0.6 * Double(values.count) {
            if column.field != "profession" {
                column.field = "profession"
                column.confidence = 0.7
                column.reason = "values are professions"
            } else {
                column.confidence = min(1, column.confidence + 0.15)
                column.reason += ", values are professions"
            }
        }
        return column
    }

    /// One column per field: the most confident keeps it (ties: the first); the others are left unmapped,
    /// saying which column took their field.
    private static func keepMostConfidentPerField(_ columns: inout [Inspection.Column]) {
        var owner: [String: Int] = [:]
        for column in columns where column.field != nil {
            if let current = owner[column.field!], columns[current].confidence >= column.confidence { continue }
            owner[column.field!] = column.index
        }
        for index in columns.indices where columns[index].field != nil && owner[columns[index].field!] != index {
            columns[index].reason +=
                "; \(columns[index].field!) already taken by '\(columns[owner[columns[index].field!]!].name)'"
            columns[index].field = nil
            columns[index].confidence = 0
        }
    }

    /// The profile the mapped columns make: dialect and header line as detected, the system from the file or
    /// folder name, joined date and time columns, and a date layout where the dates are not ISO 8601.
    private static func proposedProfile(
        path: String, reader: CSVReader, headerLine: Int, columns: [Inspection.Column]
    ) -> Profile {
        var profile = Profile(path: path)
        let fileName = (path as NSString).lastPathComponent
        profile.name = "\(fileName) (proposed by ressaisie inspect)"
        profile.files = [fileName]
        profile.system = InputDiscovery.system(fromNames: [
            (fileName as NSString).deletingPathExtension,
            ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent,
        ])
        profile.encoding = reader.encoding
        profile.delimiter = reader.delimiter
        profile.headerLine = headerLine
        for column in columns {
            guard let field = column.field, !field.hasSuffix(":time"), let canonical = CanonicalField(rawValue: field)
            else { continue }
            var source = Profile.FieldSource(columns: [column.name])
            let isISO = column.dateFormat.map { $0.pattern.hasPrefix("yyyy-MM-dd") } ?? true
            if let timeColumn = columns.first(where: { $0.field == field + ":time" }),
                let dateFormat = column.dateFormat,
                let timeFormat = timeColumn.dateFormat
            {
                source.columns.append(timeColumn.name)
                source.format = DateFormat("\(dateFormat.pattern) \(timeFormat.pattern)")
            } else if !isISO {
                source.format = column.dateFormat
            }
            profile.fields[canonical] = source
        }
        return profile
    }

    /// A cell's first `maximumCellBytes` bytes as text (a cut character becomes U+FFFD).
    static func cell(_ bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes.prefix(maximumCellBytes)), as: UTF8.self)
    }

    /// 15 characters, digits (and 2A/2B for Corsica), with a valid key: 97 − (first 13 mod 97).
    static func isINS(_ value: String) -> Bool {
        INSKey.isValid(value)
    }
}
