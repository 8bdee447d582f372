import Foundation

/// The fields of the canonical entry (docs/DESIGN.md, "The canonical entry"), as named in a canonical CSV header.
public enum CanonicalField: String, CaseIterable, Sendable {
    case site, system
    case recordID = "record_id"
    case patientID = "patient_id"
    case ins
    case birthName = "birth_name"
    case givenNames = "given_names"
    case birthDate = "birth_date"
    case sex
    case birthPlace = "birth_place"
    case recordedAt = "recorded_at"
    case effectiveAt = "effective_at"
    case authorID = "author_id"
    case profession, category, purpose, code
    case codeSystem = "code_system"
    case label, value, unit, text

    /// Fields without which a row cannot be an entry.
    public static let required: [CanonicalField] = [.recordID, .patientID, .recordedAt]
}

/// Which column of a file holds which canonical field.
struct ColumnMap {
    private var columns: [Int]
    let count: Int
    /// Header names that are not canonical fields.
    let ignored: [String]

    init(header: [String]) {
        columns = Array(repeating: -1, count: CanonicalField.allCases.count)
        var ignored: [String] = []
        for (index, name) in header.enumerated() {
            let key = name.trimmingCharacters(in: .whitespaces).lowercased()
            if let field = CanonicalField(rawValue: key), let slot = CanonicalField.allCases.firstIndex(of: field) {
                if columns[slot] < 0 { columns[slot] = index }
            } else if !key.isEmpty {
                ignored.append(name)
            }
        }
        count = header.count
        self.ignored = ignored
    }

    @inline(__always)
    func column(_ field: CanonicalField) -> Int? {
        let index = columns[Self.slot[field]!]
        return index >= 0 ? index : nil
    }

    private static let slot: [CanonicalField: Int] = Dictionary(
        uniqueKeysWithValues: CanonicalField.allCases.enumerated().map { ($1, $0) })
}
