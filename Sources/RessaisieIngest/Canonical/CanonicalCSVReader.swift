import Foundation
import RessaisieCore

/// Options shared by every reader.
public struct IngestOptions: Sendable {
    /// Stop at the first rejected row (exit 65) instead of counting it.
    public var strict = false
    /// Time zone of times written without an offset.
    public var timeZone = TimeZone(identifier: SiteClock.defaultTimeZoneIdentifier)!
    /// Rows longer than this are skipped and reported.
    public var maxRowBytes = 8 << 20

    public init(strict: Bool = false, timeZone: TimeZone? = nil) {
        self.strict = strict
        if let timeZone { self.timeZone = timeZone }
    }
}

/// What one file gave: its entries (in a store of their own, merged later) and its data quality.
public struct FileBatch: Sendable {
    public var store: EntryStore
    public var quality: DataQuality
}

/// Reads a canonical CSV export (DESIGN.md, "Canonical CSV") into entries.
///
/// Works on the bytes of each field; the only strings made per row are for a new patient, author,
/// profession or category the file has not seen yet. Raw identifiers stay in this reader's local tables
/// and are dropped with them: the batch holds pseudonyms only.
public struct CanonicalCSVReader: Sendable {
    public let pseudonymizer: Pseudonymizer
    public let options: IngestOptions

    public init(pseudonymizer: Pseudonymizer, options: IngestOptions) {
        self.pseudonymizer = pseudonymizer
        self.options = options
    }

    /// Reads `file`; `onRead` is told of the bytes read as reading goes (for progress).
    public func read(_ file: InputFile, onRead: ((Int) -> Void)? = nil) throws -> FileBatch {
        let reader = try CSVReader(path: file.path, maxRowBytes: options.maxRowBytes)
        reader.onRead = onRead
        var state: RowState?
        var store = EntryStore(deduplicatingRecordIDs: false)
        var quality = DataQuality()
        quality.files = 1
        let fileIndex = store.file(named: file.path)

        func reject(_ line: Int, _ kind: RejectionKind, _ detail: String) throws {
            let rejection = Rejection(file: file.path, line: line, kind: kind, detail: detail)
            if options.strict { throw IngestError.rejected(rejection) }
            quality.record(rejection)
        }

        try reader.read { event in
            switch event {
            case .rejected(let line, let kind, let detail):
                if state != nil { quality.rowsRead += 1 }
                try reject(line, kind, detail)
            case .row(let row):
                guard state != nil else {
                    state = try RowState(header: row, file: file, fileIndex: fileIndex, reader: self, store: &store)
                    if !state!.columns.ignored.isEmpty { quality.ignoredColumns[file.path] = state!.columns.ignored }
                    return
                }
                quality.rowsRead += 1
                if let (kind, detail) = state!.add(row, to: &store) {
                    try reject(row.line, kind, detail)
                }
            }
        }
        quality.bytes = reader.bytesRead
        if state == nil {
            try reject(1, .emptyFile, "empty file: no header row")
        }
        quality.entries = store.count
        return FileBatch(store: store, quality: quality)
    }
}

/// Per-file state of the canonical reader: column positions, local caches, scratch buffers.
private struct RowState {
    let columns: ColumnMap
    let file: InputFile
    let fileIndex: UInt32
    let pseudonymizer: Pseudonymizer
    var clock: SiteClock
    var fingerprinter = ContentFingerprinter()
    var scratch: [UInt8] = []

    // Column positions, -1 when absent.
    let site, system, recordID, patientID, ins, birthName, givenNames, birthDate, sex: Int
    let recordedAt, effectiveAt, authorID, profession, category, purpose, label, value, unit, text: Int
    /// Columns whose bytes are read, validated as UTF-8.
    let usedColumns: [Int]

    let defaultSite: UInt16?
    let defaultSiteName: String

    // Local tables: raw bytes → index in the batch store. Raw identifiers never leave this struct.
    var sites = ByteStringTable(capacity: 4)
    var siteIndices: [UInt16] = []
    var patients = ByteStringTable(capacity: 1024)
    var patientIndices: [UInt32] = []
    /// Per local patient: a hash of the raw INS first seen (0: none yet), to count conflicting INS.
    var insHashes: [UInt64] = []
    /// Per local patient: identity traits already pseudonymized.
    var traitsKnown: [Bool] = []
    /// Bytes of "site␟system" per (site, system), the scope of local patient ids.
    var scopes: [Int: [UInt8]] = [:]
    var authors = ByteStringTable(capacity: 256)
    var authorIndices: [UInt32] = []
    var professions = ByteStringTable(capacity: 32)
    var professionIndices: [UInt16] = []
    var categories = ByteStringTable(capacity: 32)
    var categoryIndices: [UInt16] = []
    var categoryPurposes: [Purpose] = []

    init(header row: CSVReader.Row, file: InputFile, fileIndex: UInt32, reader: CanonicalCSVReader, store: inout EntryStore) throws {
        var names: [String] = []
        for index in 0..<row.count {
            guard UTF8Validation.firstInvalidOffset(row[index]) == nil else {
                throw IngestError.invalidFile(path: file.path, reason: "line \(row.line): header is not valid UTF-8")
            }
            names.append(row.string(index))
        }
        let columns = ColumnMap(header: names)
        for field in CanonicalField.required where columns.column(field) == nil {
            throw IngestError.invalidFile(
                path: file.path,
                reason: "line \(row.line): missing required column '\(field.rawValue)' (header: \(names.joined(separator: ",")))")
        }
        if columns.column(.system) == nil && file.system == nil {
            throw IngestError.invalidFile(
                path: file.path,
                reason: "cannot tell which system this export comes from: add a 'system' column (DPI, DUI or SIP) "
                    + "or put dpi, dui or sip in the file or folder name")
        }
        self.columns = columns
        self.file = file
        self.fileIndex = fileIndex
        pseudonymizer = reader.pseudonymizer
        clock = SiteClock(timeZone: reader.options.timeZone)
        func at(_ field: CanonicalField) -> Int { columns.column(field) ?? -1 }
        site = at(.site); system = at(.system); recordID = at(.recordID); patientID = at(.patientID)
        ins = at(.ins); birthName = at(.birthName); givenNames = at(.givenNames); birthDate = at(.birthDate)
        sex = at(.sex); recordedAt = at(.recordedAt); effectiveAt = at(.effectiveAt); authorID = at(.authorID)
        profession = at(.profession); category = at(.category); purpose = at(.purpose); label = at(.label)
        value = at(.value); unit = at(.unit); text = at(.text)
        usedColumns = [site, system, recordID, patientID, ins, birthName, givenNames, birthDate, sex, recordedAt,
                       effectiveAt, authorID, profession, category, purpose, label, value, unit, text].filter { $0 >= 0 }
        defaultSiteName = file.site
        defaultSite = store.site(named: file.site)
        scratch.reserveCapacity(128)
    }

    /// Turns a row into an entry in `store`; returns why not when it cannot.
    mutating func add(_ row: CSVReader.Row, to store: inout EntryStore) -> (RejectionKind, String)? {
        guard row.count == columns.count else {
            return (.raggedRow, "expected \(columns.count) fields, found \(row.count)")
        }
        // One check of the whole row; column by column only when it fails (bad bytes in an unused column
        // do not reject the row).
        if UTF8Validation.firstInvalidOffset(row.spannedBytes) != nil {
            for column in usedColumns where UTF8Validation.firstInvalidOffset(row[column]) != nil {
                return (.invalidUTF8, "invalid UTF-8 in column '\(columnName(column))'")
            }
        }

        // Site and system.
        var siteIndex = defaultSite!
        var siteName = defaultSiteName
        if site >= 0 {
            let bytes = trimmed(row[site])
            if !bytes.isEmpty {
                let (local, inserted) = sites.intern(bytes)
                if inserted { siteIndices.append(store.site(named: String(decoding: bytes, as: UTF8.self))) }
                siteIndex = siteIndices[Int(local)]
                siteName = store.sites[Int(siteIndex)]
            }
        }
        var systemKind = file.system
        if system >= 0 {
            let bytes = trimmed(row[system])
            if !bytes.isEmpty {
                guard let kind = SystemKind(bytes: bytes) else {
                    return (.unknownSystem, "unknown system in column 'system' (expected DPI, DUI or SIP)")
                }
                systemKind = kind
            }
        }
        guard let systemKind else {
            return (.missingValue, "empty 'system' and no system in the file or folder name")
        }

        // Identifiers and times.
        let recordIDBytes = trimmed(row[recordID])
        guard !recordIDBytes.isEmpty else { return (.missingValue, "empty 'record_id'") }
        let patientBytes = trimmed(row[patientID])
        guard !patientBytes.isEmpty else { return (.missingValue, "empty 'patient_id'") }
        let recordedBytes = trimmed(row[recordedAt])
        guard let recorded = parseTime(recordedBytes) else {
            return recordedBytes.isEmpty
                ? (.missingValue, "empty 'recorded_at'")
                : (.unparseableDate, "unparseable 'recorded_at': \(quoted(recordedBytes))")
        }
        var effective = Entry.noTime
        if effectiveAt >= 0 {
            let bytes = trimmed(row[effectiveAt])
            if !bytes.isEmpty {
                guard let parsed = parseTime(bytes) else {
                    return (.unparseableDate, "unparseable 'effective_at': \(quoted(bytes))")
                }
                effective = parsed
            }
        }
        var birthDays: Int64?
        if birthDate >= 0 {
            let bytes = trimmed(row[birthDate])
            if !bytes.isEmpty {
                guard let parsed = ISOTimeParser.parse(UnsafeRawBufferPointer(rebasing: bytes.prefix(10))), bytes.count >= 10 else {
                    return (.unparseableDate, "unparseable 'birth_date' (expected YYYY-MM-DD)")
                }
                birthDays = parsed.seconds / 86_400
            }
        }

        // Patient: pseudonymized once per local id; identity pseudonymized once, when first seen.
        let (patient, local) = patientIndex(site: siteIndex, siteName: siteName, system: systemKind, id: patientBytes, store: &store)
        if ins >= 0 {
            let bytes = trimmed(row[ins])
            if !bytes.isEmpty {
                let hash = StableHasher.hash(bytes)
                if insHashes[local] == 0 {
                    insHashes[local] = hash | 1
                    store.setIdentity(of: patient, ins: insPseudonym(bytes), traits: nil)
                } else if insHashes[local] != hash | 1 {
                    store.countIdentityConflict()
                }
            }
        }
        if !traitsKnown[local], let traits = traitsPseudonym(row, birthDays: birthDays) {
            traitsKnown[local] = true
            store.setIdentity(of: patient, ins: nil, traits: traits)
        }

        // Author, profession, category, purpose.
        var author = Entry.noID
        if authorID >= 0 {
            let bytes = trimmed(row[authorID])
            if !bytes.isEmpty {
                let (local, inserted) = authors.intern(bytes)
                if inserted { authorIndices.append(store.author(pseudonymizer.pseudonym(.author, bytes))) }
                author = authorIndices[Int(local)]
            }
        }
        var professionIndex = UInt16.max
        if profession >= 0 {
            let bytes = trimmed(row[profession])
            if !bytes.isEmpty {
                let (local, inserted) = professions.intern(bytes)
                if inserted { professionIndices.append(store.profession(named: String(decoding: bytes, as: UTF8.self))) }
                professionIndex = professionIndices[Int(local)]
            }
        }
        let categoryBytes = category >= 0 ? trimmed(row[category]) : UnsafeRawBufferPointer(start: nil, count: 0)
        let (localCategory, newCategory) = categories.intern(categoryBytes)
        if newCategory {
            let name = Self.categoryName(categoryBytes)
            categoryIndices.append(store.category(named: name))
            categoryPurposes.append(Category.purpose(of: name))
        }
        var entryPurpose = categoryPurposes[Int(localCategory)]
        if purpose >= 0 {
            let bytes = trimmed(row[purpose])
            if !bytes.isEmpty, let given = Purpose(name: String(decoding: bytes, as: UTF8.self)) { entryPurpose = given }
        }

        // Content.
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        let content = fingerprinter.fingerprint(
            label: label >= 0 ? row[label] : empty, value: value >= 0 ? row[value] : empty,
            unit: unit >= 0 ? row[unit] : empty, text: text >= 0 ? row[text] : empty)

        let entry = Entry(
            recordedAt: recorded, effectiveAt: effective, fingerprint: content.fingerprint, recordID: 0,
            patient: patient, author: author, textWords: content.textWords, line: UInt32(clamping: row.line),
            site: siteIndex, category: categoryIndices[Int(localCategory)], profession: professionIndex, file: fileIndex,
            system: systemKind, purpose: entryPurpose)
        // Duplicate record ids are found when the batch is merged into the audit.
        store.add(entry, recordID: recordIDBytes)
        return nil
    }

    /// The batch index of the patient, and its index in this file's local tables.
    private mutating func patientIndex(
        site: UInt16, siteName: String, system: SystemKind, id: UnsafeRawBufferPointer, store: inout EntryStore
    ) -> (UInt32, Int) {
        // Local key: site index, system, raw id.
        scratch.removeAll(keepingCapacity: true)
        scratch.append(UInt8(truncatingIfNeeded: site))
        scratch.append(UInt8(truncatingIfNeeded: site >> 8))
        scratch.append(system.rawValue)
        scratch.append(contentsOf: id)
        let (local, inserted) = scratch.withUnsafeBytes { patients.intern($0) }
        if inserted {
            // Pseudonymized once per local id: site and system names, then the raw id.
            let scopeKey = Int(site) * 4 + Int(system.rawValue)
            if scopes[scopeKey] == nil { scopes[scopeKey] = Array("\(siteName)\u{1F}\(system.name)".utf8) }
            let pseudonym = scopes[scopeKey]!.withUnsafeBytes { pseudonymizer.pseudonym(.patient, $0, id) }
            patientIndices.append(store.patient(key: pseudonym, site: site, system: system))
            insHashes.append(0)
            traitsKnown.append(false)
        }
        return (patientIndices[Int(local)], Int(local))
    }

    /// The INS, digits only (and the A/B of Corsican NIRs), pseudonymized.
    private func insPseudonym(_ bytes: UnsafeRawBufferPointer) -> Pseudonym? {
        let digits = bytes.filter { $0 >= 0x30 && $0 <= 0x39 || $0 == 0x41 || $0 == 0x42 }
        return digits.isEmpty ? nil : digits.withUnsafeBytes { pseudonymizer.pseudonym(.ins, $0) }
    }

    /// Folded birth name, first given name, birth date and sex, pseudonymized; nil unless all of the
    /// names and the birth date are there.
    private func traitsPseudonym(_ row: CSVReader.Row, birthDays: Int64?) -> Pseudonym? {
        guard birthName >= 0, givenNames >= 0, let birthDays else { return nil }
        var traits: [UInt8] = []
        TextFolding.fold(row[birthName], mode: .name, into: &traits)
        guard !traits.isEmpty else { return nil }
        traits.append(0x1F)
        let nameEnd = traits.count
        TextFolding.fold(Self.firstGivenName(row[givenNames]), mode: .name, into: &traits)
        guard traits.count > nameEnd else { return nil }
        traits.append(0x1F)
        withUnsafeBytes(of: birthDays.littleEndian) { traits.append(contentsOf: $0) }
        traits.append(sex >= 0 ? Self.sexCode(row[sex]) : 0)
        return traits.withUnsafeBytes { pseudonymizer.pseudonym(.traits, $0) }
    }

    /// The first given name: up to the first space or comma (a hyphenated name is one name).
    static func firstGivenName(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0
        while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x2C { start += 1 }
        var end = start
        while end < bytes.count, bytes[end] != 0x20, bytes[end] != 0x2C { end += 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    /// `m` for M, H, 1, male, homme, masculin; `f` for F, 2, female, femme, féminin; 0 otherwise.
    static func sexCode(_ bytes: UnsafeRawBufferPointer) -> UInt8 {
        let word = TextFolding.fold(String(decoding: bytes, as: UTF8.self), mode: .name)
        switch word {
        case "m", "h", "1", "male", "homme", "masculin": return UInt8(ascii: "m")
        case "f", "2", "female", "femme", "feminin": return UInt8(ascii: "f")
        default: return 0
        }
    }

    /// Canonical category names as they are; other labels folded, spaces and hyphens as underscores.
    static func categoryName(_ bytes: UnsafeRawBufferPointer) -> String {
        let folded = TextFolding.fold(String(decoding: bytes, as: UTF8.self), mode: .text)
        if folded.isEmpty { return Category.unspecified }
        return String(folded.map { $0 == " " || $0 == "-" ? "_" : $0 })
    }

    private mutating func parseTime(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard let parsed = ISOTimeParser.parse(bytes) else { return nil }
        return parsed.isLocal ? clock.utc(fromLocal: parsed.seconds) : parsed.seconds
    }

    private func columnName(_ column: Int) -> String {
        CanonicalField.allCases.first { columns.column($0) == column }?.rawValue ?? "#\(column + 1)"
    }

    private func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0, end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    /// A short malformed value for an error message (dates only: never identifiers or text).
    private func quoted(_ bytes: UnsafeRawBufferPointer) -> String {
        "'\(String(decoding: bytes.prefix(40), as: UTF8.self))'"
    }
}
