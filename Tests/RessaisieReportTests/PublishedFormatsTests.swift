import Foundation
import RessaisieCore
import RessaisieIngest
import TestSupport
import Testing

@testable import RessaisieReport

@Suite("Published formats")
struct PublishedFormatsTests {
    /// Loads the secret audit through the real ingest and analysis.
    func analysed(staffing: Staffing? = nil) throws -> (ReportInput, EntryStore, Analysis, Set<String>) {
        let audit = SecretAudit()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for (path, contents) in audit.files { try folder.write(path, contents) }
        let loader = AuditLoader(
            pseudonymizer: Pseudonymizer(keyBytes: Array("published-formats-test-key".utf8)), options: IngestOptions())
        let loaded = try loader.load(paths: [folder.path])
        let analysis = Analysis(store: loaded.store, staffing: staffing)
        let settings = ReportSettings(
            toolVersion: "test", windowHours: 72, linkage: "l", matching: "m", timeZone: "Europe/Paris",
            ephemeralKey: false,
            generatedAt: 1_772_409_600)
        let input = ReportInput(
            metrics: analysis.metrics, quality: loaded.quality, linkage: analysis.linkage, settings: settings,
            clock: SiteClock(timeZone: TimeZone(identifier: "Europe/Paris")!))
        return (input, loaded.store, analysis, audit.secrets)
    }

    @Test("the fixture is what it says: 34 re-entries in alpha, 3 in beta")
    func fixture() throws {
        let (input, _, _, secrets) = try analysed()
        let alpha = try #require(input.metrics.sites.first { $0.site == "alpha" })
        let beta = try #require(input.metrics.sites.first { $0.site == "beta" })
        #expect(alpha.reEntries == 34 && alpha.transcriptions == 30 && alpha.selfReEntries == 4)
        #expect(beta.reEntries == 3)
        // Professions as ingest canonicalizes them: IDE → infirmier, kiné → kinesitherapeute.
        #expect(alpha.byProfession["infirmier"]?.authors == 6 && alpha.byProfession["kinesitherapeute"]?.authors == 2)
        #expect(secrets.count > 300)
    }

    @Test(
        "AuditReport renders each format as its renderer does: text and JSON with exact counts, published formats disclosed"
    )
    func auditReport() throws {
        let (input, store, analysis, _) = try analysed()
        let evidence = EvidenceExample.examples(groups: analysis.groups, store: store)
        let disclosure = Disclosure(threshold: 5)
        func rendered(_ format: AuditReport.Format, language: ReportLanguage = .fr) -> AuditReport.Rendered {
            AuditReport(format: format, language: language, disclosure: disclosure, evidence: true)
                .render(input, groups: analysis.groups, store: store)
        }
        let published = PublishedReport(input, disclosure: disclosure, evidence: evidence)
        let exact = PublishedReport(input, disclosure: disclosure.exactCounts, evidence: evidence)
        guard case .document(let text) = rendered(.text), case .document(let json) = rendered(.json),
            case .document(let html) = rendered(.html, language: .en),
            case .document(let markdown) = rendered(.markdown), case .tables(let tables) = rendered(.csv)
        else {
            Issue.record("csv gives tables, every other format one document")
            return
        }
        #expect(text == TextReport.render(input, published: exact))
        #expect(json == JSONReport.render(input, published: exact))
        #expect(html == HTMLReport.render(published, language: .en))
        #expect(markdown == MarkdownReport.render(published, language: .fr))
        #expect(tables.map(\.contents) == TablesCSV.render(published, language: .fr).map(\.contents))
    }

    @Test("every format, in both languages, with evidence: no identifier, name or note text of the inputs")
    func noSecrets() throws {
        let (input, store, analysis, secrets) = try analysed(
            staffing: Staffing(fte: ["alpha": ["infirmier": 4, "kinesitherapeute": 1]]))
        let evidence = EvidenceExample.examples(groups: analysis.groups, store: store)
        #expect(!evidence.isEmpty)
        let published = PublishedReport(input, disclosure: Disclosure(), evidence: evidence)
        let exact = PublishedReport(input, disclosure: Disclosure().exactCounts, evidence: evidence)
        var outputs = [TextReport.render(input), JSONReport.render(input, published: exact)]
        for language in ReportLanguage.allCases {
            outputs.append(MarkdownReport.render(published, language: language))
            outputs.append(HTMLReport.render(published, language: language))
            outputs += TablesCSV.render(published, language: language).map(\.contents)
        }
        for output in outputs {
            for secret in secrets {
                #expect(!output.contains(secret), "an output contains an input identifier or text: \(secret)")
            }
        }
    }

    @Test("published tables hide small counts and their secondary cells; professions merged")
    func suppression() throws {
        let (input, _, _, _) = try analysed()
        let report = PublishedReport(input, disclosure: Disclosure())
        // The report's own attack finds nothing left to recompute, at any threshold.
        for threshold in [3, 5, 11, 30] {
            #expect(
                DisclosureAudit.leaks(PublishedReport(input, disclosure: Disclosure(threshold: threshold))).isEmpty,
                "\(threshold)")
        }
        let alpha = try #require(report.sites.first { $0.name == "alpha" })
        // Who: 4 self (hidden) and 30 transcriptions, total 34 shown: the 30 is hidden too (secondary).
        let who = try #require(alpha.table("who"))
        #expect(who.rows.map { $0[1] } == [.suppressed, .withheld, .count(0)])
        #expect(who.total?[1] == .count(34))
        // Professions: nurses (6 authors) shown; physiotherapists (2 authors) merged into others, which has
        // 2 authors: hidden.
        let professions = try #require(alpha.table("by_profession"))
        #expect(professions.rows.map { $0[0] } == [.label("infirmier"), .label(Disclosure.othersProfession)])
        #expect(professions.rows[1].dropFirst().allSatisfy { $0 == .withheld })
        // Its total row leaves self and transcription to the who table, whose hidden cells it would reveal.
        #expect(professions.total?[4] == Cell.none && professions.total?[5] == Cell.none)
        // Beta: 3 re-entries in all: the site's rate, hours and lags are hidden with them.
        let beta = try #require(report.sites.first { $0.name == "beta" })
        let overview = try #require(beta.table("overview"))
        for metric in [
            "re_entries", "redundancy_rate", "hours_per_day_central", "hours_per_week_central", "lag_median",
        ] {
            #expect(overview.rows.first { $0[0] == .label(metric) }?[1].isHidden == true, "\(metric)")
        }
        // All sites together: a sum is hidden where a site's term is (beta's 3 re-entries would be the
        // total minus alpha's 34).
        let overall = try #require(report.totals.table("overview"))
        #expect(overall.rows.first { $0[0] == .label("re_entries") }?[1] == .withheld)
        let overallWho = try #require(report.totals.table("who"))
        #expect(overallWho.rows.map { $0[1] } == [.suppressed, .withheld, .count(0)])
        // Comparison across sites: beta's values are hidden, and so are the quartiles they would reveal.
        #expect(
            report.comparison.rows.filter { $0[0] == .text("beta") && $0[2] != .none }.allSatisfy { $0[2].isHidden })
        // (Beta's exports span under a week: it has no hours per month to compare.)
        let betaCompared = Set(report.comparison.rows.filter { $0[0] == .text("beta") && $0[2] != .none }.map { $0[1] })
        #expect(betaCompared.count >= 5)
        #expect(
            report.quartiles.rows.filter { betaCompared.contains($0[0]) }.allSatisfy {
                $0[2].isHidden || $0[2] == .none
            })
    }

    @Test("HTML is self-contained, with charts, and draws no bar for a hidden value")
    func html() throws {
        let (input, _, _, _) = try analysed()
        let html = HTMLReport.render(PublishedReport(input, disclosure: Disclosure()), language: .fr)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<html lang=\"fr\">"))
        for external in ["<script", " src=", "href=", "url(", "@import", "<link"] {
            #expect(!html.contains(external), "\(external)")
        }
        #expect(
            html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http") == false)
        #expect(html.components(separatedBy: "<svg").count - 1 >= 10)
        #expect(html.contains("Matrice des flux") && html.contains("&lt;11"))
        let english = HTMLReport.render(PublishedReport(input, disclosure: Disclosure()), language: .en)
        #expect(english.contains("Flow matrix between systems") && english.contains("<html lang=\"en\">"))
    }

    @Test("CSV: one file per table, site column first, same columns on every row")
    func csv() throws {
        let (input, _, _, _) = try analysed(staffing: Staffing(fte: ["alpha": ["infirmier": 4]]))
        let files = TablesCSV.render(PublishedReport(input, disclosure: Disclosure()), language: .en)
        let names = files.map(\.name)
        for name in [
            "overview.csv", "by_system.csv", "flows.csv", "multiplicity.csv", "by_category.csv", "by_purpose.csv",
            "by_profession.csv", "who.csv", "lag.csv", "what_if.csv", "comparison.csv", "quartiles.csv",
            "data_quality.csv",
        ] {
            #expect(names.contains(name), "\(name)")
        }
        #expect(Set(names).count == names.count)
        for file in files {
            let rows = parseSimpleCSV(file.contents)
            // Two sites of undeclared type: fewer than 5 peers, no quartile (the header alone).
            #expect(rows.count > (file.name == "quartiles.csv" ? 0 : 1), "\(file.name)")
            #expect(rows.allSatisfy { $0.count == rows[0].count }, "\(file.name)")
        }
        let professions = parseSimpleCSV(files.first { $0.name == "by_profession.csv" }!.contents)
        #expect(
            professions[0] == [
                "site", "key", "profession", "authors", "entries", "re_entries", "self", "transcription",
                "hours_per_day", "hours_per_month", "fte", "hours_per_fte_per_month", "status",
            ])
        // Beta's period is under a week: its hours are per day, under their own column.
        let perMonth = professions[0].firstIndex(of: "hours_per_month")!
        let betaProfessions = professions.filter { $0[0] == "beta" }
        #expect(!betaProfessions.isEmpty && betaProfessions.allSatisfy { $0[perMonth].isEmpty })
        #expect(professions.filter { $0[0] == "alpha" }.allSatisfy { $0[perMonth - 1].isEmpty })
        // What-if in alpha: vital signs 30, notes 4 (hidden), total 34 shown (and known from the flows):
        // the 30 is hidden too, or 34 − 30 would give the 4 away. Hidden cells are empty, named in `status`.
        let what = parseSimpleCSV(files.first { $0.name == "what_if.csv" }!.contents)
        let status = what[0].firstIndex(of: "status")!
        #expect(what[1][0...6] == ["alpha", "DPI", "1", "DPI", "DUI", "vital signs", ""])  // hidden with its flow
        #expect(what[1][status].contains("re_entries:withheld"))
        #expect(what[3][0...6] == ["alpha", "total", "Total", "", "", "", "34"])
        #expect(what[3][status] == "")
        let lenient = TablesCSV.render(PublishedReport(input, disclosure: Disclosure(threshold: 4)), language: .en)
        #expect(
            parseSimpleCSV(lenient.first { $0.name == "what_if.csv" }!.contents)[1][0...6] == [
                "alpha", "DPI", "1", "DPI", "DUI", "vital signs", "30",
            ])
        // Keys stay the same in every language; labels are translated.
        let french = TablesCSV.render(PublishedReport(input, disclosure: Disclosure()), language: .fr)
        let overviewFR = parseSimpleCSV(french.first { $0.name == "overview.csv" }!.contents)
        let overviewEN = parseSimpleCSV(files.first { $0.name == "overview.csv" }!.contents)
        #expect(overviewFR[0] == overviewEN[0])
        #expect(overviewFR.map { $0[1] } == overviewEN.map { $0[1] })
        #expect(overviewFR[1][1] == "entries" && overviewFR[1][2] != overviewEN[1][2])
        // A value column says its unit (the p90 lag is in minutes).
        #expect(overviewEN[0].contains("unit"))
        #expect(overviewEN.first { $0[1] == "lag_p90" }?[overviewEN[0].firstIndex(of: "unit")!] == "minutes")
        #expect(overviewEN.first { $0[1] == "redundancy_rate" }?[overviewEN[0].firstIndex(of: "unit")!] == "fraction")
        // Numeric columns hold numbers or nothing.
        for file in files where file.name != "method.csv" && file.name != "evidence.csv" {
            let rows = parseSimpleCSV(file.contents)
            for (index, id) in rows[0].enumerated() where ["re_entries", "entries", "value", "groups"].contains(id) {
                for row in rows.dropFirst() where !row[index].isEmpty {
                    #expect(Double(row[index]) != nil, "\(file.name) \(id) \(row)")
                }
            }
        }
    }

    @Test("Markdown: French by default words and numbers, English on request")
    func markdown() throws {
        let (input, _, _, _) = try analysed()
        let report = PublishedReport(input, disclosure: Disclosure())
        let french = MarkdownReport.render(report, language: .fr)
        #expect(french.contains("# Ressaisie des données") && french.contains("| Transcription |"))
        #expect(french.contains("Et si une interface existait ?"))
        let english = MarkdownReport.render(report, language: .en)
        #expect(
            english.contains("## Comparison across sites") && english.contains("| 1 | DPI | DUI | vital signs | × |")
                && english.contains("| Self re-entry |"))
    }

    @Test("JSON: extended with professions, what-if, lag histogram, hours by who, comparison; byte-identical twice")
    func json() throws {
        let (input, _, _, _) = try analysed()
        let text = JSONReport.render(input)
        #expect(text == JSONReport.render(input))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let alpha = try #require((object["sites"] as? [[String: Any]])?.first)
        let professions = try #require(alpha["by_profession"] as? [[String: Any]])
        #expect(professions.map { $0["profession"] as? String } == ["infirmier", "others"])
        // The merged row has fewer than 5 authors: its figures are null even with exact counts, and so are
        // IDE's, which the total would otherwise turn into the merged row's.
        #expect(professions[1]["re_entries"] is NSNull && professions[0]["re_entries"] is NSNull)
        #expect(professions[0]["authors"] as? Int == 6)
        let whatIf = try #require(alpha["what_if"] as? [[String: Any]])
        #expect(whatIf.first?["category"] as? String == "vital_sign" && whatIf.first?["re_entries"] as? Int == 30)
        #expect(
            (alpha["lag_histogram"] as? [[String: Any]])?.compactMap { $0["re_entries"] as? Int }.reduce(0, +) == 34)
        #expect((alpha["estimated_hours_by_who"] as? [String: Any])?["transcription"] != nil)
        let comparison = try #require(object["comparison"] as? [String: Any])
        #expect((comparison["quartiles"] as? [[String: Any]])?.count == 0)  // two sites: too few peers
        var allTogether = input
        allTogether.settings.comparison = ComparisonSettings(peers: .all, minimumSites: 2)
        let together = try #require(
            try JSONSerialization.jsonObject(
                with: Data(
                    JSONReport.render(
                        allTogether, published: PublishedReport(allTogether, disclosure: Disclosure().exactCounts)
                    ).utf8))
                as? [String: Any])
        let quartiles = try #require((together["comparison"] as? [String: Any])?["quartiles"] as? [[String: Any]])
        // Beta has no hours per month (under a week) nor staffing: two metrics with one site, no quartile.
        #expect(quartiles.count == SiteComparison.Metric.allCases.count - 2)
        #expect(quartiles.allSatisfy { $0["peer_group"] as? String == "all" })
        let disclosure = try #require((object["settings"] as? [String: Any])?["disclosure"] as? [String: Any])
        #expect(disclosure["small_counts_hidden"] as? Bool == false && disclosure["threshold"] as? Int == 11)
    }
}
