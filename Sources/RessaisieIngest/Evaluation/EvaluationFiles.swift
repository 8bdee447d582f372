import Foundation
import RessaisieCore

/// Reads the two files `ressaisie evaluate` compares: a `truth.csv` (`site,system,record_id,fact_id`) and
/// a `--groups` CSV (`group_id,site,system,record_id,role,recorded_at`), with the same CSV reader as the
/// exports. Columns are found by name in the header (others are ignored); any row that cannot be read,
/// lacks a value or names an entry twice stops the reading with the file, line and reason (exit 65).
public enum EvaluationFiles {
    public static func truth(path: String) throws -> [PairwiseEvaluation.TruthRow] {
        var rows: [PairwiseEvaluation.TruthRow] = []
        var seen: [EntryKey: Int] = [:]
        try read(path: path, columns: ["site", "system", "record_id", "fact_id"]) { values, line in
            let entry = EntryKey(site: values[0], system: values[1], recordID: values[2])
            if let first = seen[entry] {
                throw IngestError.invalidFile(path: "\(path):\(line)", reason: "entry already listed on line \(first)")
            }
            seen[entry] = line
            rows.append(PairwiseEvaluation.TruthRow(entry: entry, fact: values[3]))
        }
        return rows
    }

    public static func groups(path: String) throws -> [PairwiseEvaluation.GroupRow] {
        var rows: [PairwiseEvaluation.GroupRow] = []
        var seen: [EntryKey: Int] = [:]
        try read(path: path, columns: ["group_id", "site", "system", "record_id", "role"]) { values, line in
            let entry = EntryKey(site: values[1], system: values[2], recordID: values[3])
            if let first = seen[entry] {
                throw IngestError.invalidFile(
                    path: "\(path):\(line)", reason: "entry already in a group on line \(first)")
            }
            let role = values[4]
            guard role == "original" || role == "re_entry" else {
                throw IngestError.invalidFile(
                    path: "\(path):\(line)", reason: "role '\(role)' is neither original nor re_entry")
            }
            seen[entry] = line
            rows.append(PairwiseEvaluation.GroupRow(entry: entry, group: values[0], isReEntry: role == "re_entry"))
        }
        return rows
    }

    /// Reads `analyze --pathways` (`from_site,from_system,from_record_id,to_site,to_system,to_record_id,…`) or,
    /// with `kinds`, synth's `truth-pathways.csv` (the same columns after `kind`).
    public static func pathways(path: String, kinds: Bool) throws -> [PathwayEvaluation.TruthRow] {
        var rows: [PathwayEvaluation.TruthRow] = []
        let columns = ["from_site", "from_system", "from_record_id", "to_site", "to_system", "to_record_id"]
        try read(path: path, columns: columns + (kinds ? ["kind"] : [])) { values, _ in
            let pair = PathwayEvaluation.Pair(
                from: EntryKey(site: values[0], system: values[1], recordID: values[2]),
                to: EntryKey(site: values[3], system: values[4], recordID: values[5]))
            rows.append(PathwayEvaluation.TruthRow(kind: kinds ? values[6] : PathwayEvaluation.reEntryKind, pair: pair))
        }
        return rows
    }

    /// Reads the `truth-tags.tsv` that `ressaisie synth` writes beside its truth (tab-separated:
    /// `site`, `system`, `record_id`, `fact_id`, `role`, `hard_negative`, `noise` joined by commas). Roles are
    /// `first`, `re_entry`, or a kind of software copy (`republished`, `interface_copy`).
    public static func tags(path: String) throws -> [TaggedEvaluation.TagRow] {
        var rows: [TaggedEvaluation.TagRow] = []
        try read(
            path: path, columns: ["site", "system", "record_id", "fact_id", "role", "hard_negative", "noise"],
            required: 5,
            delimiter: 0x09
        ) { values, line in
            let role = values[4]
            guard role == "first" || role == "re_entry" || TaggedEvaluation.copyKinds.contains(role) else {
                throw IngestError.invalidFile(
                    path: "\(path):\(line)",
                    reason:
                        "role '\(role)' is none of first, re_entry, \(TaggedEvaluation.copyKinds.joined(separator: ", "))"
                )
            }
            rows.append(
                TaggedEvaluation.TagRow(
                    entry: EntryKey(site: values[0], system: values[1], recordID: values[2]), fact: values[3],
                    isReEntry: role == "re_entry", hardNegative: values[5],
                    noise: values[6].split(separator: ",").map(String.init),
                    copyKind: TaggedEvaluation.copyKinds.contains(role) ? role : ""))
        }
        return rows
    }

    /// Calls `body` with the values of `columns` (in that order) of each data row and its line; the first
    /// `required` columns (all by default) must not be empty. With `comments`, rows before the header whose
    /// first field starts with `#` are skipped (a file's explanatory lines).
    static func read(
        path: String, columns: [String], required: Int? = nil, delimiter: UInt8 = UInt8(ascii: ","),
        comments: Bool = false,
        _ body: ([String], Int) throws -> Void
    ) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw IngestError.notFound(path: path)
        }
        guard !isFolder.boolValue else {
            throw IngestError.invalidFile(path: path, reason: "is a folder, not a CSV file")
        }
        let reader = try CSVReader(path: path, delimiter: delimiter, encoding: .utf8)
        var positions: [Int]?
        var width = 0
        try reader.read { event in
            switch event {
            case .rejected(let line, _, let detail):
                throw IngestError.invalidFile(path: "\(path):\(line)", reason: detail)
            case .row(let row):
                if comments, positions == nil, row.count > 0, row.string(0).hasPrefix("#") { return }
                guard let positions else {
                    let names = (0..<row.count).map {
                        row.string($0).trimmingCharacters(in: CharacterSet(charactersIn: "\u{FEFF} ")).lowercased()
                    }
                    let missing = columns.filter { !names.contains($0) }
                    guard missing.isEmpty else {
                        throw IngestError.invalidFile(
                            path: "\(path):\(row.line)",
                            reason:
                                "header lacks \(missing.map { "'\($0)'" }.joined(separator: ", ")) (expected \(columns.joined(separator: ",")))"
                        )
                    }
                    positions = columns.map { names.firstIndex(of: $0)! }
                    width = row.count
                    return
                }
                guard row.count == width else {
                    throw IngestError.invalidFile(
                        path: "\(path):\(row.line)", reason: "expected \(width) fields, found \(row.count)")
                }
                let values = positions.map { row.string($0) }
                if let empty = values.prefix(required ?? columns.count).firstIndex(where: \.isEmpty) {
                    throw IngestError.invalidFile(path: "\(path):\(row.line)", reason: "empty '\(columns[empty])'")
                }
                try body(values, row.line)
            }
        }
        if positions == nil { throw IngestError.invalidFile(path: path, reason: "empty file: no header row") }
    }
}
