import Foundation
import RessaisieCore

/// Reads the staffing file (`--staffing FILE`): CSV with a header `site,profession,fte` (comma or
/// semicolon; a decimal comma is accepted with semicolons), one row per profession of a site, FTE over
/// the audit period. Professions go through the shipped vocabulary, as the exports' do.
public enum StaffingReader {
    public static func load(path: String) throws -> Staffing {
        guard FileManager.default.fileExists(atPath: path) else { throw IngestError.notFound(path: path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IngestError.unreadable(path: path, reason: "cannot open")
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws -> Staffing {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { String($0).trimmingCharacters(in: .whitespaces) }
        guard let headerLine = lines.first, !headerLine.isEmpty else {
            throw IngestError.invalidFile(path: path, reason: "empty staffing file")
        }
        let delimiter: Character = headerLine.contains(";") ? ";" : ","
        let header = headerLine.split(separator: delimiter).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let siteColumn = header.firstIndex(of: "site"),
            let professionColumn = header.firstIndex(of: "profession"),
            let fteColumn = header.firstIndex(of: "fte") ?? header.firstIndex(of: "etp")
        else {
            throw IngestError.invalidFile(path: path, reason: "staffing file needs the columns site, profession, fte")
        }
        var staffing = Staffing()
        for (index, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let fields = line.split(separator: delimiter, omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            guard fields.count == header.count else {
                throw IngestError.invalidFile(
                    path: path, reason: "line \(index + 1): expected \(header.count) fields, found \(fields.count)")
            }
            let number =
                delimiter == ";" ? fields[fteColumn].replacingOccurrences(of: ",", with: ".") : fields[fteColumn]
            guard let fte = Double(number), fte >= 0, fte.isFinite else {
                throw IngestError.invalidFile(path: path, reason: "line \(index + 1): fte is not a number")
            }
            // Professions are canonicalized as ingest does (`IDE` → `infirmier`), unknown ones kept as written.
            let profession = Vocabulary.profession(for: fields[professionColumn]) ?? fields[professionColumn]
            staffing.fte[fields[siteColumn], default: [:]][profession, default: 0] += fte
        }
        return staffing
    }
}
