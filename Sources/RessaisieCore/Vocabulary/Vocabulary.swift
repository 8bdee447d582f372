import Foundation

/// The shipped vocabulary: the usual French (and English) words for professions and entry categories,
/// mapped to the small canonical lists the reports use.
///
/// The tables live in `Vocabulary/Resources/*.tsv` (embedded by `Scripts/gen-vocabulary.py`); values are
/// compared folded (case, accents, spacing), with trailing dots and parentheses set aside (`Psychomot.`,
/// `Infirmière (nuit)` → `infirmiere`).
public enum Vocabulary {
    /// A canonical profession with its labels.
    public struct Profession: Sendable, Equatable {
        public var id: String
        public var frenchLabel: String
        public var englishLabel: String
        /// Care staff, or administrative and other staff (the table's `staff` column).
        public var staffGroup: StaffGroup
    }

    public static let professions: [Profession] = table(VocabularyData.professions).map {
        Profession(
            id: $0[0], frenchLabel: $0[1], englishLabel: $0[2],
            staffGroup: $0.count > 4 && $0[4] == "other" ? .other : .care)
    }

    private static let staffGroupByProfession: [String: StaffGroup] = Dictionary(
        professions.map { ($0.id, $0.staffGroup) }, uniquingKeysWith: { first, _ in first })

    /// The staff group of a profession as the analysis names it: the vocabulary's for a canonical
    /// profession; `unclassified` for none (`Profession.unspecified`) or a label the vocabulary does not know
    /// (never guessed).
    public static func staffGroup(ofProfession id: String) -> StaffGroup {
        staffGroupByProfession[id] ?? .unclassified
    }

    private static let professionByVariant: [String: String] = {
        var map: [String: String] = [:]
        for row in table(VocabularyData.professions) {
            map[key(row[0])] = row[0]
            for variant in row[3].split(separator: "|") { map[key(String(variant))] = row[0] }
        }
        return map
    }()

    private static let categoryByVariant: [String: String] = {
        var map: [String: String] = [:]
        for row in table(VocabularyData.categories) {
            map[key(row[0])] = row[0]
            for variant in row[1].split(separator: "|") { map[key(String(variant))] = row[0] }
        }
        return map
    }()

    /// The canonical profession of a label as an export writes it (`IDE`, `Aide-soignante`, `Kiné`,
    /// `Méd.`), or nil when the label is not known.
    public static func profession(for label: String) -> String? {
        professionByVariant[key(label)]
    }

    /// The canonical category of an export's entry type (`Constante`, `Transmission`, `Administration`,
    /// `Pathologie`, `Rendez-vous`, `Acte`…), or nil when it is not known.
    public static func category(for label: String) -> String? {
        categoryByVariant[key(label)]
    }

    /// What a header names, by the shipped table of French and English header words: a canonical field
    /// name, or `field:time` for a time-of-day column that goes with the field's date. Exact matches only;
    /// nil when unknown.
    public static func headerField(for header: String) -> String? {
        headerByVariant[headerKey(header)]
    }

    private static let headerByVariant: [String: String] = {
        var map: [String: String] = [:]
        for row in table(VocabularyData.headers) {
            for variant in row[1].split(separator: "|") where map[headerKey(String(variant))] == nil {
                map[headerKey(String(variant))] = row[0]
            }
        }
        return map
    }()

    /// Headers compare folded, with `n°`, `no.`, `#` read alike and punctuation other than `'` and `()` as spaces.
    public static func headerKey(_ header: String) -> String {
        var folded = TextFolding.fold(header.replacingOccurrences(of: "°", with: " "), mode: .text)
        folded = String(
            folded.map { character -> Character in
                character.isLetter || character.isNumber || character == "'" || character == "(" || character == ")"
                    ? character : " "
            })
        var words = folded.split(separator: " ").map(String.init)
        if words.first == "no" || words.first == "num" || words.first == "numero" { words[0] = "n" }
        return words.joined(separator: " ")
    }

    /// Folded, with a trailing parenthesis and trailing dots removed, and `_` read as a space.
    static func key(_ label: String) -> String {
        var folded = TextFolding.fold(label.replacingOccurrences(of: "_", with: " "), mode: .text)
        if let open = folded.firstIndex(of: "("), folded.hasSuffix(")") {
            folded = String(folded[..<open]).trimmingCharacters(in: .whitespaces)
        }
        while folded.hasSuffix(".") { folded.removeLast() }
        return folded.trimmingCharacters(in: .whitespaces)
    }

    /// Rows of a TSV table, comments and blank lines skipped.
    static func table(_ text: String) -> [[String]] {
        text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }
}
