import Foundation
import TestSupport

/// A key file for runs whose pseudonyms must be stable; created once per test process.
let keyFile: String = {
    let path = NSTemporaryDirectory() + "ressaisie-e2e-\(getpid()).key"
    precondition(
        FileManager.default.createFile(atPath: path, contents: Data("end-to-end-test-key-0123456789".utf8)),
        "cannot write the test key")
    return path
}()

/// A file's bytes, nil when it is not there.
func read(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

/// Temporary outputs (`.NAME.tmp-PID`) anywhere under `folder`.
func temporaryFiles(in folder: String) -> [String] {
    ((try? FileManager.default.subpathsOfDirectory(atPath: folder)) ?? []).filter { $0.contains(".tmp-") }
}

/// Parses JSON output into a dictionary.
func jsonObject(_ text: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
}

/// Entry keys (site, system, record id) grouped as a set of pairs, from a `--groups` CSV.
func pairs(fromGroupsCSV text: String) -> Set<[String]> {
    let rows = parseSimpleCSV(text)
    var members: [String: [String]] = [:]
    for row in rows.dropFirst() where row.count == 6 {
        members[row[0], default: []].append("\(row[1])|\(row[2])|\(row[3])")
    }
    return pairSet(members.values)
}

/// Pairs of entries that share a fact in a truth file (`site,system,record_id,fact_id`).
func pairs(fromTruthCSV text: String) -> Set<[String]> {
    let rows = parseSimpleCSV(text)
    var members: [String: [String]] = [:]
    for row in rows.dropFirst() where row.count == 4 {
        members["\(row[0])|\(row[3])", default: []].append("\(row[0])|\(row[1])|\(row[2])")
    }
    return pairSet(members.values)
}

func pairSet(_ groups: some Sequence<[String]>) -> Set<[String]> {
    var result = Set<[String]>()
    for group in groups where group.count > 1 {
        let sorted = group.sorted()
        for i in 0..<sorted.count { for j in i + 1..<sorted.count { result.insert([sorted[i], sorted[j]]) } }
    }
    return result
}

/// Values of `columns` (4 characters or more) in the demo audit's exports: what must never reach an output.
func demoInputValues(of columns: Set<String>) throws -> Set<String> {
    var values = Set<String>()
    let demo = PackagePaths.fixture("demo")
    let files = FileManager.default.enumerator(atPath: demo)!.compactMap { $0 as? String }.filter {
        $0.hasSuffix(".csv")
    }
    for file in files {
        var text = try String(contentsOfFile: demo + "/" + file, encoding: .utf8)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let delimiter: Character = text.prefix(while: { $0 != "\n" }).contains(";") ? ";" : ","
        let rows = parseSimpleCSV(delimiter == "," ? text : text.replacingOccurrences(of: ";", with: ","))
        guard let header = rows.first else { continue }
        for row in rows.dropFirst() where row.count == header.count {
            for (name, value) in zip(header, row) where columns.contains(name) && value.count >= 4 {
                values.insert(value)
            }
        }
    }
    return values
}

/// The demo's identifying columns: patient ids, INS, names, birth dates, author ids, free text.
let identifyingColumns: Set<String> = [
    "patient_id", "ins", "birth_name", "given_names", "birth_date", "author_id", "text",
]
