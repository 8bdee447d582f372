import Foundation
import TestSupport
import Testing

@testable import RessaisieCore

/// An attacker with the published CSV tables only: every hidden cell that the other published numbers
/// determine (a column's sum, a site's share of the totals, flows into a system, what-if rows of a flow,
/// categories of a purpose, professions of the who table, pairs of professions into a profession, pairs of
/// staff groups from pairs of professions, systems of a declared purpose and flows of a pair of purposes, a
/// rate times its denominator, a share compared across sites) is recomputed, to a fixed point. None of the
/// cells hidden as small counts, or as figures of a group of too few authors, may come back.
struct PublishedAttack {
    struct Variable: Hashable, CustomStringConvertible {
        var file: String, site: String, row: String, column: String
        var description: String { "\(file) \(site) [\(row)] \(column)" }
    }

    enum Equation {
        /// total = Σ parts.
        case sum(total: Variable, parts: [Variable])
        /// rate = numerator ÷ denominator.
        case ratio(rate: Variable, numerator: Variable, denominator: Variable)
    }

    var known: [Variable: Double] = [:]
    var suppressed = Set<Variable>()
    var existing = Set<Variable>()
    var equations: [Equation] = []
    /// How each recomputed cell was found (for the failure message).
    var why: [Variable: String] = [:]
    /// Rows per file and site, identity → (column → raw value).
    var rows: [String: [String: [String: [String: String]]]] = [:]

    /// Site → system name → declared purpose id (what the audit's `audit.toml` says).
    var purposes: [String: [String: String]] = [:]

    /// Reads a `--format csv` folder; `purposes` are the declarations the run was given.
    init(folder: String, purposes: [String: [String: String]] = [:]) throws {
        self.purposes = purposes
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".csv") {
            let table = parseSimpleCSV(try String(contentsOfFile: folder + "/" + name, encoding: .utf8))
            guard let header = table.first else { continue }
            let file = String(name.dropLast(4))
            for line in table.dropFirst() {
                var row: [String: String] = [:]
                for (index, column) in header.enumerated() where index < line.count { row[column] = line[index] }
                let perSite = header.first == "site"
                let site = perSite ? row["site"] ?? "-" : "-"
                let identity =
                    [row["key"] ?? ""]
                    + ["from", "to", "from_site", "to_site", "category", "from_category", "to_category"].compactMap {
                        row[$0]
                    }
                    + (perSite ? [] : [row["site"] ?? ""])
                    + (row["key"] == "" ? [row["profession"] ?? ""] : [])
                    + (Self.typedInto.contains(file)
                        ? ["profession", "staff_group", "system", "destination_purpose"].compactMap { row[$0] } : [])
                let id = identity.joined(separator: "|")
                rows[file, default: [:]][site, default: [:]][id] = row
                let hidden = Dictionary(
                    uniqueKeysWithValues: (row["status"] ?? "").split(separator: " ").map { part -> (String, String) in
                        let pieces = part.split(separator: ":")
                        return (String(pieces[0]), String(pieces[1]))
                    })
                for (column, value) in row where !["site", "key", "status"].contains(column) {
                    let variable = Variable(file: file, site: site, row: id, column: column)
                    existing.insert(variable)
                    if let number = Double(value) { known[variable] = number }
                    if hidden[column] == "suppressed" || hidden[column] == "few_authors" { suppressed.insert(variable) }
                }
            }
        }
        buildEquations()
    }

    func sites(_ file: String) -> [String] { Array(rows[file]?.keys ?? [:].keys) }
    func ids(_ file: String, _ site: String) -> [String] { Array(rows[file]?[site]?.keys ?? [:].keys) }

    /// A variable; one whose row is absent is a known zero (a flow that does not exist).
    mutating func variable(_ file: String, _ site: String, _ row: String, _ column: String) -> Variable {
        let variable = Variable(file: file, site: site, row: row, column: column)
        if !existing.contains(variable) { known[variable] = 0 }
        return variable
    }

    static let additive: [String: [String]] = [
        "by_system": ["entries", "re_entries", "identity_duplicates"], "flows": ["re_entries"],
        "multiplicity": ["groups"],
        "by_category": ["entries", "re_entries"], "by_purpose": ["entries", "re_entries"], "who": ["re_entries"],
        "by_profession": ["entries", "re_entries", "self", "transcription"], "lag": ["re_entries"],
        "what_if": ["re_entries"], "who_whom": ["re_entries"], "who_whom_staff": ["re_entries"],
        "by_destination_purpose": ["entries", "re_entries"], "purpose_flows": ["re_entries"],
        "profession_system_purpose": ["re_entries"], "staff_system_purpose": ["re_entries"],
    ]

    /// Who types again, into what, for whom: rows by (profession or staff group, system, purpose).
    static let typedInto: Set<String> = ["profession_system_purpose", "staff_system_purpose"]

    /// Across organizations (audit-level tables, no total row written): a pair's categories add up to its
    /// re-entries, its patients shared by INS and by traits to its shared patients.
    mutating func pathwayEquations() {
        for row in ids("pathways", "-") {
            guard let cells = rows["pathways"]?["-"]?[row] else { continue }
            let parts = ids("pathway_categories", "-").filter {
                rows["pathway_categories"]?["-"]?[$0]?["from_site"] == cells["from_site"]
                    && rows["pathway_categories"]?["-"]?[$0]?["to_site"] == cells["to_site"]
            }
            equations.append(
                .sum(
                    total: variable("pathways", "-", row, "re_entries"),
                    parts: parts.map { variable("pathway_categories", "-", $0, "re_entries") }))
            equations.append(
                .sum(
                    total: variable("pathways", "-", row, "shared_patients"),
                    parts: [
                        variable("pathways", "-", row, "shared_patients_by_ins"),
                        variable("pathways", "-", row, "shared_patients_by_traits"),
                    ]))
        }
    }

    /// Across categories (audit-level tables, no total row written): the rows of one pair of purposes add up to
    /// that pair's figure.
    mutating func crossCategoryEquations() {
        for row in ids("cross_category_purposes", "-") {
            guard let cells = rows["cross_category_purposes"]?["-"]?[row] else { continue }
            let parts = ids("cross_categories", "-").filter {
                rows["cross_categories"]?["-"]?[$0]?["purposes"] == cells["purposes"]
            }
            equations.append(
                .sum(
                    total: variable("cross_category_purposes", "-", row, "re_entries"),
                    parts: parts.map { variable("cross_categories", "-", $0, "re_entries") }))
        }
    }

    mutating func buildEquations() {
        pathwayEquations()
        crossCategoryEquations()
        for (file, columns) in Self.additive {
            for site in sites(file) {
                let all = ids(file, site)
                guard let total = all.first(where: { $0.hasPrefix("total|") || $0 == "total" }) else { continue }
                for column in columns {
                    equations.append(
                        .sum(
                            total: variable(file, site, total, column),
                            parts: all.filter { $0 != total }.map { variable(file, site, $0, column) }))
                }
            }
            // Sites add up to the totals (not professions: each site merges its own small ones).
            if ["by_profession", "who_whom", "profession_system_purpose"].contains(file) { continue }
            let siteNames = sites(file).filter { $0 != "total" }
            for row in Set(sites(file).flatMap { ids(file, $0) }) {
                for column in columns {
                    equations.append(
                        .sum(
                            total: variable(file, "total", row, column),
                            parts: siteNames.map { variable(file, $0, row, column) }))
                }
            }
        }
        for site in sites("overview") {
            let re = variable("overview", site, "re_entries", "value"),
                entries = variable("overview", site, "entries", "value")
            equations.append(
                .ratio(
                    rate: variable("overview", site, "redundancy_rate", "value"), numerator: re, denominator: entries))
            for file in [
                "by_system", "by_category", "by_purpose", "who", "lag", "flows", "by_profession", "who_whom",
                "who_whom_staff", "by_destination_purpose", "purpose_flows", "profession_system_purpose",
                "staff_system_purpose",
            ] {
                if let total = ids(file, site).first(where: { $0.hasPrefix("total") }) {
                    equations.append(.sum(total: re, parts: [variable(file, site, total, "re_entries")]))
                }
            }
            for file in ["by_system", "by_category", "by_purpose", "by_destination_purpose"] {
                if let total = ids(file, site).first(where: { $0.hasPrefix("total") }) {
                    equations.append(.sum(total: entries, parts: [variable(file, site, total, "entries")]))
                }
                for row in ids(file, site) {
                    equations.append(
                        .ratio(
                            rate: variable(file, site, row, "redundancy_rate"),
                            numerator: variable(file, site, row, "re_entries"),
                            denominator: variable(file, site, row, "entries")))
                }
            }
            let whoTotal = ids("who", site).first { $0.hasPrefix("total") }
            for row in ids("who", site) where row != whoTotal {
                equations.append(
                    .ratio(
                        rate: variable("who", site, row, "share"), numerator: variable("who", site, row, "re_entries"),
                        denominator: re))
            }
            // Flows into a system add up to its re-entries; their share is of its entries.
            let flows = ids("flows", site).filter { !$0.hasPrefix("total") }
            for system in ids("by_system", site) where !system.hasPrefix("total") {
                let into = flows.filter {
                    $0.split(separator: "|").last.map(String.init) == rows["by_system"]?[site]?[system]?["system"]
                }
                equations.append(
                    .sum(
                        total: variable("by_system", site, system, "re_entries"),
                        parts: into.map { variable("flows", site, $0, "re_entries") }))
                for flow in into {
                    equations.append(
                        .ratio(
                            rate: variable("flows", site, flow, "share_of_target_entries"),
                            numerator: variable("flows", site, flow, "re_entries"),
                            denominator: variable("by_system", site, system, "entries")))
                }
            }
            // What-if rows of a flow (from, to) add up to it (cross-system flows only).
            for flow in flows {
                let parts = flow.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                guard parts.count >= 3, parts[1] != parts[2] else { continue }
                let whatIf = ids("what_if", site).filter {
                    let p = $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                    return p.count >= 3 && p[1] == parts[1] && p[2] == parts[2]
                }
                if !whatIf.isEmpty {
                    equations.append(
                        .sum(
                            total: variable("flows", site, flow, "re_entries"),
                            parts: whatIf.map { variable("what_if", site, $0, "re_entries") }))
                }
            }
            // Categories of a purpose add up to it.
            for purpose in Purpose.allCases {
                let categories = ids("by_category", site).filter {
                    let key = String($0.split(separator: "|").first ?? "")
                    return !key.hasPrefix("total") && !key.isEmpty && Category.purpose(of: key) == purpose
                }
                guard
                    let row = ids("by_purpose", site).first(where: {
                        $0.hasPrefix(purpose.name + "|") || $0 == purpose.name
                    })
                else { continue }
                for column in ["entries", "re_entries"] {
                    equations.append(
                        .sum(
                            total: variable("by_purpose", site, row, column),
                            parts: categories.map { variable("by_category", site, $0, column) }))
                }
            }
            // Professions' self and transcription add up to the who table's.
            let professions = ids("by_profession", site).filter { !$0.hasPrefix("total") }
            for (who, column) in [("self", "self"), ("transcription", "transcription")] {
                if let row = ids("who", site).first(where: { $0.hasPrefix(who + "|") || $0 == who }) {
                    equations.append(
                        .sum(
                            total: variable("who", site, row, "re_entries"),
                            parts: professions.map { variable("by_profession", site, $0, column) }))
                }
            }
            whoWhom(site)
            destinations(site)
            typedInto(site)
            // Values compared across sites.
            for row in ids("comparison", "-") where rows["comparison"]?["-"]?[row]?["site"] == site {
                let value = Variable(file: "comparison", site: "-", row: row, column: "value")
                let management = ids("by_purpose", site).first { $0.hasPrefix("management") }
                let transcription = ids("who", site).first { $0.hasPrefix("transcription") }
                let metricKey = String(row.split(separator: "|").first ?? "")
                switch metricKey {
                case "re_entries": equations.append(.sum(total: re, parts: [value]))
                case "redundancy_rate": equations.append(.ratio(rate: value, numerator: re, denominator: entries))
                case "management_share":
                    if let management {
                        equations.append(
                            .ratio(
                                rate: value, numerator: variable("by_purpose", site, management, "re_entries"),
                                denominator: re))
                    }
                case "transcription_share":
                    if let transcription {
                        equations.append(
                            .ratio(
                                rate: value, numerator: variable("who", site, transcription, "re_entries"),
                                denominator: re))
                    }
                default: break
                }
            }
        }
    }

    /// Re-entries into a profession add up to its re-entries (by_profession); a pair of staff groups is the sum
    /// of its pairs of professions, when no profession row is a merge of several.
    mutating func whoWhom(_ site: String) {
        let professionRows = rows["by_profession"]?[site] ?? [:]
        let pairs = ids("who_whom", site).filter { !$0.hasPrefix("total") }
        // The translated word of each profession row → its id ("" for the export's own words).
        var idOfWord: [String: String] = [:]
        for (row, cells) in professionRows where !row.hasPrefix("total") {
            let into = pairs.filter { rows["who_whom"]?[site]?[$0]?["to"] == cells["profession"] }
            if !into.isEmpty {
                equations.append(
                    .sum(
                        total: variable("by_profession", site, row, "re_entries"),
                        parts: into.map { variable("who_whom", site, $0, "re_entries") }))
            }
            idOfWord[cells["profession"] ?? ""] = cells["key"] ?? ""
        }
        func group(_ word: String?) -> String? {
            guard let word, let id = idOfWord[word] else { return nil }
            if id == "others" || id == "all_professions_merged" { return nil }
            return Vocabulary.staffGroup(ofProfession: id).name
        }
        guard !pairs.isEmpty,
            pairs.allSatisfy({ group(rows["who_whom"]?[site]?[$0]?["from"]) != nil })
        else { return }
        // A staff row's key is its origin group; every group is an origin in the grid, which gives its word.
        let staffRows = ids("who_whom_staff", site).filter { !$0.hasPrefix("total") }
        var groupOfWord: [String: String] = [:]
        for staff in staffRows {
            groupOfWord[rows["who_whom_staff"]?[site]?[staff]?["from"] ?? ""] = String(staff.split(separator: "|")[0])
        }
        for staff in staffRows {
            let from = String(staff.split(separator: "|")[0])
            let to = groupOfWord[rows["who_whom_staff"]?[site]?[staff]?["to"] ?? ""]
            let terms = pairs.filter {
                let row = rows["who_whom"]?[site]?[$0]
                return group(row?["from"]) == from && group(row?["to"]) == to
            }
            equations.append(
                .sum(
                    total: variable("who_whom_staff", site, staff, "re_entries"),
                    parts: terms.map { variable("who_whom", site, $0, "re_entries") }))
        }
    }

    /// A destination purpose adds up its systems (entries, re-entries), a pair of purposes its flows, as the
    /// declarations map the site's systems.
    mutating func destinations(_ site: String) {
        guard let declared = purposes[site], !ids("by_destination_purpose", site).isEmpty else { return }
        func purpose(_ system: String?) -> String { system.flatMap { declared[$0] } ?? "not_declared" }
        let systems = ids("by_system", site).filter { !$0.hasPrefix("total") }
        var idOfWord: [String: String] = [:]
        for row in ids("by_destination_purpose", site) where !row.hasPrefix("total") {
            let key = String(row.split(separator: "|").first ?? "")
            idOfWord[rows["by_destination_purpose"]?[site]?[row]?["destination_purpose"] ?? ""] = key
            for column in ["entries", "re_entries"] {
                equations.append(
                    .sum(
                        total: variable("by_destination_purpose", site, row, column),
                        parts: systems.filter { purpose(rows["by_system"]?[site]?[$0]?["system"]) == key }.map {
                            variable("by_system", site, $0, column)
                        }))
            }
        }
        let flows = ids("flows", site).filter { !$0.hasPrefix("total") }
        for row in ids("purpose_flows", site) where !row.hasPrefix("total") {
            let cells = rows["purpose_flows"]?[site]?[row]
            let from = String(row.split(separator: "|").first ?? ""), to = idOfWord[cells?["to"] ?? ""]
            equations.append(
                .sum(
                    total: variable("purpose_flows", site, row, "re_entries"),
                    parts: flows.filter {
                        let flow = rows["flows"]?[site]?[$0]
                        return purpose(flow?["from"]) == from && purpose(flow?["to"]) == to
                    }.map { variable("flows", site, $0, "re_entries") }))
        }
    }

    /// Who types again, into what, for whom: the rows of one profession add up to its re-entries (by_profession),
    /// of one system to its re-entries (by_system), of one purpose to its re-entries (by_destination_purpose);
    /// the rows of a staff group to what it typed again (who_whom_staff, into it), a figure no file shows.
    mutating func typedInto(_ site: String) {
        for file in Self.typedInto {
            let rowsOf = ids(file, site).filter { !$0.hasPrefix("total") }
            guard !rowsOf.isEmpty else { continue }
            for (shown, column, word) in [
                ("by_system", "system", "system"),
                ("by_destination_purpose", "destination_purpose", "destination_purpose"),
                ("by_profession", "profession", "profession"),
            ] {
                for row in ids(shown, site) where !row.hasPrefix("total") {
                    let name = rows[shown]?[site]?[row]?[word]
                    let parts = rowsOf.filter { rows[file]?[site]?[$0]?[column] == name }
                    guard !parts.isEmpty else { continue }
                    equations.append(
                        .sum(
                            total: variable(shown, site, row, "re_entries"),
                            parts: parts.map { variable(file, site, $0, "re_entries") }))
                }
            }
            guard file == "staff_system_purpose" else { continue }
            let pairs = ids("who_whom_staff", site).filter { !$0.hasPrefix("total") }
            for group in Set(rowsOf.compactMap { rows[file]?[site]?[$0]?["staff_group"] }) {
                let typed = Variable(file: "=typed", site: site, row: group, column: "re_entries")
                equations.append(
                    .sum(
                        total: typed,
                        parts: rowsOf.filter { rows[file]?[site]?[$0]?["staff_group"] == group }.map {
                            variable(file, site, $0, "re_entries")
                        }))
                let into = pairs.filter { rows["who_whom_staff"]?[site]?[$0]?["to"] == group }
                if !into.isEmpty {
                    equations.append(
                        .sum(total: typed, parts: into.map { variable("who_whom_staff", site, $0, "re_entries") }))
                }
            }
        }
    }

    /// Solves to a fixed point; returns the small counts that came back.
    mutating func recovered() -> [Variable] {
        var leaks: [Variable] = []
        var current = ""
        func learn(_ variable: Variable, _ value: Double) {
            guard known[variable] == nil, value.isFinite else { return }
            known[variable] = value
            why[variable] = "\(value) from \(current)"
            if suppressed.contains(variable) { leaks.append(variable) }
        }
        var changed = true
        while changed {
            changed = false
            for equation in equations {
                let before = known.count
                current = "\(equation)"
                switch equation {
                case .sum(let total, let parts):
                    let unknown = ([total] + parts).filter { known[$0] == nil }
                    guard unknown.count == 1 else { continue }
                    let partsSum = parts.compactMap { known[$0] }.reduce(0, +)
                    if unknown[0] == total {
                        learn(total, partsSum)
                    } else {
                        learn(unknown[0], known[total]! - partsSum)
                    }
                case .ratio(let rate, let numerator, let denominator):
                    let unknown = [rate, numerator, denominator].filter { known[$0] == nil }
                    guard unknown.count == 1 else { continue }
                    if unknown[0] == rate, known[denominator]! > 0 {
                        learn(rate, known[numerator]! / known[denominator]!)
                    }
                    if unknown[0] == numerator { learn(numerator, (known[rate]! * known[denominator]!).rounded()) }
                    if unknown[0] == denominator, known[rate]! > 0 {
                        learn(denominator, (known[numerator]! / known[rate]!).rounded())
                    }
                }
                if known.count != before { changed = true }
            }
        }
        return leaks
    }
}

@Suite("No hidden count comes back from the published numbers")
struct LeakRecomputeTests {
    func attack(_ exports: String, key: String, _ folder: TemporaryFolder, extra: [String] = []) throws -> (
        PublishedAttack, [PublishedAttack.Variable]
    ) {
        defer { _ = 0 }
        let out = folder.file("csv-\(UUID().uuidString)")
        let run = try BinaryRunner.run(
            ["analyze", exports, "--key-file", key, "--format", "csv", "-o", out, "-q"] + extra)
        #expect(run.status == 0, "\(run.stderr)")
        var attack = try PublishedAttack(folder: out)
        let leaks = attack.recovered()
        if ProcessInfo.processInfo.environment["LEAK_DEBUG"] != nil {
            for (variable, reason) in attack.why.sorted(by: { "\($0.key)" < "\($1.key)" }) {
                print("LEARNED \(variable): \(reason)")
            }
        }
        return (attack, leaks)
    }

    @Test("demo audit, French and English: the same numbers, and no small count recomputed")
    func demo() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let (attack, leaks) = try attack(PackagePaths.fixture("demo"), key: keyFile, folder)
        #expect(!attack.suppressed.isEmpty)
        #expect(attack.equations.count > 100)
        #expect(leaks.isEmpty, "\(leaks.map { "\($0): \(attack.why[$0] ?? "")" }.joined(separator: "\n"))")
        // The other language publishes the same numbers under the same keys.
        let fr = folder.file("fr"), en = folder.file("en")
        for (lang, dir) in [("fr", fr), ("en", en)] {
            #expect(
                try BinaryRunner.run([
                    "analyze", "--key-file", keyFile, "--format", "csv", "-o", dir, "--lang", lang, "-q",
                ]).status == 0)
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: fr) {
            let a = parseSimpleCSV(try String(contentsOfFile: fr + "/" + name, encoding: .utf8))
            let b = parseSimpleCSV(try String(contentsOfFile: en + "/" + name, encoding: .utf8))
            #expect(a.count == b.count && a.first == b.first, "\(name)")
            for (x, y) in zip(a, b) {
                for (index, (u, v)) in zip(x, y).enumerated() where Double(u) != nil || Double(v) != nil {
                    #expect(u == v, "\(name) column \(index)")
                }
            }
        }
    }

    @Test("demo with its audit.toml (types, and what each system is for): no small count recomputed")
    func demoWithPurposes() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let out = folder.file("csv")
        let run = try BinaryRunner.run([
            "analyze", "--audit", PackagePaths.fixture("demo-audit.toml"), "--key-file", keyFile, "--format", "csv",
            "-o", out, "-q",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        // What Fixtures/demo-audit.toml declares.
        var attack = try PublishedAttack(
            folder: out,
            purposes: [
                "ehpad-les-tilleuls": ["DUI": "care_coordination", "DPI": "legal_trace"],
                "ch-val-de-loire": ["DPI": "care_coordination", "DUI": "activity_reporting"],
                "msp-du-parc": ["SIP": "funder_reporting"],
            ])
        #expect(!attack.ids("by_destination_purpose", "msp-du-parc").isEmpty)
        #expect(!attack.ids("purpose_flows", "total").isEmpty)
        #expect(!attack.ids("profession_system_purpose", "msp-du-parc").isEmpty)
        #expect(!attack.ids("staff_system_purpose", "total").isEmpty)
        let leaks = attack.recovered()
        #expect(leaks.isEmpty, "\(leaks.map { "\($0): \(attack.why[$0] ?? "")" }.joined(separator: "\n"))")
    }

    @Test("synthetic audits of 3 and 30 sites: no small count recomputed", arguments: [(3, 9000), (30, 24000)])
    func synth(sites: Int, entries: Int) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let audit = folder.file("audit")
        let made = try BinaryRunner.run([
            "synth", "--out", audit, "--sites", "\(sites)", "--entries", "\(entries)", "--seed", "5", "--quiet",
        ])
        #expect(made.status == 0, "\(made.stderr)")
        let (attack, leaks) = try attack(audit, key: keyFile, folder, extra: ["--suppress-below", "11"])
        #expect(attack.suppressed.count > (sites == 30 ? 100 : 3), "\(attack.suppressed.count)")
        #expect(leaks.isEmpty, "\(leaks.prefix(10))")
    }

    @Test("a hospital discharging to an EHPAD (synth --shared-patients): the pathway tables leak no small count")
    func synthSharedPatients() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let audit = folder.file("audit")
        let made = try BinaryRunner.run([
            "synth", "--out", audit, "--sites", "3", "--entries", "9000", "--seed", "5", "--shared-patients", "--quiet",
        ])
        #expect(made.status == 0, "\(made.stderr)")
        let (attack, leaks) = try attack(audit, key: keyFile, folder, extra: ["--suppress-below", "11"])
        #expect(attack.ids("pathways", "-").count == 2)
        #expect(!attack.ids("pathway_categories", "-").isEmpty)
        #expect(attack.suppressed.contains { $0.file == "pathway_categories" }, "\(attack.suppressed.count)")
        #expect(leaks.isEmpty, "\(leaks.prefix(10))")
    }

    @Test("facts re-typed into another category (synth --cross-category): the tables leak no small count")
    func synthCrossCategory() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let audit = folder.file("audit")
        let made = try BinaryRunner.run([
            "synth", "--out", audit, "--sites", "3", "--entries", "9000", "--seed", "5", "--cross-category", "--quiet",
        ])
        #expect(made.status == 0, "\(made.stderr)")
        let (attack, leaks) = try attack(audit, key: keyFile, folder, extra: ["--suppress-below", "11"])
        #expect(!attack.ids("cross_categories", "-").isEmpty)
        #expect(!attack.ids("cross_category_purposes", "-").isEmpty)
        #expect(leaks.isEmpty, "\(leaks.prefix(10))")
    }

    @Test(
        "synthetic audits with a spreadsheet and a paper log (kind other): a site of five systems, no small count recomputed",
        arguments: [(1, 6000), (3, 9000)])
    func synthOtherSystems(sites: Int, entries: Int) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let audit = folder.file("audit")
        let made = try BinaryRunner.run([
            "synth", "--out", audit, "--sites", "\(sites)", "--entries", "\(entries)", "--seed", "5", "--other-systems",
            "--quiet",
        ])
        #expect(made.status == 0, "\(made.stderr)")
        let (attack, leaks) = try attack(audit, key: keyFile, folder, extra: ["--suppress-below", "11"])
        // DPI, DUI, SIP, Excel and the paper log at the first site when it is the only one (the EHPAD otherwise).
        let site = sites == 1 ? "ch-bords-de-loire" : "ehpad-les-glycines"
        let systems = Set(
            attack.ids("by_system", site).filter { !$0.hasPrefix("total") }.compactMap {
                attack.rows["by_system"]?[site]?[$0]?["system"]
            })
        #expect(
            systems.isSuperset(of: ["Excel", "Cahier de transmissions"]) && systems.count == (sites == 1 ? 5 : 4),
            "\(systems)")
        #expect(!attack.suppressed.isEmpty)
        #expect(leaks.isEmpty, "\(leaks.prefix(10))")
    }
}
