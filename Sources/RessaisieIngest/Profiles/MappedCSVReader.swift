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
            path: file.path, delimiter: profile.delimiter, quote: profile.quote, encoding: profile.encoding ?? options.encoding,
            maxRowBytes: options.maxRowBytes)
        reader.onRead = onRead
        var batch = BatchBuilder(file: file, pseudonymizer: pseudonymizer, options: fileOptions)
        var fields = FieldBuffer(slots: CanonicalField.allCases.count)
        var plan: ColumnPlan?
        var bestHeader: (line: Int, names: [String], missing: [String])?
        var scratch: [UInt8] = []

        try reader.read { event in
            switch event {
            case .rejected(let line, let kind, let detail):
                guard plan != nil else { return }  // a title line, before the header
                batch.quality.rowsRead += 1
                try record(Rejection(file: file.path, line: line, kind: kind, detail: detail), in: &batch)
            case .row(let row):
                guard let current = plan else {
                    let names = (0..<row.count).map { row.string($0) }
                    if let headerLine = profile.headerLine {
                        guard row.line >= headerLine else { return }
                        plan = try ColumnPlan(header: names, profile: profile, file: file.path, line: row.line)
                        return
                    }
                    let missing = ColumnPlan.missingColumns(header: names, profile: profile)
                    if missing.isEmpty {
                        plan = try ColumnPlan(header: names, profile: profile, file: file.path, line: row.line)
                    } else {
                        if bestHeader == nil || missing.count < bestHeader!.missing.count {
                            bestHeader = (row.line, names, missing)
                        }
                        if row.line > Self.headerSearchLines { throw missingColumns(bestHeader!, file: file.path) }
                    }
                    return
                }
                guard row.count == current.columnCount else {
                    batch.quality.rowsRead += 1
                    try record(Rejection(
                        file: file.path, line: row.line, kind: .raggedRow,
                        detail: "expected \(current.columnCount) fields, found \(row.count)"), in: &batch)
                    return
                }
                if UTF8Validation.firstInvalidOffset(row.spannedBytes) != nil {
                    for (field, columns) in current.columns where columns.contains(where: { UTF8Validation.firstInvalidOffset(row[$0]) != nil }) {
                        batch.quality.rowsRead += 1
                        try record(Rejection(
                            file: file.path, line: row.line, kind: .invalidUTF8,
                            detail: "invalid UTF-8 in column '\(current.names[columns[0]])' (\(field.rawValue))"), in: &batch)
                        return
                    }
                }
                fields.reset()
                for (field, columns) in current.columns {
                    let slot = current.slots[field]!
                    let source = profile.fields[field]!
                    if columns.count == 1 && source.format == nil {
                        let bytes = row[columns[0]]
                        if let mapped = mappedValue(field, bytes) { fields.set(slot, mapped) } else { fields.set(slot, bytes) }

                        continue
                    }
                    // Joined columns (date and time), read with the profile's layout, written as ISO 8601.
                    scratch.removeAll(keepingCapacity: true)
                    for column in columns {
                        let bytes = trimmed(row[column])
                        if bytes.isEmpty { continue }
                        if !scratch.isEmpty { scratch.append(0x20) }
                        scratch.append(contentsOf: bytes)
                    }
                    if let format = source.format, !scratch.isEmpty,
                       let parsed = scratch.withUnsafeBytes({ format.parse($0) }) {
                        scratch = Self.iso(parsed)
                    }
                    scratch.withUnsafeBytes { fields.set(slot, $0) }
                }
                try batch.add(fields, line: row.line)
            }
        }
        guard plan != nil else {
            if let bestHeader { throw missingColumns(bestHeader, file: file.path) }
            throw IngestError.invalidFile(path: file.path, reason: "empty file: no header row (profile \(profile.path))")
        }
        if reader.encoding != .utf8 { batch.quality.encodings[file.path] = reader.encoding.rawValue }
        return batch.finish(bytes: reader.bytesRead)
    }

    private func record(_ rejection: Rejection, in batch: inout BatchBuilder) throws {
        if options.strict { throw IngestError.rejected(rejection) }
        batch.quality.record(rejection)
    }

    private func missingColumns(_ header: (line: Int, names: [String], missing: [String]), file: String) -> IngestError {
        .invalidFile(
            path: file,
            reason: "column\(header.missing.count > 1 ? "s" : "") \(header.missing.map { "'\($0)'" }.joined(separator: ", ")) "
                + "of profile \(profile.path) not found (closest header: line \(header.line), \(header.names.count) columns)")
    }

    /// The canonical word for a local profession or category, from the profile's `[values]`.
    private func mappedValue(_ field: CanonicalField, _ bytes: UnsafeRawBufferPointer) -> String? {
        let map: [String: String]
        switch field {
        case .profession: map = profile.professionValues
        case .category: map = profile.categoryValues
        default: return nil
        }
        guard !map.isEmpty else { return nil }
        return map[String(decoding: trimmed(bytes), as: UTF8.self)]
    }

    /// `2026-03-04T08:05:00` (local) or `2026-03-04` for a date alone.
    static func iso(_ time: ParsedTime) -> [UInt8] {
        let days = time.seconds >= 0 ? time.seconds / 86_400 : (time.seconds - 86_399) / 86_400
        let (year, month, day) = CivilDate.date(days: days)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var text = "\(String(format: "%04d", year))-\(two(month))-\(two(day))"
        if !time.isDateOnly {
            let second = Int(time.seconds - days * 86_400)
            text += "T\(two(second / 3600)):\(two(second % 3600 / 60)):\(two(second % 60))"
        }
        return Array(text.utf8)
    }
}

/// Column positions of a profile's fields in one file's header.
struct ColumnPlan {
    let columnCount: Int
    let names: [String]
    /// Fields and the positions of their columns, in canonical order.
    let columns: [(CanonicalField, [Int])]
    let slots: [CanonicalField: Int]

    init(header: [String], profile: Profile, file: String, line: Int) throws {
        let missing = Self.missingColumns(header: header, profile: profile)
        guard missing.isEmpty else {
            throw IngestError.invalidFile(
                path: file,
                reason: "column\(missing.count > 1 ? "s" : "") \(missing.map { "'\($0)'" }.joined(separator: ", ")) of profile "
                    + "\(profile.path) not found in the header (line \(line), \(header.count) columns)")
        }
        let keys = header.map(Self.key)
        columnCount = header.count
        names = header
        var columns: [(CanonicalField, [Int])] = []
        var slots: [CanonicalField: Int] = [:]
        for field in CanonicalField.allCases {
            guard let source = profile.fields[field] else { continue }
            columns.append((field, source.columns.map { keys.firstIndex(of: Self.key($0))! }))
            slots[field] = FieldBuffer.slot(field)
        }
        self.columns = columns
        self.slots = slots
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
