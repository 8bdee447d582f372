import RessaisieCore

/// `--format markdown`: the published report as GitHub-flavoured Markdown tables, per site then all
/// sites, the comparison, method and privacy notes. Reads only a `PublishedReport`.
public enum MarkdownReport {
    public static func render(_ report: PublishedReport, language: ReportLanguage) -> String {
        let v = Wording(
            language, threshold: report.disclosure.threshold,
            minAuthorsPerProfession: report.disclosure.minAuthorsPerProfession)
        var out = "# \(v.word("title"))\n\n"
        if let generated = report.generatedAt { out += "_\(v.word("generated")) \(v.timestamp(generated))_\n\n" }
        out += "> \(v.word("privacy"))\(v.colon) \(v.privacyText(report.disclosure))\n\n"

        for site in report.sites + [report.totals] {
            out += "## \(site.isTotal ? v.word("all_sites") : site.name)\n\n"
            if let period = site.period { out += v.period(period) + "\n\n" }
            if let line = v.reviewedLine(site, review: report.settings.review) { out += "**\(line)**\n\n" }
            for table in site.tables {
                out += "### \(v.word(table.id))\n\n"
                if let period = site.period, table.showsHours, table.id != "overview" {
                    out += "_\(v.period(period))_\n\n"
                }
                if table.id == "what_if" { out += v.word("what_if_intro") + "\n\n" }
                if table.id == "who" { out += v.word("who_intro") + "\n\n" }
                if table.id == "who_whom" { out += v.word("who_whom_intro") + "\n\n" }
                if table.id == "by_destination_purpose" { out += v.word("destination_intro") + "\n\n" }
                if table.id == "profession_system_purpose" { out += v.word("typed_into_intro") + "\n\n" }
                out += markdownTable(table, v, header: table.id != "overview")
            }
        }

        if report.sites.count > 1 {
            out += "## \(v.word("comparison_title"))\n\n" + v.peersNote(report) + "\n\n"
            out += "### \(v.word("quartiles"))\n\n" + markdownTable(report.quartiles, v)
            out += "### \(v.word("comparison"))\n\n" + markdownTable(report.comparison, v)
        }

        if !report.pathways.rows.isEmpty {
            out += "## \(v.word("pathways_title"))\n\n" + v.word("pathways_intro") + "\n\n"
            out += markdownTable(report.pathways, v)
            out += "### \(v.word("pathway_categories"))\n\n" + markdownTable(report.pathwayCategories, v)
        }
        if !report.crossCategories.rows.isEmpty {
            out += "## \(v.word("cross_categories_title"))\n\n" + v.word("cross_categories_intro") + "\n\n"
            out += markdownTable(report.crossCategories, v)
            out += "### \(v.word("cross_category_purposes"))\n\n" + markdownTable(report.crossCategoryPurposes, v)
        }

        out += "## \(v.word("data_quality"))\n\n" + markdownTable(report.dataQuality, v, header: false)
        out +=
            "## \(v.word("method"))\n\n" + v.word("method_intro") + " " + v.accuracyText(report.settings.review)
            + "\n\n"
        out += markdownTable(report.method, v, header: false)
        out +=
            "### \(v.word("definitions"))\n\n"
            + v.definitions().map { "- **\($0.term)** — \($0.definition)" }.joined(separator: "\n") + "\n\n"
        out += v.word("method_text") + "\n\n"
        out += markdownTable(SettingsTable.table(report.settings), v)
        if !report.evidence.isEmpty {
            out += "## \(v.word("evidence"))\n\n" + markdownTable(EvidenceTable.table(report.evidence, v), v)
        }
        return out
    }

    static func markdownTable(_ table: PublishedTable, _ v: Wording, header: Bool = true) -> String {
        guard !table.rows.isEmpty else { return "–\n\n" }
        func escape(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
        var out = ""
        let titles = header ? table.columns.map { v.word($0.id) } : table.columns.map { _ in " " }
        out += "| " + titles.map(escape).joined(separator: " | ") + " |\n"
        // Words left, numbers right (judged on the first row).
        out +=
            "|"
            + table.rows[0].map { cell -> String in
                switch cell {
                case .label, .text: " --- |"
                default: " ---: |"
                }
            }.joined() + "\n"
        for row in table.rows + (table.total.map { [$0] } ?? []) {
            let isTotal = table.total.map { row == $0 } ?? false
            let cells = row.map { escape(v.format($0)) }
            out += "| " + cells.map { isTotal ? "**\($0)**" : $0 }.joined(separator: " | ") + " |\n"
        }
        return out + "\n"
    }
}

/// The settings the figures depend on, as a table (cost model scenarios).
enum SettingsTable {
    static func table(_ settings: ReportSettings) -> PublishedTable {
        let model = settings.costModel
        var rows: [[Cell]] = []
        for (name, scenario) in [("low", model.low), ("central", model.central), ("high", model.high)] {
            rows.append([.label(name), .number(scenario.defaultOverhead), .number(scenario.wordsPerMinute)])
        }
        return PublishedTable(
            id: "settings", columns: [.init("scenario"), .init("overhead_minutes"), .init("words_per_minute")],
            rows: rows)
    }
}

/// Evidence examples as a table: site, group id, category, the systems in order with their lag and words.
enum EvidenceTable {
    static func table(_ examples: [EvidenceExample], _ v: Wording) -> PublishedTable {
        PublishedTable(
            id: "evidence", columns: [.init("site"), .init("group"), .init("category"), .init("steps")],
            rows: examples.map { example in
                let steps = example.steps.map { step in
                    "\(step.system.name) +\(v.duration(step.minutesAfter)) (\(v.words(step.words)))"
                }.joined(separator: " → ")
                return [.text(example.site), .text(example.groupID), .label(example.category), .text(steps)]
            })
    }
}
