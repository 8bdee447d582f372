import Foundation
import RessaisieCore
import TestSupport
import Testing

@testable import RessaisieReport

/// The pathway tables under the disclosure rules, and in the JSON report.
@Suite("Pathways across organizations in the reports")
struct PathwayReportTests {
    func input(_ pathways: [PathwayFlow]) -> ReportInput {
        var site = WorkloadMetrics(site: "ch")
        site.entries = 500
        site.firstRecordedAt = StoreBuilder.base
        site.lastRecordedAt = StoreBuilder.base + 30 * 86_400
        var ehpad = site
        ehpad.site = "ehpad"
        var totals = site
        totals.site = "total"
        totals.entries = 1000
        var metrics = AuditMetrics(sites: [site, ehpad], totals: totals)
        metrics.pathways = pathways
        metrics.pathwayWindowDays = 30
        return ReportInput(
            metrics: metrics, quality: DataQuality(), linkage: PatientLinkage(person: [], personCount: 0),
            settings: ReportSettings(
                toolVersion: "t", windowHours: 72, linkage: "l", matching: "m", timeZone: "UTC", ephemeralKey: false,
                generatedAt: nil),
            clock: SiteClock(timeZone: TimeZone(identifier: "UTC")!))
    }

    let flows = [
        PathwayFlow(
            fromSite: "ch", toSite: "ehpad", sharedPatients: 31, sharedByINS: 25, sharedByTraits: 6, reEntries: 40,
            byCategory: ["allergy": 5, "diagnosis": 20, "note": 15]),
        PathwayFlow(fromSite: "ehpad", toSite: "ch", sharedPatients: 31, sharedByINS: 25, sharedByTraits: 6),
    ]

    @Test("a small count reads <11, a cell that would give it back is withheld, and no relation recomputes it")
    func suppressed() {
        let published = PublishedReport(input(flows), disclosure: Disclosure())
        #expect(
            published.pathways.rows[0] == [.text("ch"), .text("ehpad"), .count(31), .withheld, .suppressed, .count(40)])
        #expect(published.pathways.rows[1][5] == .count(0))
        // In the categories' order (notes, allergies, diagnoses): allergies (5) hidden; the notes (15), the
        // smallest other of the pair, withheld: 40 − 20 gives 20 for the two together, not either.
        #expect(published.pathwayCategories.rows.map { $0[3] } == [.withheld, .suppressed, .count(20)])
        #expect(DisclosureAudit.leaks(published).isEmpty)
        let markdown = MarkdownReport.render(published, language: .en)
        #expect(markdown.contains("## Pathways across organizations"))
        #expect(markdown.contains("| ch | ehpad | 31 | × | <11 | 40 |"))
        let tables = TablesCSV.render(published, language: .en).map(\.name)
        #expect(tables.contains("pathways.csv") && tables.contains("pathway_categories.csv"))
    }

    @Test("JSON keeps exact counts: pathways by pair of sites with their categories, and the window")
    func json() throws {
        let text = JSONReport.render(input(flows))
        let object = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let pathways = try #require(object["pathways"] as? [[String: Any]])
        #expect(pathways.count == 2)
        #expect(pathways[0]["from_site"] as? String == "ch" && pathways[0]["to_site"] as? String == "ehpad")
        #expect(pathways[0]["shared_patients_by_traits"] as? Int == 6)
        #expect(pathways[0]["re_entries"] as? Int == 40)
        #expect(pathways[0]["by_category"] as? [String: Int] == ["allergy": 5, "diagnosis": 20, "note": 15])
        #expect(pathways[1]["by_category"] as? [String: Int] == [:])
        let settings = try #require(object["settings"] as? [String: Any])
        #expect((settings["pathways"] as? [String: Any])?["window_days"] as? Int == 30)
    }

    @Test("no two sites share a patient: no pathway section in the published formats, an empty list in JSON")
    func none() {
        let published = PublishedReport(input([]), disclosure: Disclosure())
        #expect(!MarkdownReport.render(published, language: .en).contains("Pathways"))
        #expect(!HTMLReport.render(published, language: .en).contains("Pathways"))
        #expect(JSONReport.render(input([])).contains("\"pathways\": []"))
    }
}
