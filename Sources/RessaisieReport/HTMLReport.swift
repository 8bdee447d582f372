import RessaisieCore

/// `--format html`: one self-contained page (inline CSS and SVG, no script, no external resource) with
/// charts (redundancy per site, hours range, flow matrix, re-entries by category and profession, lag
/// distribution) and the tables of the Markdown report. Reads only a `PublishedReport`; a hidden count is
/// drawn as no bar at all, labelled `<11`.
public enum HTMLReport {
    /// The title, when the report was generated, and what it keeps private.
    static func header(_ report: PublishedReport, _ v: Wording) -> String {
        var header = "<h1>\(escape(v.word("title")))</h1>\n"
        if let generated = report.generatedAt {
            header += "<p class=\"meta\">\(escape(v.word("generated"))) \(escape(v.timestamp(generated)))</p>\n"
        }
        return header
            + "<p class=\"privacy\"><strong>\(escape(v.word("privacy")))</strong> — \(escape(v.privacyText(report.disclosure)))</p>\n"
    }

    public static func render(_ report: PublishedReport, language: ReportLanguage) -> String {
        let v = Wording(
            language, threshold: report.disclosure.threshold,
            minAuthorsPerProfession: report.disclosure.minAuthorsPerProfession)
        var body = header(report, v)

        // Across sites first: the picture a steering committee looks at.
        body += "<section><h2>\(escape(v.word("summary")))</h2>\n<div class=\"charts\">\n"
        let names = report.sites.map(\.name)
        let rates = report.sites.map { site in overviewCell(site, "redundancy_rate") }
        body += figure(v.word("chart_redundancy"), barChart(zip(names, rates).map { ($0, $1) }, v))
        let ranges = report.sites.map { site in
            // A site of under a week has no figure per month: said, not drawn.
            site.period?.short == true
                ? (site.name, Cell.none, Cell.label("short_period"), Cell.none)
                : (
                    site.name, overviewCell(site, "hours_per_month_low"), overviewCell(site, "hours_per_month_central"),
                    overviewCell(site, "hours_per_month_high")
                )
        }
        body += figure(v.word("chart_hours"), rangeChart(ranges, v))
        body += "</div>\n"
        if report.sites.count > 1 {
            body +=
                "<h3>\(escape(v.word("quartiles")))</h3>\n<p>\(escape(v.peersNote(report)))</p>\n"
                + table(report.quartiles, v)
        }
        body += "</section>\n"

        for site in report.sites + [report.totals] {
            body += "<section><h2>\(escape(site.isTotal ? v.word("all_sites") : site.name))</h2>\n"
            if let period = site.period { body += "<p class=\"meta\">\(escape(v.period(period)))</p>\n" }
            if let line = v.reviewedLine(site, review: report.settings.review) {
                body += "<p class=\"reviewed\"><strong>\(escape(line))</strong></p>\n"
            }
            body += "<div class=\"charts\">\n"
            if let flows = site.table("flows") {
                // Only the systems the site has: a system it lacks would read as a flow of zero.
                let present = site.table("by_system")?.rows.compactMap { row -> String? in
                    if case .label(let name) = row[0] { return name }
                    return nil
                }
                body += figure(v.word("flow_matrix"), flowMatrix(flows, systems: present ?? Self.systems(in: flows), v))
            }
            if let categories = site.table("by_category"), let column = categories.column("re_entries") {
                body += figure(
                    v.word("chart_category"), barChart(categories.rows.map { (v.format($0[0]), $0[column]) }, v))
            }
            if let professions = site.table("by_profession"), let column = professions.column("re_entries") {
                body += figure(
                    v.word("chart_profession"), barChart(professions.rows.map { (v.format($0[0]), $0[column]) }, v))
            }
            if let lag = site.table("lag") {
                body += figure(v.word("chart_lag"), columnChart(lag.rows.map { (v.format($0[0]), $0[1]) }, v))
            }
            body += "</div>\n"
            for published in site.tables {
                body += "<h3>\(escape(v.word(published.id)))</h3>\n"
                if let period = site.period, published.showsHours, published.id != "overview" {
                    body += "<p class=\"meta\">\(escape(v.period(period)))</p>\n"
                }
                if published.id == "what_if" { body += "<p>\(escape(v.word("what_if_intro")))</p>\n" }
                if published.id == "who" { body += "<p>\(escape(v.word("who_intro")))</p>\n" }
                if published.id == "who_whom" { body += "<p>\(escape(v.word("who_whom_intro")))</p>\n" }
                if published.id == "by_destination_purpose" {
                    body += "<p>\(escape(v.word("destination_intro")))</p>\n"
                }
                if published.id == "profession_system_purpose" {
                    body += "<p>\(escape(v.word("typed_into_intro")))</p>\n"
                }
                body += table(published, v, header: published.id != "overview")
            }
            body += "</section>\n"
        }
        if report.sites.count > 1 {
            body +=
                "<section><h2>\(escape(v.word("comparison_title")))</h2>\n<p>\(escape(v.peersNote(report)))</p>\n"
                + table(report.comparison, v) + "</section>\n"
        }
        body += acrossSections(report, v)
        body +=
            "<section><h2>\(escape(v.word("data_quality")))</h2>\n" + table(report.dataQuality, v, header: false)
            + "</section>\n"
        body +=
            "<section><h2>\(escape(v.word("method")))</h2>\n<p>\(escape(v.word("method_intro")))</p>\n"
            + "<p>\(escape(v.accuracyText(report.settings.review)))</p>\n"
            + table(report.method, v, header: false)
            + "<h3>\(escape(v.word("definitions")))</h3>\n<dl>"
            + v.definitions().map { "<dt>\(escape($0.term))</dt><dd>\(escape($0.definition))</dd>" }.joined()
            + "</dl>\n"
            + "<p>\(escape(v.word("method_text")))</p>\n" + table(SettingsTable.table(report.settings), v)
            + "</section>\n"
        if !report.evidence.isEmpty {
            body +=
                "<section><h2>\(escape(v.word("evidence")))</h2>\n" + table(EvidenceTable.table(report.evidence, v), v)
                + "</section>\n"
        }

        return """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(v.word("title")))</title>
            <style>
            \(style)
            </style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }

    static let style = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1d2733; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; }
        h1 { font-size: 1.6rem; } h2 { border-bottom: 2px solid #2a6f97; padding-bottom: .2rem; margin-top: 2.2rem; } h3 { margin-top: 1.4rem; font-size: 1.05rem; }
        .meta { color: #5b6b7b; } .privacy { background: #f1f6f9; border-left: 4px solid #2a6f97; padding: .6rem .8rem; font-size: .9rem; }
        .charts { display: flex; flex-wrap: wrap; gap: 1.2rem; } figure { margin: 0; border: 1px solid #dde5ec; border-radius: 6px; padding: .6rem; background: #fff; }
        figcaption { font-weight: 600; font-size: .9rem; margin-bottom: .3rem; }
        table { border-collapse: collapse; font-size: .88rem; margin: .4rem 0 1rem; } th, td { border-bottom: 1px solid #e3e9ee; padding: .25rem .6rem; }
        th { background: #f5f8fa; text-align: left; } td.n { text-align: right; font-variant-numeric: tabular-nums; } tr.total td { font-weight: 700; }
        td.s { color: #8a96a3; font-style: italic; text-align: right; }
        svg text { font-family: inherit; font-size: 11px; fill: #1d2733; } svg .muted { fill: #8a96a3; font-style: italic; }
        """

    // MARK: Tables

    /// Audit-level sections apart from each site's figures: pathways across organizations, re-entries across
    /// categories; each only when it has rows.
    static func acrossSections(_ report: PublishedReport, _ v: Wording) -> String {
        var body = ""
        if !report.pathways.rows.isEmpty {
            body +=
                "<section><h2>\(escape(v.word("pathways_title")))</h2>\n<p>\(escape(v.word("pathways_intro")))</p>\n"
                + table(report.pathways, v) + "<h3>\(escape(v.word("pathway_categories")))</h3>\n"
                + table(report.pathwayCategories, v) + "</section>\n"
        }
        if !report.crossCategories.rows.isEmpty {
            body +=
                "<section><h2>\(escape(v.word("cross_categories_title")))</h2>\n"
                + "<p>\(escape(v.word("cross_categories_intro")))</p>\n" + table(report.crossCategories, v)
                + "<h3>\(escape(v.word("cross_category_purposes")))</h3>\n"
                + table(report.crossCategoryPurposes, v) + "</section>\n"
        }
        return body
    }

    static func table(_ published: PublishedTable, _ v: Wording, header: Bool = true) -> String {
        guard !published.rows.isEmpty else { return "<p>–</p>\n" }
        var out = "<table>\n"
        if header { out += "<tr>" + published.columns.map { "<th>\(escape(v.word($0.id)))</th>" }.joined() + "</tr>\n" }
        func row(_ cells: [Cell], total: Bool) -> String {
            "<tr\(total ? " class=\"total\"" : "")>"
                + cells.map { cell in
                    let kind: String
                    switch cell {
                    case .label, .text: kind = ""
                    case .suppressed, .withheld: kind = " class=\"s\""
                    default: kind = " class=\"n\""
                    }
                    return "<td\(kind)>\(escape(v.format(cell)))</td>"
                }.joined() + "</tr>\n"
        }
        for cells in published.rows { out += row(cells, total: false) }
        if let total = published.total { out += row(total, total: true) }
        return out + "</table>\n"
    }

    static func overviewCell(_ site: PublishedSite, _ metric: String) -> Cell {
        site.table("overview")?.rows.first { $0.first == .label(metric) }?[1] ?? .none
    }

    // MARK: Charts

    static func figure(_ caption: String, _ svg: String) -> String {
        "<figure><figcaption>\(escape(caption))</figcaption>\n\(svg)</figure>\n"
    }

    /// Horizontal bars, one per item; a hidden value gets no bar and its `<11` mark.
    static func barChart(_ items: [(String, Cell)], _ v: Wording) -> String {
        let labelWidth = 150.0, barWidth = 260.0, rowHeight = 22.0
        let height = max(1, Double(items.count)) * rowHeight + 8
        let largest = items.compactMap { $0.1.number }.max() ?? 0
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(labelWidth + barWidth + 70))\" height=\"\(Int(height))\" role=\"img\">\n"
        for (index, (label, cell)) in items.enumerated() {
            let y = 4 + Double(index) * rowHeight
            svg +=
                "<text x=\"\(Int(labelWidth - 6))\" y=\"\(y + 15)\" text-anchor=\"end\">\(escape(truncate(label, 24)))</text>"
            if let value = cell.number {
                let width = largest > 0 && value > 0 ? max(1, value / largest * barWidth) : 0
                if width > 0 {
                    svg +=
                        "<rect x=\"\(Int(labelWidth))\" y=\"\(y + 3)\" width=\"\(format(width))\" height=\"\(rowHeight - 6)\" fill=\"#2a6f97\"/>"
                }
                svg +=
                    "<text x=\"\(format(labelWidth + width + 5))\" y=\"\(y + 15)\">\(escape(v.format(cell)))</text>\n"
            } else {
                svg +=
                    "<text class=\"muted\" x=\"\(Int(labelWidth + 4))\" y=\"\(y + 15)\">\(escape(v.format(cell)))</text>\n"
            }
        }
        return svg + "</svg>\n"
    }

    /// Vertical columns (lag distribution).
    static func columnChart(_ items: [(String, Cell)], _ v: Wording) -> String {
        let columnWidth = 58.0, plotHeight = 140.0, top = 18.0
        let width = Double(items.count) * columnWidth + 20
        let largest = items.compactMap { $0.1.number }.max() ?? 0
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(top + plotHeight + 36))\" role=\"img\">\n"
        for (index, (label, cell)) in items.enumerated() {
            let x = 10 + Double(index) * columnWidth
            let center = x + columnWidth / 2
            if let value = cell.number {
                let height = largest > 0 ? value / largest * plotHeight : 0
                svg +=
                    "<rect x=\"\(format(x + 8))\" y=\"\(format(top + plotHeight - height))\" width=\"\(format(columnWidth - 16))\" height=\"\(format(height))\" fill=\"#61a5c2\"/>"
                svg +=
                    "<text x=\"\(format(center))\" y=\"\(format(top + plotHeight - height - 4))\" text-anchor=\"middle\">\(escape(v.format(cell)))</text>"
            } else {
                svg +=
                    "<text class=\"muted\" x=\"\(format(center))\" y=\"\(format(top + plotHeight - 4))\" text-anchor=\"middle\">\(escape(v.format(cell)))</text>"
            }
            svg +=
                "<text x=\"\(format(center))\" y=\"\(format(top + plotHeight + 16))\" text-anchor=\"middle\">\(escape(label))</text>\n"
        }
        svg +=
            "<line x1=\"10\" y1=\"\(format(top + plotHeight))\" x2=\"\(format(width - 10))\" y2=\"\(format(top + plotHeight))\" stroke=\"#8a96a3\"/>\n"
        return svg + "</svg>\n"
    }

    /// Low – high range with the central estimate marked, per site, on a common scale.
    static func rangeChart(_ items: [(String, Cell, Cell, Cell)], _ v: Wording) -> String {
        let labelWidth = 150.0, plotWidth = 260.0, rowHeight = 24.0
        let largest = items.compactMap { $0.3.number }.max() ?? 0
        let height = max(1, Double(items.count)) * rowHeight + 8
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(labelWidth + plotWidth + 120))\" height=\"\(Int(height))\" role=\"img\">\n"
        func x(_ value: Double) -> Double { labelWidth + (largest > 0 ? value / largest * plotWidth : 0) }
        for (index, (label, low, central, high)) in items.enumerated() {
            let y = 4 + Double(index) * rowHeight + 12
            svg +=
                "<text x=\"\(Int(labelWidth - 6))\" y=\"\(format(y + 4))\" text-anchor=\"end\">\(escape(truncate(label, 24)))</text>"
            if let l = low.number, let c = central.number, let h = high.number {
                svg +=
                    "<line x1=\"\(format(x(l)))\" y1=\"\(format(y))\" x2=\"\(format(x(h)))\" y2=\"\(format(y))\" stroke=\"#61a5c2\" stroke-width=\"8\" stroke-linecap=\"round\"/>"
                svg += "<circle cx=\"\(format(x(c)))\" cy=\"\(format(y))\" r=\"5\" fill=\"#01497c\"/>"
                svg +=
                    "<text x=\"\(format(x(h) + 10))\" y=\"\(format(y + 4))\">\(escape(v.format(central))) h (\(escape(v.format(low))) – \(escape(v.format(high))))</text>\n"
            } else {
                svg +=
                    "<text class=\"muted\" x=\"\(Int(labelWidth + 4))\" y=\"\(format(y + 4))\">\(escape(v.format(central)))</text>\n"
            }
        }
        return svg + "</svg>\n"
    }

    /// The systems a flows table names, each once, in the order they first appear.
    static func systems(in flows: PublishedTable) -> [String] {
        var names: [String] = []
        for row in flows.rows {
            for cell in row.prefix(2) { if case .label(let name) = cell, !names.contains(name) { names.append(name) } }
        }
        return names
    }

    /// Original system (rows) × re-entry system (columns), shaded by re-entries; `systems` in the order shown
    /// (the systems table's: `DPI`, `DUI`, `SIP`, then the others).
    static func flowMatrix(_ flows: PublishedTable, systems: [String], _ v: Wording) -> String {
        let count = Double(max(systems.count, 1))
        var cells: [String: Cell] = [:]
        for row in flows.rows {
            if case .label(let from) = row[0], case .label(let to) = row[1] { cells[from + ">" + to] = row[2] }
        }
        let largest = cells.values.compactMap(\.number).max() ?? 0
        let size = 64.0, left = 90.0, top = 40.0
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(left + size * count + 10))\" height=\"\(Int(top + size * count + 10))\" role=\"img\">\n"
        svg +=
            "<text x=\"\(format(left + size * count / 2))\" y=\"12\" text-anchor=\"middle\">\(escape(v.word("to"))) →</text>\n"
        for (column, to) in systems.enumerated() {
            svg +=
                "<text x=\"\(format(left + size * (Double(column) + 0.5)))\" y=\"\(format(top - 8))\" text-anchor=\"middle\">\(to)</text>"
        }
        for (row, from) in systems.enumerated() {
            let y = top + size * Double(row)
            svg +=
                "<text x=\"\(format(left - 8))\" y=\"\(format(y + size / 2 + 4))\" text-anchor=\"end\">\(escape(v.word("from"))) \(from)</text>"
            for (column, to) in systems.enumerated() {
                let x = left + size * Double(column)
                let cell = cells[from + ">" + to] ?? .count(0)
                let intensity = (cell.number.map { largest > 0 ? $0 / largest : 0 }) ?? 0
                let fill = cell.isHidden ? "#eef1f4" : shade(intensity)
                svg +=
                    "<rect x=\"\(format(x + 1))\" y=\"\(format(y + 1))\" width=\"\(format(size - 2))\" height=\"\(format(size - 2))\" fill=\"\(fill)\"/>"
                let textClass = cell.isHidden ? " class=\"muted\"" : (intensity > 0.55 ? " style=\"fill:#fff\"" : "")
                svg +=
                    "<text\(textClass) x=\"\(format(x + size / 2))\" y=\"\(format(y + size / 2 + 4))\" text-anchor=\"middle\">\(escape(v.format(cell)))</text>\n"
            }
        }
        return svg + "</svg>\n"
    }

    /// White to dark blue.
    static func shade(_ t: Double) -> String {
        let t = max(0, min(1, t))
        func channel(_ from: Double, _ to: Double) -> String {
            let value = Int((from + (to - from) * t).rounded())
            let hex = String(value, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }
        return "#" + channel(247, 1) + channel(251, 73) + channel(255, 124)
    }

    static func format(_ value: Double) -> String { JSONValue.number(value, decimals: 1) }

    static func truncate(_ text: String, _ length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }

    /// Escapes text for HTML and SVG content and attributes.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
