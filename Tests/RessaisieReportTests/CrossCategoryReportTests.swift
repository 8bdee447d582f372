import Foundation
import RessaisieCore
import TestSupport
import Testing

@testable import RessaisieReport

/// The cross-category tables under the disclosure rules, and in the JSON report.
@Suite("Re-entries across categories in the reports")
struct CrossCategoryReportTests {
    func input(_ flows: [CrossCategoryFlow]) -> ReportInput {
        var site = WorkloadMetrics(site: "ehpad")
        site.entries = 500
        site.firstRecordedAt = StoreBuilder.base
        site.lastRecordedAt = StoreBuilder.base + 30 * 86_400
        var totals = site
        totals.site = "total"
        var metrics = AuditMetrics(sites: [site], totals: totals)
        metrics.crossCategories = flows
        metrics.crossCategoryPairs = CrossCategoryDetector.defaultPairs
        metrics.crossCategoryWindowHours = 72
        return ReportInput(
            metrics: metrics, quality: DataQuality(), linkage: PatientLinkage(person: [], personCount: 0),
            settings: ReportSettings(
                toolVersion: "t", windowHours: 72, linkage: "l", matching: "m", timeZone: "UTC", ephemeralKey: false,
                generatedAt: nil),
            clock: SiteClock(timeZone: TimeZone(identifier: "UTC")!))
    }

    let flows = [
        CrossCategoryFlow(site: "ehpad", fromCategory: "care_plan", toCategory: "note", reEntries: 30),
        CrossCategoryFlow(site: "ehpad", fromCategory: "note", toCategory: "activity", reEntries: 25),
        CrossCategoryFlow(site: "ehpad", fromCategory: "note", toCategory: "administrative", reEntries: 4),
    ]

    @Test("a small count reads <11, the cell that would give it back is withheld, and no relation recomputes it")
    func suppressed() {
        let published = PublishedReport(input(flows), disclosure: Disclosure())
        #expect(
            published.crossCategories.rows.map { $0[4] } == [.count(30), .withheld, .suppressed])
        #expect(published.crossCategories.rows[1][3] == .label("care→management"))
        // care → management: 29 in all, one part small (4): the pair's total is shown, so the other part goes.
        #expect(published.crossCategoryPurposes.rows.map { $0[0] } == [.label("care→management"), .label("care→care")])
        #expect(DisclosureAudit.leaks(published).isEmpty)
        let markdown = MarkdownReport.render(published, language: .en)
        #expect(markdown.contains("## Re-entries across categories"))
        #expect(markdown.contains("<11"))
        let tables = TablesCSV.render(published, language: .en).map(\.name)
        #expect(tables.contains("cross_categories.csv") && tables.contains("cross_category_purposes.csv"))
    }

    @Test("JSON: flows by site and pair of categories, by pair of purposes, and the settings")
    func json() throws {
        let text = JSONReport.render(input(flows))
        let object = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let section = try #require(object["cross_categories"] as? [String: Any])
        let rows = try #require(section["flows"] as? [[String: Any]])
        #expect(rows.count == 3)
        #expect(rows[0]["from_category"] as? String == "care_plan" && rows[0]["to_category"] as? String == "note")
        #expect(rows[0]["re_entries"] as? Int == 30)
        let purposes = try #require(section["by_purposes"] as? [[String: Any]])
        #expect(purposes.first?["purposes"] as? String == "care→management")
        let settings = try #require(object["settings"] as? [String: Any])
        let cross = try #require(settings["cross_categories"] as? [String: Any])
        #expect(cross["window_hours"] as? Int == 72)
        #expect((cross["pairs"] as? [String])?.contains("vital_sign->note") == true)
    }

    @Test("none found: no section in the published formats, an empty list in JSON")
    func none() {
        let published = PublishedReport(input([]), disclosure: Disclosure())
        #expect(!MarkdownReport.render(published, language: .en).contains("across categories"))
        #expect(!HTMLReport.render(published, language: .en).contains("across categories"))
        #expect(JSONReport.render(input([])).contains("\"flows\": []"))
    }
}
