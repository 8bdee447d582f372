import Foundation
import RessaisieCore

/// Reads a vendor CSV export through its `Profile`: title lines skipped, columns mapped (and joined) to
/// canonical fields, dates read with the profile's layouts, local words mapped; then the same
/// `EntryAssembler` as every other format, so a mapped export yields exactly the entries of its
/// canonical twin.
public struct MappedCSVReader: Sendable {
    public let pseudonymizer: Pseudonymizer
    public let options: IngestOptions
    public let profile: Profile

    /// Lines searched for the header when the profile does not say where it is.
    public static let headerSearchLines = 50

    public init(pseudonymizer: Pseudonymizer, options: IngestOptions, profile: Profile) {
        self.pseudonymizer = pseudonymizer
        self.options = options
        self.profile = profile
    }

    public func read(_ file: InputFile, onRead: ((Int) -> Void)? = nil) throws -> FileBatch {
        var file = file
        if let system = profile.system { file.system = system }
        if let site = profile.site { file.site = site }
        guard file.system != nil || profile.fields[.system] != nil else {
            throw IngestError.invalidFile(
                path: file.path,
                reason: "cannot tell which system this export comes from: set 'system' in the profile \(profile.path)")
        }
        var fileOptions = options
        if let zone = profile.timeZone, let timeZone = TimeZone(identifier: zone) { fileOptions.timeZone = timeZone }
        let reader = try CSVReader(
            path: file.path, delimiter: profile.delimiter, quote: profile.quote,
            encoding: profile.encoding ?? options.encoding,
            maxRowBytes: options.maxRowBytes)
        reader.onRead = onRead
        var batch = BatchBuilder(file: file, pseudonymizer: pseudonymizer, options: fileOptions)
        var fields = FieldBuffer(slots: CanonicalField.allCases.count)
        // Read through `plan!` in the row loop: binding it to a constant would copy (retain and release)
        // its arrays on every row.
        var plan: ColumnPlan?
        var bestHeader: (line: Int, names: [String], missing: [String])?
        var scratch: [UInt8] = []
        var localWords = LocalWords()
        // The period a title line above the header declares (the profile's own `period` comes first).
        var declared: DeclaredPeriod?

        try reader.read { event in
            switch event {
            case .rejected(let line, let kind, let detail):
                guard plan != nil else { return }  // a title line, before the header
                batch.quality.rowsRead += 1
                try record(Rejection(file: file.path, line: line, kind: kind, detail: detail), in: &batch)
            case .row(let row):
                guard plan != nil else {
                    plan = try columnPlan(row, file: file.path, closest: &bestHeader, declared: &declared)
                    return
                }
                guard row.count == plan!.columnCount else {
                    batch.quality.rowsRead += 1
                    try record(
                        Rejection(
                            file: file.path, line: row.line, kind: .raggedRow,
                            detail: "expected \(plan!.columnCount) fields, found \(row.count)"), in: &batch)
                    return
                }
                if UTF8Validation.firstInvalidOffset(row.spannedBytes) != nil,
                    let rejection = Self.invalidUTF8(row, plan: plan!, file: file.path)
                {
                    batch.quality.rowsRead += 1
                    try record(rejection, in: &batch)
                    return
                }
                fields.reset()
                // By index, reading only what each field needs: copying a `MappedField` per row would retain
                // and release its arrays.
                for index in plan!.mapped.indices {
                    let slot = plan!.mapped[index].slot
                    if let column = plan!.mapped[index].singleColumn {
                        let bytes = row[column]
                        if plan!.mapped[index].valueMap != nil,
                            let local = localWords.canonical(of: trimmed(bytes), field: plan!.mapped[index])
                        {
                            local.withUnsafeBytes { fields.set(slot, $0) }
                        } else {
                            fields.set(slot, bytes)
                        }
                        continue
                    }
                    let mapped = plan!.mapped[index]
                    // Joined columns (date and time), read with the profile's layout, written as ISO 8601.
                    scratch.removeAll(keepingCapacity: true)
                    for column in mapped.columns {
                        let bytes = trimmed(row[column])
                        if bytes.isEmpty { continue }
                        if !scratch.isEmpty { scratch.append(0x20) }
                        scratch.append(contentsOf: bytes)
                    }
                    if let format = mapped.format, !scratch.isEmpty,
                        let parsed = scratch.withUnsafeBytes({ format.parse($0) })
                    {
                        scratch.removeAll(keepingCapacity: true)
                        Self.appendISO(parsed, to: &scratch)
                    }
                    scratch.withUnsafeBytes { fields.set(slot, $0) }
                }
                try batch.add(fields, line: row.line)
            }
        }
        guard plan != nil else {
            if let bestHeader { throw missingColumns(bestHeader, file: file.path) }
            throw IngestError.invalidFile(
                path: file.path, reason: "empty file: no header row (profile \(profile.path))")
        }
        if reader.encoding != .utf8 { batch.quality.encodings[file.path] = reader.encoding.rawValue }
        var result = batch.finish(bytes: reader.bytesRead)
        if let period = profile.period ?? declared {
            var clock = SiteClock(timeZone: fileOptions.timeZone)
            result.store.declare(period, forFile: file.path, clock: &clock)
        }
        return result
    }

    /// A row above the data: the plan of its columns when it is the header (the profile's header line, or the
    /// first row naming every column the profile maps), else nil. On the way, the closest header (fewest
    /// columns missing, for the error when none is found; an error after `headerSearchLines`) and the period
    /// a title line declares.
    private func columnPlan(
        _ row: CSVReader.Row, file: String, closest: inout (line: Int, names: [String], missing: [String])?,
        declared: inout DeclaredPeriod?
    ) throws -> ColumnPlan? {
        let names = (0..<row.count).map { row.string($0) }
        if declared == nil, let period = DeclaredPeriod.find(inTitle: names.joined(separator: " ")) {
            declared = period
        }
        if let headerLine = profile.headerLine {
            guard row.line >= headerLine else { return nil }
            return try ColumnPlan(header: names, profile: profile, file: file, line: row.line)
        }
        let missing = ColumnPlan.missingColumns(header: names, profile: profile)
        if missing.isEmpty { return try ColumnPlan(header: names, profile: profile, file: file, line: row.line) }
        if closest == nil || missing.count < closest!.missing.count { closest = (row.line, names, missing) }
        if row.line > Self.headerSearchLines { throw missingColumns(closest!, file: file) }
        return nil
    }

    /// The rejection of a row whose mapped columns hold invalid UTF-8 (the first such column), or nil when
    /// the invalid bytes are only in columns the profile does not map.
    private static func invalidUTF8(_ row: CSVReader.Row, plan: ColumnPlan, file: String) -> Rejection? {
        for mapped in plan.mapped
        where mapped.columns.contains(where: { UTF8Validation.firstInvalidOffset(row[$0]) != nil }) {
            return Rejection(
                file: file, line: row.line, kind: .invalidUTF8,
                detail: "invalid UTF-8 in column '\(plan.names[mapped.columns[0]])' (\(mapped.field.rawValue))")
        }
        return nil
    }

    private func record(_ rejection: Rejection, in batch: inout BatchBuilder) throws {
        if options.strict { throw IngestError.rejected(rejection) }
        batch.quality.record(rejection)
    }

    private func missingColumns(_ header: (line: Int, names: [String], missing: [String]), file: String) -> IngestError
    {
        .invalidFile(
            path: file,
            reason:
                "column\(header.missing.count > 1 ? "s" : "") \(header.missing.map { "'\($0)'" }.joined(separator: ", ")) "
                + "of profile \(profile.path) not found (closest header: line \(header.line), \(header.names.count) columns)"
        )
    }

    /// `2026-03-04T08:05:00` (local) or `2026-03-04` for a date alone, appended as bytes.
    static func appendISO(_ time: ParsedTime, to output: inout [UInt8]) {
        let days = time.seconds >= 0 ? time.seconds / 86_400 : (time.seconds - 86_399) / 86_400
        let (year, month, day) = CivilDate.date(days: days)
        @inline(__always) func digits(_ value: Int, _ count: Int) {
            // `count` digits of a non-negative value (its lowest ones when it has more).
            var rest = max(value, 0), divisor = count == 4 ? 1000 : 10
            while divisor > 0 {
                output.append(0x30 + UInt8(truncatingIfNeeded: rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(year, 4)
        output.append(0x2D)
        digits(month, 2)
        output.append(0x2D)
        digits(day, 2)
        if !time.isDateOnly {
            let second = Int(time.seconds - days * 86_400)
            output.append(0x54)
            digits(second / 3600, 2)
            output.append(0x3A)
            digits(second % 3600 / 60, 2)
            output.append(0x3A)
            digits(second % 60, 2)
        }
    }
}

/// The canonical words of a file's local professions and categories (the profile's `[values]`), looked
/// up once per distinct local word rather than once per row.
private struct LocalWords {
    private var professions = Table()
    private var categories = Table()

    private struct Table {
        var words = ByteStringTable(capacity: 16)
        var canonical: [[UInt8]?] = []

        mutating func canonical(of bytes: UnsafeRawBufferPointer, in map: [String: String]) -> [UInt8]? {
            let (index, inserted) = words.intern(bytes)
            if inserted { canonical.append(map[String(decoding: bytes, as: UTF8.self)].map { Array($0.utf8) }) }
            return canonical[Int(index)]
        }
    }

    mutating func canonical(of bytes: UnsafeRawBufferPointer, field: MappedField) -> [UInt8]? {
        guard let map = field.valueMap else { return nil }
        switch field.field {
        case .profession: return professions.canonical(of: bytes, in: map)
        case .category: return categories.canonical(of: bytes, in: map)
        default: return nil
        }
    }
}

/// One field of a profile, as the row loop needs it: its slot, its columns, its date layout, its map of
/// local words.
struct MappedField {
    let field: CanonicalField
    let slot: Int
    let columns: [Int]
    let format: DateFormat?
    let valueMap: [String: String]?
    /// The column, for a field read from one column as it is (no date layout).
    let singleColumn: Int?

    init(field: CanonicalField, slot: Int, columns: [Int], format: DateFormat?, valueMap: [String: String]?) {
        self.field = field
        self.slot = slot
        self.columns = columns
        self.format = format
        self.valueMap = valueMap
        singleColumn = columns.count == 1 && format == nil ? columns[0] : nil
    }
}

/// Column positions of a profile's fields in one file's header.
struct ColumnPlan {
    let columnCount: Int
    let names: [String]
    /// The profile's fields, with the positions of their columns and what the row loop needs, in canonical
    /// order.
    let mapped: [MappedField]

    init(header: [String], profile: Profile, file: String, line: Int) throws {
        let missing = Self.missingColumns(header: header, profile: profile)
        guard missing.isEmpty else {
            throw IngestError.invalidFile(
                path: file,
                reason:
                    "column\(missing.count > 1 ? "s" : "") \(missing.map { "'\($0)'" }.joined(separator: ", ")) of profile "
                    + "\(profile.path) not found in the header (line \(line), \(header.count) columns)")
        }
        let keys = header.map(Self.key)
        columnCount = header.count
        names = header
        var mapped: [MappedField] = []
        for field in CanonicalField.allCases {
            guard let source = profile.fields[field] else { continue }
            let positions = source.columns.map { keys.firstIndex(of: Self.key($0))! }
            let values =
                field == .profession ? profile.professionValues : field == .category ? profile.categoryValues : [:]
            mapped.append(
                MappedField(
                    field: field, slot: FieldBuffer.slot(field), columns: positions, format: source.format,
                    valueMap: values.isEmpty ? nil : values))
        }
        self.mapped = mapped
    }

    /// Columns the profile names that the header lacks (compared folded: case, accents, spacing).
    static func missingColumns(header: [String], profile: Profile) -> [String] {
        let keys = Set(header.map(key))
        return profile.fields.values.flatMap(\.columns).filter { !keys.contains(key($0)) }.sorted()
    }

    static func key(_ name: String) -> String {
        TextFolding.fold(name.trimmingCharacters(in: CharacterSet(charactersIn: "\u{FEFF}")), mode: .text)
    }
}
