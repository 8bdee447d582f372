import Foundation
import RessaisieCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A synthetic audit written to a folder: one folder per site with its systems' exports, `truth.csv`
/// (`site,system,record_id,fact_id`) and `synth-summary.json`, so that `ressaisie analyze DIR` reads it
/// with no option and `ressaisie evaluate` scores the result.
public enum SynthAudit {
    public enum WriteError: Error, CustomStringConvertible, Equatable {
        /// The output folder exists and is not empty (stale exports would mix with the new ones).
        case notEmpty(path: String)
        case cannotWrite(path: String, reason: String)

        public var description: String {
            switch self {
            case .notEmpty(let path): "\(path): folder exists and is not empty; give a new or empty folder"
            case .cannotWrite(let path, let reason): "\(path): cannot write: \(reason)"
            }
        }
    }

    /// What was written, for the command's message and the summary file.
    public struct Summary: Sendable {
        public var entries: Int
        public var facts: Int
        public var files: Int
        public var sites: [String]
    }

    /// Per entry: category, whether it re-enters its fact, the hard negative it belongs to and the noise on it
    /// (tab-separated, so that `analyze DIR` does not take it for an export).
    public static let tagsFileName = "truth-tags.tsv"

    /// With `--shared-patients`: pairs of entries of two sites, a fact typed at the first and typed again at the
    /// second (`re_entry`) or a hard negative across sites (`shared_patient_other_fact`,
    /// `two_patients_same_text`), `kind,from_site,from_system,from_record_id,to_site,to_system,to_record_id`.
    public static let pathwaysFileName = "truth-pathways.csv"

    /// With `--cross-category`: pairs of entries of one site and person in two categories, a fact typed in the
    /// first and typed again in the second (`re_entry`) or a hard negative of that kind (`same_patient_other_fact`,
    /// `another_value`), in the columns of `truth-pathways.csv`.
    public static let crossCategoryFileName = "truth-cross-category.csv"

    static func crossCategoryTruth(_ rows: [CrossCategoryTruthRow], sites: [SynthSite]) -> String {
        var text = "kind,from_site,from_system,from_record_id,to_site,to_system,to_record_id\n"
        for row in rows {
            let site = sites[row.site]
            let (a, b) = (site.entries[row.fromEntry], site.entries[row.toEntry])
            text += CSVField.line([
                row.kind.rawValue, site.name, site.systems[a.system].system.rawValue, a.recordID, site.name,
                site.systems[b.system].system.rawValue, b.recordID,
            ])
            text += "\n"
        }
        return text
    }

    static func pathwaysTruth(_ rows: [PathwayTruthRow], sites: [SynthSite]) -> String {
        var text = "kind,from_site,from_system,from_record_id,to_site,to_system,to_record_id\n"
        for row in rows {
            let (from, to) = (sites[row.fromSite], sites[row.toSite])
            let (a, b) = (from.entries[row.fromEntry], to.entries[row.toEntry])
            text += CSVField.line([
                row.kind.rawValue, from.name, from.systems[a.system].system.rawValue, a.recordID, to.name,
                to.systems[b.system].system.rawValue, b.recordID,
            ])
            text += "\n"
        }
        return text
    }

    public static func write(_ settings: SynthSettings, to directory: String) throws -> Summary {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        if manager.fileExists(atPath: directory, isDirectory: &isFolder) {
            let contents = (try? manager.contentsOfDirectory(atPath: directory)) ?? []
            if !isFolder.boolValue || !contents.isEmpty { throw WriteError.notEmpty(path: directory) }
        }
        let audit = AuditSynthesizer(settings: settings).fullAudit()
        var sites = audit.sites
        var truth = "site,system,record_id,fact_id\n"
        var tags = "site\tsystem\trecord_id\tfact_id\tcategory\trole\thard_negative\tnoise\n"
        var files = 0
        var folders = Set<String>()
        var systemsSummary: [[String]] = []
        for (number, _) in sites.enumerated() {
            assignRecordIDs(&sites[number])
            let site = sites[number]
            for systemIndex in site.systems.indices {
                let entries = site.entries.filter { $0.system == systemIndex }.sorted { $0.recordID < $1.recordID }
                let writer = ExportWriter(site: site, systemIndex: systemIndex, entries: entries, siteNumber: number)
                let written = writer.files()
                for (relative, bytes) in written {
                    try write(
                        bytes, to: (directory as NSString).appendingPathComponent("\(site.name)/\(relative)"),
                        folders: &folders)
                }
                files += written.count
                let system = site.systems[systemIndex]
                systemsSummary.append([
                    site.name, system.system.rawValue, system.format.rawValue,
                    String(entries.filter { !$0.sameRecordID }.count), String(written.count),
                ])
                truth.reserveCapacity(truth.utf8.count + entries.count * 48)
                // A republication under the same record id is not an entry: ingest keeps the record once.
                for entry in entries where !entry.sameRecordID {
                    let fact = "f\(ExportText.padded(entry.fact, 7))"
                    truth += "\(site.name),\(system.system.rawValue),\(entry.recordID),\(fact)\n"
                    tags +=
                        "\(site.name)\t\(system.system.rawValue)\t\(entry.recordID)\t\(fact)\t\(entry.category.rawValue)\t"
                        + "\(entry.copy?.rawValue ?? (entry.isReEntry ? "re_entry" : "first"))\t\(entry.negative?.rawValue ?? "")\t"
                        + (entry.noise.map(\.rawValue) + entry.habits.map(\.rawValue)).joined(separator: ",") + "\n"
                }
            }
        }
        try write(Array(truth.utf8), to: (directory as NSString).appendingPathComponent("truth.csv"), folders: &folders)
        if settings.sharedPatients {
            try write(
                Array(pathwaysTruth(audit.pathways, sites: sites).utf8),
                to: (directory as NSString).appendingPathComponent(pathwaysFileName), folders: &folders)
        }
        if settings.crossCategory {
            try write(
                Array(crossCategoryTruth(audit.crossCategory, sites: sites).utf8),
                to: (directory as NSString).appendingPathComponent(crossCategoryFileName), folders: &folders)
        }
        try write(Array(tags.utf8), to: (directory as NSString).appendingPathComponent(tagsFileName), folders: &folders)
        try write(
            Array(
                summaryJSON(
                    settings: settings, sites: sites, systems: systemsSummary, pathways: audit.pathways,
                    crossCategory: audit.crossCategory
                ).utf8),
            to: (directory as NSString).appendingPathComponent("synth-summary.json"), folders: &folders)
        return Summary(
            entries: sites.reduce(0) { $0 + $1.entryCount }, facts: sites.reduce(0) { $0 + $1.facts },
            files: files, sites: sites.map(\.name))
    }

    /// Record ids per system in order of recording, in each format's own style (a republication under the
    /// same record id takes the id of what it republishes).
    static func assignRecordIDs(_ site: inout SynthSite) {
        for systemIndex in site.systems.indices {
            let system = site.systems[systemIndex]
            let order = site.entries.indices.filter {
                site.entries[$0].system == systemIndex && !site.entries[$0].sameRecordID
            }
            .sorted {
                (site.entries[$0].recordedAt, site.entries[$0].recordedSecond, $0)
                    < (site.entries[$1].recordedAt, site.entries[$1].recordedSecond, $1)
            }
            for (rank, index) in order.enumerated() {
                let number = rank + 1
                switch system.format {
                case .canonicalCSV:
                    site.entries[index].recordID = "\(system.system.rawValue)-\(ExportText.padded(number, 7))"
                case .vendorCSV: site.entries[index].recordID = "T2026-\(ExportText.padded(number, 6))"
                case .fhir:
                    let prefix = ["obs", "com", "med", "alg", "cnd", "apt", "cp", "adm", "act"][
                        Category.allCases.firstIndex(of: site.entries[index].category)!]
                    site.entries[index].recordID = "\(prefix)-\(ExportText.padded(number, 7))"
                case .cda: site.entries[index].recordID = "ENT-\(ExportText.padded(number, 7))"
                }
            }
        }
        for index in site.entries.indices where site.entries[index].sameRecordID {
            site.entries[index].recordID = site.entries[site.entries[index].copyOf!].recordID
        }
    }

    static func write(_ bytes: [UInt8], to path: String, folders: inout Set<String>) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if folders.insert(folder).inserted {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw WriteError.cannotWrite(path: folder, reason: error.localizedDescription)
            }
        }
        // Plain fopen and fwrite: FileManager's atomic writes cost a rename and a sync per file, and an audit has
        // thousands of CDA documents.
        guard let file = fopen(path, "wb") else {
            throw WriteError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard fclose(file) == 0, written == bytes.count else {
            throw WriteError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
    }

    // MARK: Summary

    static func summaryJSON(
        settings: SynthSettings, sites: [SynthSite], systems: [[String]], pathways: [PathwayTruthRow] = [],
        crossCategory: [CrossCategoryTruthRow] = []
    ) -> String {
        let counts = sites.map(SiteCounts.init)
        var noise = [Int](repeating: 0, count: NoiseKind.allCases.count)
        for site in counts { for (index, count) in site.noise.enumerated() { noise[index] += count } }
        let reEntries = counts.reduce(0) { $0 + $1.crossSystem + $1.sameSystem }
        let sitesJSON = zip(sites, counts).map { siteJSON($0, counts: $1) }
        let systemsJSON = systems.map {
            object(
                [
                    ("site", quoted($0[0])), ("system", quoted($0[1])), ("format", quoted($0[2])), ("entries", $0[3]),
                    ("files", $0[4]),
                ], indent: "    ")
        }
        var hardNegatives = [Int](repeating: 0, count: HardNegativeKind.allCases.count)
        for site in sites {
            for (index, kind) in HardNegativeKind.allCases.enumerated() {
                hardNegatives[index] += site.hardNegatives[kind] ?? 0
            }
        }
        var settingsMembers = [
            ("sites", String(settings.sites)), ("entries", String(settings.entries)), ("seed", String(settings.seed)),
        ]
        if settings.habits != .fixed { settingsMembers.append(("habits", quoted(settings.habits.rawValue))) }
        if settings.otherSystems { settingsMembers.append(("other_systems", "true")) }
        if settings.sharedPatients { settingsMembers.append(("shared_patients", "true")) }
        var pathwayMembers: [(String, String)] = []
        if settings.sharedPatients {
            let kinds = PathwayTruthRow.Kind.allCases.map { kind in
                (kind.rawValue, String(pathways.filter { $0.kind == kind }.count))
            }
            pathwayMembers = [("pathways", object(kinds, indent: "  "))]
        }
        if settings.crossCategory {
            settingsMembers.append(("cross_category", "true"))
            let kinds = CrossCategoryTruthRow.Kind.allCases.map { kind in
                (kind.rawValue, String(crossCategory.filter { $0.kind == kind }.count))
            }
            pathwayMembers.append(("cross_category", object(kinds, indent: "  ")))
        }
        return object(
            [
                ("schema", quoted("ressaisie.synth/1")),
                ("settings", object(settingsMembers, indent: "  ")),
                ("entries", String(sites.reduce(0) { $0 + $1.entryCount })),
                ("facts", String(sites.reduce(0) { $0 + $1.facts })),
                ("re_entries", String(reEntries)),
                (
                    "noise",
                    object(NoiseKind.allCases.enumerated().map { ($1.rawValue, String(noise[$0])) }, indent: "  ")
                ),
                (
                    "hard_negatives",
                    object(
                        HardNegativeKind.allCases.enumerated().map { ($1.rawValue, String(hardNegatives[$0])) },
                        indent: "  ")
                ),
                ("systems", "[\n    " + systemsJSON.joined(separator: ",\n    ") + "\n  ]"),
                ("sites", "[\n    " + sitesJSON.joined(separator: ",\n    ") + "\n  ]"),
            ] + pathwayMembers, indent: "") + "\n"
    }

    /// What the summary counts of a site's entries: noise and categories of typed entries, true re-entries
    /// (entries beyond the first of each fact) in the system of the first or another, and software copies,
    /// which are not re-entries (see `CopyKind`).
    private struct SiteCounts {
        var noise = [Int](repeating: 0, count: NoiseKind.allCases.count)
        var categories = [Int](repeating: 0, count: Category.allCases.count)
        var crossSystem = 0, sameSystem = 0
        var copies: [CopyKind: Int] = [:]
        var sameRecordID = 0

        init(_ site: SynthSite) {
            var factsSeen = Set<Int>()
            var firstSystem: [Int: Int] = [:]
            for entry in site.entries {
                if let copy = entry.copy {
                    copies[copy, default: 0] += 1
                    if entry.sameRecordID { sameRecordID += 1 }
                    continue
                }
                for kind in entry.noise { noise[NoiseKind.allCases.firstIndex(of: kind)!] += 1 }
                categories[Category.allCases.firstIndex(of: entry.category)!] += 1
                if factsSeen.insert(entry.fact).inserted {
                    firstSystem[entry.fact] = entry.system
                } else if firstSystem[entry.fact] == entry.system {
                    sameSystem += 1
                } else {
                    crossSystem += 1
                }
            }
        }
    }

    /// One site's object in the summary.
    private static func siteJSON(_ site: SynthSite, counts: SiteCounts) -> String {
        var members: [(String, String)] = [
            ("site", quoted(site.name)),
            (
                "systems",
                "["
                    + site.systems.map { quoted("\($0.system.rawValue):\($0.format.rawValue)") }.joined(
                        separator: ", ") + "]"
            ),
            ("persons", String(site.persons.count)),
            ("persons_with_ins", String(site.persons.filter { $0.ins != nil }.count)),
            ("homonym_pairs", String(site.homonymPairs)),
            ("identities", String(site.identities.reduce(0) { $0 + $1.compactMap { $0 }.count })),
            (
                "identity_noise",
                object(
                    IdentityNoise.allCases.enumerated().map { ($1.rawValue, String(site.identityNoise[$0])) },
                    indent: "      ")
            ),
            ("entries", String(site.entryCount)),
            ("facts", String(site.facts)),
            ("re_entered_facts", String(site.reEnteredFacts)),
            ("re_entries", String(counts.crossSystem + counts.sameSystem)),
            ("re_entries_cross_system", String(counts.crossSystem)),
            ("re_entries_same_system", String(counts.sameSystem)),
            (
                "by_category",
                object(
                    Category.allCases.enumerated().map { ($1.rawValue, String(counts.categories[$0])) },
                    indent: "      ")
            ),
            (
                "noise",
                object(
                    NoiseKind.allCases.enumerated().map { ($1.rawValue, String(counts.noise[$0])) }, indent: "      ")
            ),
            (
                "hard_negatives",
                object(
                    HardNegativeKind.allCases.map { ($0.rawValue, String(site.hardNegatives[$0] ?? 0)) },
                    indent: "      ")
            ),
        ]
        if let habits = site.habits {
            members.append(
                (
                    "habits",
                    habits.json(
                        systems: site.systems, copies: counts.copies, sameRecordID: counts.sameRecordID, quoted: quoted)
                ))
        }
        return object(members, indent: "    ")
    }

    /// A JSON string.
    private static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// A JSON object of members already in JSON, one a line, closed at `indent`.
    private static func object(_ members: [(String, String)], indent: String) -> String {
        "{\n" + members.map { "\(indent)  \(quoted($0.0)): \($0.1)" }.joined(separator: ",\n") + "\n\(indent)}"
    }
}
