import Foundation
import RessaisieCore

/// Options shared by every reader.
public struct IngestOptions: Sendable {
    /// Stop at the first rejected row (exit 65) instead of counting it.
    public var strict = false
    /// Time zone of times written without an offset.
    public var timeZone = TimeZone(identifier: SiteClock.defaultTimeZoneIdentifier)!
    /// Rows longer than this are skipped and reported; for XML, the bytes gathered for one record (its
    /// values, and its document's, patient's and author's), past which the record is rejected the same way.
    public var maxRowBytes = 8 << 20
    /// Profiles of vendor XML exports, recognized by their root element.
    public var xmlProfiles: [MappedXMLProfile] = []
    /// Profiles of vendor CSV exports (`--profile`), matched to files by their globs.
    public var csvProfiles: [Profile] = []
    /// Encoding of the exports; nil detects it file by file.
    public var encoding: TextEncoding?
    /// Time of the run (UTC seconds): a time after it (and a day) is implausible.
    public var runTime = Int64(Date().timeIntervalSince1970)
    /// Learn the audit's boilerplate from a sample of its rows before reading it (`AuditLoader`).
    public var learnsBoilerplate = true
    /// Phrases the analyst adds (`--config`: `boilerplate.leading`, `boilerplate.trailing`).
    public var configuredBoilerplate: [Boilerplate.Phrase] = []
    /// Phrases the analyst refuses, learned or not (`boilerplate.never`).
    public var boilerplateVetoes: [String] = []
    /// Phrases set aside before content is compared (set by `AuditLoader` once learned).
    public var boilerplate = Boilerplate.none
    /// When set, the readers only feed this sample's learner (no entry is made) and stop once it is full.
    var boilerplateSample: BoilerplateSample?
    /// Systems declared in `audit.toml` beyond `DPI`, `DUI` and `SIP` (name and kind): recognized in file and
    /// folder names, and first in every store's table of systems.
    public var systems: [InformationSystem] = []
    /// Told of every entry as it is assembled (`ressaisie entries`, through `EntryListing`); nil for analysis.
    public var entrySink: (any EntrySink)?
    /// Only these sites are read (`--shard`, `--site`); nil: every site.
    public var siteSelection: SiteSelection?

    public init(strict: Bool = false, timeZone: TimeZone? = nil, encoding: TextEncoding? = nil) {
        self.strict = strict
        self.encoding = encoding
        if let timeZone { self.timeZone = timeZone }
    }
}

/// What one file gave: its entries (in a store of their own, merged later) and its data quality.
public struct FileBatch: Sendable {
    public var store: EntryStore
    public var quality: DataQuality
}

/// Reads a canonical CSV export (docs/DESIGN.md, "Input formats") into entries.
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
        let reader = try CSVReader(path: file.path, encoding: options.encoding, maxRowBytes: options.maxRowBytes)
        reader.onRead = onRead
        var handler = RowHandler(file: file, reader: self, csv: reader)
        do {
            try reader.read(into: &handler)
        } catch is OutsideSelection {
            // No `site` column and the folder's site not selected: nothing of this file is read further.
            handler.quality.rowsRead = 0
            handler.quality.filesOutsideSelection = 1
        }
        handler.quality.rowsOutsideSelection = handler.state?.assembler.rowsOutsideSelection ?? 0
        handler.quality.bytes = reader.bytesRead
        if reader.encoding != .utf8 { handler.quality.encodings[file.path] = reader.encoding.rawValue }
        if handler.state == nil {
            try handler.reject(1, .emptyFile, "empty file: no header row")
        }
        handler.quality.entries = handler.store.count
        return FileBatch(store: handler.store, quality: handler.quality)
    }

    /// Turns the rows of one file into entries: the header into a `RowState`, then each row into an entry
    /// or a counted rejection.
    private struct RowHandler: CSVRowHandler {
        let file: InputFile
        let reader: CanonicalCSVReader
        let csv: CSVReader
        let fileIndex: UInt32
        var state: RowState?
        var store: EntryStore
        var quality = DataQuality()

        init(file: InputFile, reader: CanonicalCSVReader, csv: CSVReader) {
            store = EntryStore(deduplicatingRecordIDs: false, declaredSystems: reader.options.systems)
            self.file = file
            self.reader = reader
            self.csv = csv
            quality.files = 1
            fileIndex = store.file(named: file.path)
        }

        mutating func reject(_ line: Int, _ kind: RejectionKind, _ detail: String) throws {
            let rejection = Rejection(file: file.path, line: line, kind: kind, detail: detail)
            if reader.options.strict { throw IngestError.rejected(rejection) }
            quality.record(rejection)
        }

        mutating func handle(_ event: CSVReader.Event) throws {
            switch event {
            case .rejected(let line, let kind, let detail):
                if state != nil { quality.rowsRead += 1 }
                try reject(line, kind, detail)
            case .row(let row):
                guard state != nil else {
                    state = try RowState(header: row, file: file, fileIndex: fileIndex, reader: reader, store: &store)
                    if !state!.columns.ignored.isEmpty { quality.ignoredColumns[file.path] = state!.columns.ignored }
                    if state!.site < 0, let filter = state!.assembler.siteFilter, !filter.admitsFileSite {
                        throw OutsideSelection()
                    }
                    return
                }
                quality.rowsRead += 1
                if let (kind, detail) = state!.add(row, to: &store) {
                    try reject(row.line, kind, detail)
                }
                try state!.assembler.stopIfSampleIsFull()
                if store.count == CanonicalCSVReader.sampleRows {
                    CanonicalCSVReader.reserveForWholeFile(&store, file: file, bytesRead: csv.bytesRead)
                }
            }
        }
    }
}

/// Thrown by a file whose every row belongs to a site outside the run's selection, to stop reading it.
private struct OutsideSelection: Error {}

extension CanonicalCSVReader {
    /// Rows read before the store reserves room for the whole file.
    static let sampleRows = 262_144

    /// Reserves room for the entries of the whole file at the density of the rows read so far, so that
    /// the entry array does not grow by doubling (and hold up to twice the room it needs). The bytes
    /// read include up to two read-ahead chunks not yet parsed: counting them out overestimates the
    /// density a little, never underestimates it.
    static func reserveForWholeFile(_ store: inout EntryStore, file: InputFile, bytesRead: Int) {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.size] as? Int else { return }
        let parsed = bytesRead - 2 << 20
        guard parsed > 0, size > bytesRead else { return }
        let scale = Double(size) / Double(parsed) * 1.01
        let count = store.count
        store.reserveCapacity(
            Int(Double(count) * scale), recordIDBytes: Int(Double(store.recordIDBytes - 3 * count) * scale),
            sketches: Int(Double(store.sketches.count) * scale))
    }
}

/// Per-file state of the canonical reader: column positions and the file's `EntryAssembler`.
private struct RowState {
    let columns: ColumnMap
    var assembler: EntryAssembler

    // Column positions, -1 when absent.
    let site, system, recordID, patientID, ins, birthName, givenNames, birthDate, sex, birthPlace: Int
    let recordedAt, effectiveAt, authorID, profession, category, purpose, label, value, unit, text: Int
    /// Columns whose bytes are read, validated as UTF-8.
    let usedColumns: [Int]

    init(
        header row: CSVReader.Row, file: InputFile, fileIndex: UInt32, reader: CanonicalCSVReader,
        store: inout EntryStore
    ) throws {
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
                reason:
                    "line \(row.line): missing required column '\(field.rawValue)' (the header line has \(names.count) columns)"
            )
        }
        if columns.column(.system) == nil && file.system == nil {
            throw IngestError.invalidFile(
                path: file.path,
                reason: "cannot tell which system this export comes from: add a 'system' column (DPI, DUI or SIP) "
                    + "or put dpi, dui or sip in the file or folder name")
        }
        self.columns = columns
        assembler = EntryAssembler(
            file: file, fileIndex: fileIndex, pseudonymizer: reader.pseudonymizer, options: reader.options,
            store: &store)
        func at(_ field: CanonicalField) -> Int { columns.column(field) ?? -1 }
        site = at(.site)
        system = at(.system)
        recordID = at(.recordID)
        patientID = at(.patientID)
        ins = at(.ins)
        birthName = at(.birthName)
        givenNames = at(.givenNames)
        birthDate = at(.birthDate)
        sex = at(.sex)
        birthPlace = at(.birthPlace)
        recordedAt = at(.recordedAt)
        effectiveAt = at(.effectiveAt)
        authorID = at(.authorID)
        profession = at(.profession)
        category = at(.category)
        purpose = at(.purpose)
        label = at(.label)
        value = at(.value)
        unit = at(.unit)
        text = at(.text)
        usedColumns = [
            site, system, recordID, patientID, ins, birthName, givenNames, birthDate, sex, birthPlace, recordedAt,
            effectiveAt, authorID, profession, category, purpose, label, value, unit, text,
        ].filter { $0 >= 0 }
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
        @inline(__always) func field(_ column: Int) -> UnsafeRawBufferPointer {
            column >= 0 ? row[column] : CanonicalValues.empty
        }
        var values = CanonicalValues()
        values.site = field(site)
        values.system = field(system)
        values.recordID = row[recordID]
        values.patientID = row[patientID]
        values.ins = field(ins)
        values.birthName = field(birthName)
        values.givenNames = field(givenNames)
        values.birthDate = field(birthDate)
        values.sex = field(sex)
        values.birthPlace = field(birthPlace)
        values.recordedAt = row[recordedAt]
        values.effectiveAt = field(effectiveAt)
        values.authorID = field(authorID)
        values.profession = field(profession)
        values.category = field(category)
        values.purpose = field(purpose)
        values.label = field(label)
        values.value = field(value)
        values.unit = field(unit)
        values.text = field(text)
        values.line = row.line
        return assembler.add(values, to: &store)
    }

    private func columnName(_ column: Int) -> String {
        CanonicalField.allCases.first { columns.column($0) == column }?.rawValue ?? "#\(column + 1)"
    }
}
