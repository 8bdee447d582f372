import Foundation
import RessaisieCore

/// A file of persons (one per row) read for `ressaisie link`: each row's identity turned into a
/// `PatientRecord` (INS with a valid key, traits pseudonym, `IdentityFeatures`), with the row's id kept
/// to name it in the output. Names, dates and other values never leave this type.
///
/// Columns are mapped from their headers by the shipped header vocabulary (French and English:
/// `nom`, `prénom`, `date de naissance`, `surname`, `given_name`, `date_of_birth`…); the id column is
/// named by the caller or else the column mapped to `patient_id` or `record_id`, else the row number.
public struct PersonFile: Sendable {
    /// The columns the caller asks for.
    public struct Columns: Sendable {
        /// Column holding each row's id (nil: the header vocabulary's `patient_id` or `record_id`, else the row number).
        public var id: String?
        /// Extra columns compared as plain strings, in this order.
        public var compare: [String]
        /// Columns left out even when the vocabulary maps them.
        public var ignore: [String]

        public init(id: String? = nil, compare: [String] = [], ignore: [String] = []) {
            self.id = id
            self.compare = compare
            self.ignore = ignore
        }
    }

    /// A column named in the options is not in the file (a usage error), or the file has no identity column.
    public enum ColumnError: Error, Sendable, CustomStringConvertible {
        case missing(path: String, column: String, option: String)
        case noIdentity(path: String)

        public var description: String {
            switch self {
            case .missing(let path, let column, let option): "\(path): no column '\(column)' (given with \(option))"
            case .noIdentity(let path):
                "\(path): no identity column recognized (birth_name, given_names, birth_date, sex, ins, birth_place or their usual names)"
            }
        }
    }

    public var ids: [String] = []
    public var records: [PatientRecord] = []
    /// Canonical field → header of the column read for it, for the summary.
    public var mapped: [String: String] = [:]
    public var rowsRejected = 0
    public var invalidINS = 0

    static let identityFields = ["ins", "birth_name", "given_names", "birth_date", "sex", "birth_place"]

    /// Reads `path`; records get `system` (`.dpi` or `.dui`: one per file) and site 0.
    public static func load(
        path: String, system: SystemID, columns: Columns, pseudonymizer: Pseudonymizer,
        encoder: inout IdentityEncoder,
        encoding: TextEncoding? = nil
    ) throws -> PersonFile {
        let reader = try CSVReader(path: path, encoding: encoding)
        var file = PersonFile()
        var header: [String]?
        var fieldColumn: [String: Int] = [:]
        var idColumn = -1
        var compareColumns: [Int] = []
        var folded: [UInt8] = []
        try reader.read { event in
            guard case .row(let row) = event else {
                file.rowsRejected += 1
                return
            }
            guard let names = header else {
                let names = (0..<row.count).map { row.string($0).trimmingCharacters(in: .whitespaces) }
                header = names
                func find(_ name: String, _ option: String) throws -> Int {
                    if let index = names.firstIndex(of: name) { return index }
                    let key = Vocabulary.headerKey(name)
                    if let index = names.firstIndex(where: { Vocabulary.headerKey($0) == key }) { return index }
                    throw ColumnError.missing(path: path, column: name, option: option)
                }
                let ignored = Set(columns.ignore.compactMap { try? find($0, "--ignore") })  // absent: nothing to ignore
                if let id = columns.id { idColumn = try find(id, "--id") }
                compareColumns = try columns.compare.map { try find($0, "--compare") }
                for (index, name) in names.enumerated()
                where !ignored.contains(index) && index != idColumn && !compareColumns.contains(index) {
                    let field =
                        Self.identityFields.contains(name.lowercased())
                        ? name.lowercased() : Vocabulary.headerField(for: name)
                    guard let field else { continue }
                    if Self.identityFields.contains(field), fieldColumn[field] == nil {
                        fieldColumn[field] = index
                        file.mapped[field] = name
                    } else if idColumn < 0, columns.id == nil, field == "patient_id" || field == "record_id" {
                        idColumn = index
                        file.mapped["id"] = name
                    }
                }
                if fieldColumn.isEmpty && compareColumns.isEmpty { throw ColumnError.noIdentity(path: path) }
                return
            }
            guard row.count == names.count else {
                file.rowsRejected += 1
                return
            }
            func value(_ field: String) -> UnsafeRawBufferPointer {
                guard let column = fieldColumn[field] else { return UnsafeRawBufferPointer(start: nil, count: 0) }
                return trimmed(row[column])
            }
            let id =
                idColumn >= 0
                ? row.string(idColumn).trimmingCharacters(in: .whitespaces) : String(file.records.count + 1)
            var features = encoder.features(
                birthName: value("birth_name"), givenNames: value("given_names"), birthDate: value("birth_date"),
                sex: value("sex"), birthPlace: value("birth_place"), extra: compareColumns.map { trimmed(row[$0]) })
            features.extra = Array(features.extra.prefix(11))
            var record = PatientRecord(
                site: 0, system: system,
                key: pseudonymizer.pseudonym(.patient, "\(InformationSystem.named[system.index].name)\u{1F}\(id)"))
            let ins = value("ins")
            if !ins.isEmpty {
                if INSKey.isValid(ins) {
                    let compact = ins.filter { $0 != 0x20 && $0 != 0x2E && $0 != 0x2D }
                    record.ins = compact.withUnsafeBytes { pseudonymizer.pseudonym(.ins, $0) }
                } else {
                    file.invalidINS += 1
                }
            }
            // Exact traits, as ingest defines them: birth name, first given name, birth date, sex.
            let birthName = value("birth_name"), given = value("given_names")
            if let (year, month, day) = IdentityEncoder.dateComponents(value("birth_date")), !birthName.isEmpty,
                !given.isEmpty
            {
                folded.removeAll(keepingCapacity: true)
                TextFolding.fold(birthName, mode: .name, into: &folded)
                folded.append(0x1F)
                TextFolding.fold(EntryAssembler.firstGivenName(given), mode: .name, into: &folded)
                folded.append(contentsOf: [
                    0x1F, UInt8(year >> 8), UInt8(year & 0xFF), UInt8(month), UInt8(day),
                    EntryAssembler.sexCode(value("sex")),
                ])
                record.traits = folded.withUnsafeBytes { pseudonymizer.pseudonym(.traits, $0) }
            }
            record.features = features
            file.ids.append(id)
            file.records.append(record)
        }
        return file
    }
}
