import RessaisieCore

/// `--format csv --output DIR`: one CSV file per table, each row prefixed by its site (`total` for all
/// sites together). Headers are the stable column ids; numbers use a point and no thousands separator so
/// that spreadsheets and scripts read them; labels are translated; hidden counts read `<11`.
public enum TablesCSV {
    /// File name → contents, in a stable order.
    public static func render(_ report: PublishedReport, language: ReportLanguage) -> [(name: String, contents: String)] {
        let v = Wording(language, threshold: report.disclosure.threshold)
        var files: [(String, String)] = []
        let sites = report.sites + [report.totals]
        for id in report.totals.tables.map(\.id) {
            // Sites may differ in optional trailing columns (FTE): the widest header wins, rows are padded.
            let tables = sites.compactMap { site in site.table(id).map { (site, $0) } }
            let widest = tables.map(\.1.columns).max { $0.count < $1.count } ?? []
            let header = ["site"] + widest.map(\.id)
            var lines: [String] = []
            for (site, table) in tables {
                let name = site.isTotal ? "total" : site.name
                for row in table.rows + (table.total.map { [$0] } ?? []) {
                    var fields = [name] + row.map { value($0, v) }
                    fields += Array(repeating: "", count: max(0, header.count - fields.count))
                    lines.append(fields.map(GroupsCSV.escape).joined(separator: ","))
                }
            }
            files.append((id + ".csv", ([header.joined(separator: ",")] + lines).joined(separator: "\n") + "\n"))
        }
        for table in [report.comparison, report.quartiles, report.dataQuality, report.method, SettingsTable.table(report.settings)]
            + (report.evidence.isEmpty ? [] : [EvidenceTable.table(report.evidence, v)]) {
            let lines = [table.columns.map(\.id).joined(separator: ",")]
                + table.rows.map { $0.map { value($0, v) }.map(GroupsCSV.escape).joined(separator: ",") }
            files.append((table.id + ".csv", lines.joined(separator: "\n") + "\n"))
        }
        return files
    }

    /// A cell for a spreadsheet: plain numbers (rates as fractions, 4 decimals; hours 2), words translated.
    static func value(_ cell: Cell, _ v: Wording) -> String {
        switch cell {
        case .label(let id): v.word(id)
        case .text(let text): text
        case .count(let n), .rank(let n): String(n)
        case .rate(let r): JSONValue.number(r, decimals: 4)
        case .hours(let h), .fte(let h), .number(let h): JSONValue.number(h, decimals: 2)
        case .minutes(let m): JSONValue.number(m, decimals: 1)
        case .suppressed: v.suppressedMark
        case .withheld: Wording.withheldMark
        case .none: ""
        }
    }
}
