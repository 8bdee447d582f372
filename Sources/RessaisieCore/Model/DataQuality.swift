/// Why a row of an export was set aside. Each kind is counted in the report's data-quality section.
public enum RejectionKind: String, Sendable, CaseIterable, Comparable {
    case raggedRow = "ragged_row"
    case unterminatedQuote = "unterminated_quote"
    case malformedQuote = "malformed_quote"
    case invalidUTF8 = "invalid_utf8"
    case rowTooLong = "row_too_long"
    case missingValue = "missing_value"
    case unparseableDate = "unparseable_date"
    case unknownSystem = "unknown_system"
    case duplicateRecordID = "duplicate_record_id"
    case emptyFile = "empty_file"
    /// An XML file refused whole: not well-formed, truncated, entity declarations, beyond libxml2's limits.
    case invalidXML = "invalid_xml"
    /// A whole export that could not be read (a required column missing, no way to tell its system, an
    /// XML document of no known format); in lenient mode it is counted and the other files are read.
    case invalidFile = "invalid_file"

    public static func < (lhs: RejectionKind, rhs: RejectionKind) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A row (or an empty file) that did not become an entry: where, and why.
///
/// The detail never quotes an identifier or free text: at most a column name or a malformed date.
public struct Rejection: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var kind: RejectionKind
    public var detail: String

    public init(file: String, line: Int, kind: RejectionKind, detail: String) {
        self.file = file
        self.line = line
        self.kind = kind
        self.detail = detail
    }

    /// `dui.csv:1207: unterminated quoted field`
    public var description: String { "\(file):\(line): \(detail)" }
}

/// What the inputs were like: how much was read, what was set aside and why. Reported in every format,
/// so that no row is dropped silently.
public struct DataQuality: Sendable, Equatable {
    /// At most this many rejections are kept with their file and line; all are counted.
    public static let listedRejectionsLimit = 200

    public var files = 0
    public var bytes = 0
    /// Data rows read (header and blank lines not counted).
    public var rowsRead = 0
    /// Rows (of `rowsRead`) skipped because their site is outside the run's selection (`--shard`, `--site`).
    public var rowsOutsideSelection = 0
    /// Files not read past their header: no `site` column, and their folder's site outside the selection.
    public var filesOutsideSelection = 0
    public var entries = 0
    public var rejectedByKind: [RejectionKind: Int] = [:]
    /// The first rejections, in file order.
    public var rejections: [Rejection] = []
    /// Columns that are not canonical fields, per file; kept out of the analysis.
    public var ignoredColumns: [String: [String]] = [:]
    /// Files that were not UTF-8, with the encoding they were read in.
    public var encodings: [String: String] = [:]
    /// Files found under the input folders that are not exports (not `.csv`).
    public var filesSkipped = 0
    /// Patients whose rows disagree on their INS or identity traits (first value kept).
    public var identityConflicts = 0
    /// Patient ids (once per file that names them) whose INS has a wrong check key (97 − number mod 97):
    /// not used to link them.
    public var invalidINS = 0
    /// Entries whose patient record carries neither an INS nor complete identity traits: they cannot be
    /// linked to another system's record, so a re-entry across systems about them cannot be found.
    public var entriesWithoutPatientLink = 0
    /// Records exported again (same record id, or same content, author and recorded time, in one
    /// system): kept once, neither rejected nor re-entries.
    public var republished = 0
    /// Entries kept although their record id was used before on other content (ids reused by the producer).
    public var reusedRecordIDs = 0
    /// Entries copied by software from another system (same content and author, recorded seconds apart):
    /// kept as entries, not counted as re-entries (see the interface copies of each site).
    public var interfaceCopies = 0
    /// Entries with an implausible time (kept, out of the period), and the first ones with file and line.
    public var implausibleTimes = 0
    public var implausibleTimeExamples: [Rejection] = []
    /// The first repeated record ids kept, with file and line.
    public var reusedRecordIDExamples: [Rejection] = []
    /// Systems found to stamp effective times with the typing time (`StampedEffectiveTimes`): their
    /// effective times were read as typing times.
    public var stampedEffectiveTimes: [StampedEffectiveTimes] = []

    public init() {}

    public var rowsRejected: Int { rejectedByKind.values.reduce(0, +) }

    /// Counts a rejection, keeping it in the list while the list is short.
    public mutating func record(_ rejection: Rejection) {
        rejectedByKind[rejection.kind, default: 0] += 1
        if rejections.count < Self.listedRejectionsLimit { rejections.append(rejection) }
    }

    /// Adds another file's figures.
    public mutating func absorb(_ other: DataQuality) {
        files += other.files
        bytes += other.bytes
        rowsRead += other.rowsRead
        rowsOutsideSelection += other.rowsOutsideSelection
        filesOutsideSelection += other.filesOutsideSelection
        entries += other.entries
        for (kind, count) in other.rejectedByKind { rejectedByKind[kind, default: 0] += count }
        for rejection in other.rejections where rejections.count < Self.listedRejectionsLimit {
            rejections.append(rejection)
        }
        ignoredColumns.merge(other.ignoredColumns) { first, _ in first }
        encodings.merge(other.encodings) { first, _ in first }
        filesSkipped += other.filesSkipped
        identityConflicts += other.identityConflicts
        invalidINS += other.invalidINS
        entriesWithoutPatientLink += other.entriesWithoutPatientLink
        republished += other.republished
        reusedRecordIDs += other.reusedRecordIDs
        interfaceCopies += other.interfaceCopies
        implausibleTimes += other.implausibleTimes
        for example in other.implausibleTimeExamples where implausibleTimeExamples.count < Self.listedRejectionsLimit {
            implausibleTimeExamples.append(example)
        }
        stampedEffectiveTimes += other.stampedEffectiveTimes
        for example in other.reusedRecordIDExamples where reusedRecordIDExamples.count < Self.listedRejectionsLimit {
            reusedRecordIDExamples.append(example)
        }
    }
}
