import RessaisieCore

/// `--format csv --output DIR`: one CSV file per table, each row prefixed by its site (`total` for all
/// sites together). Headers are the stable column ids; a row's first label is given twice, as its stable
/// key (`key`, never translated) and as its translated label; numbers use a point and no thousands
/// separator so that spreadsheets and scripts read them. A hidden cell is left empty and named in the
/// row's `status` column (`re_entries:suppressed` for a small count, `redundancy_rate:withheld` for a
/// cell hidden to protect another, `re_entries:few_authors` for a pair of professions or staff groups one
/// of which has too few authors), so that numeric columns hold only numbers.
public enum TablesCSV {
    /// File name → contents, in a stable order.
    public static func render(_ report: PublishedReport, language: ReportLanguage) -> [(name: String, contents: String)]
    {
        let v = Wording(
            language, threshold: report.disclosure.threshold,
            minAuthorsPerProfession: report.disclosure.minAuthorsPerProfession)
        var files: [(String, String)] = []
        let sites = report.sites + [report.totals]
        for id in report.totals.tables.map(\.id) {
            // Sites may differ in columns (FTE; hours per day on a period under a week): the header holds
            // every column id in order of appearance, each row's cells go under their ids.
            let tables = sites.compactMap { site in site.table(id).map { (site, $0) } }
            var ids: [String] = []
            for (_, table) in tables {
                var previous = -1
                for column in table.columns.map(\.id) {
                    if let index = ids.firstIndex(of: column) {
                        previous = index
                        continue
                    }
                    previous += 1
                    ids.insert(column, at: previous)
                }
            }
            let unit = ids.contains("value")
            var lines = [(["site", "key"] + ids + (unit ? ["unit"] : []) + ["status"]).joined(separator: ",")]
            for (site, table) in tables {
                let name = site.isTotal ? "total" : site.name
                for (index, row) in (table.rows + (table.total.map { [$0] } ?? [])).enumerated() {
                    lines.append(
                        line(
                            prefix: [name], row: row, columns: table.columns.map(\.id), ids: ids, unit: unit,
                            fewAuthors: table.protectedRows.contains(index), v))
                }
            }
            files.append((id + ".csv", lines.joined(separator: "\n") + "\n"))
        }
        let definitions = PublishedTable(
            id: "definitions", columns: [.init("term"), .init("definition")],
            rows: v.definitions().map { [.label($0.id), .text($0.definition)] })
        for table in [
            report.comparison, report.quartiles, report.dataQuality, report.method, definitions,
            SettingsTable.table(report.settings),
        ]
            + (report.evidence.isEmpty ? [] : [EvidenceTable.table(report.evidence, v)])
            + (report.pathways.rows.isEmpty ? [] : [report.pathways, report.pathwayCategories])
            + (report.crossCategories.rows.isEmpty ? [] : [report.crossCategories, report.crossCategoryPurposes])
        {
            let ids = table.columns.map(\.id)
            let unit = ids.contains("value")
            let lines =
                [(["key"] + ids + (unit ? ["unit"] : []) + ["status"]).joined(separator: ",")]
                + table.rows.map { line(prefix: [], row: $0, columns: ids, ids: ids, unit: unit, v) }
            files.append((table.id + ".csv", lines.joined(separator: "\n") + "\n"))
        }
        return files
    }

    /// One row: the prefix, the stable key of its first label, its cells under `ids`, the unit of its
    /// `value` (a table of mixed figures: `count`, `fraction`, `minutes`, `hours`…), and its status.
    /// `fewAuthors`: the row's withheld cells are hidden for a group of too few authors (`few_authors`).
    static func line(
        prefix: [String], row: [Cell], columns: [String], ids: [String], unit: Bool = false, fewAuthors: Bool = false,
        _ v: Wording
    ) -> String {
        // The row's first label (a metric, a system, a category…), untranslated.
        var key = ""
        for cell in row {
            if case .label(let id) = cell {
                key = id
                break
            }
        }
        var fields = Array(repeating: "", count: ids.count)
        var status: [String] = []
        for (index, cell) in row.enumerated() where index < columns.count {
            guard let slot = ids.firstIndex(of: columns[index]) else { continue }
            switch cell {
            case .suppressed: status.append(columns[index] + ":suppressed")
            case .withheld: status.append(columns[index] + (fewAuthors ? ":few_authors" : ":withheld"))
            default: fields[slot] = value(cell, v)
            }
        }
        var units: [String] = []
        if unit, let index = columns.firstIndex(of: "value"), index < row.count {
            units = [Self.unit(of: row[index], key: key)]
        }
        return CSVField.line(prefix + [key] + fields + units + [status.joined(separator: " ")])
    }

    /// What a value counts in, for a reader of the CSV alone.
    static func unit(of cell: Cell, key: String) -> String {
        let hours =
            key.contains("per_day") ? "hours_per_day" : key.contains("per_week") ? "hours_per_week" : "hours_per_month"
        switch cell {
        case .count, .rank, .tiedRank: return "count"
        case .rate: return "fraction"
        case .minutes: return "minutes"
        case .hours: return hours
        case .fte: return "fte"
        case .number: return "number"
        case .suppressed: return "count"
        case .withheld, .none, .label, .text:
            if key.hasPrefix("lag") { return "minutes" }
            if key.hasPrefix("hours") { return hours }
            if key.contains("rate") || key.contains("share") { return "fraction" }
            return ""
        }
    }

    /// A cell for a spreadsheet: plain numbers (rates as fractions, 4 decimals; hours 2), words translated.
    static func value(_ cell: Cell, _ v: Wording) -> String {
        switch cell {
        case .label(let id): v.word(id)
        case .text(let text): text
        case .count(let n), .rank(let n), .tiedRank(let n): String(n)
        case .rate(let r): JSONValue.number(r, decimals: 4)
        case .hours(let h), .fte(let h), .number(let h): JSONValue.number(h, decimals: 2)
        case .minutes(let m): JSONValue.number(m, decimals: 1)
        case .suppressed: v.suppressedMark
        case .withheld: Wording.withheldMark
        case .none: ""
        }
    }
}
