import Foundation
import RessaisieCore
import RessaisieReport
import TestSupport
import Testing

@Suite("Linkage in the reports")
struct LinkageReportTests {
    /// One person under two DPI ids (same traits), also in the DUI; 3 INS with a wrong key.
    func input() -> ReportInput {
        var builder = StoreBuilder()
        builder.patient("s", .dpi, "P1", traits: "t")
        builder.patient("s", .dpi, "P2", traits: "t")
        builder.patient("s", .dui, "R1", traits: "t")
        builder.entry("d1", site: "s", system: .dpi, patient: "P1", label: "T", value: "37", at: 0)
        builder.entry("u1", site: "s", system: .dui, patient: "R1", label: "T", value: "37", at: 30)
        let analysis = Analysis(store: builder.store, linker: ProbabilisticLinker())
        var quality = DataQuality()
        quality.invalidINS = 3
        let settings = ReportSettings(
            toolVersion: "test", windowHours: 72, linkage: ProbabilisticLinker().name, matching: "m",
            timeZone: "Europe/Paris",
            ephemeralKey: false, generatedAt: 1_772_409_600)
        return ReportInput(
            metrics: analysis.metrics, quality: quality, linkage: analysis.linkage, settings: settings,
            clock: SiteClock(timeZone: TimeZone(identifier: "Europe/Paris")!))
    }

    @Test("JSON: identity duplicates per system, linkage counts in the settings, invalid INS in data quality")
    func json() throws {
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(JSONReport.render(input()).utf8)) as? [String: Any])
        let site = try #require((object["sites"] as? [[String: Any]])?.first)
        let bySystem = try #require(site["by_system"] as? [String: [String: Any]])
        #expect(bySystem["DPI"]?["identity_duplicates"] as? Int == 1)
        #expect(bySystem["DUI"]?["identity_duplicates"] as? Int == 0)
        let counts = try #require((object["settings"] as? [String: Any])?["linkage_counts"] as? [String: Int])
        #expect(counts["links_by_traits"] == 2)
        #expect(counts["links_by_probability"] == 0)
        #expect((object["data_quality"] as? [String: Any])?["invalid_ins"] as? Int == 3)
    }

    @Test("text: the linker's name, identity duplicates and invalid INS")
    func text() {
        let text = TextReport.render(input(), color: false)
        #expect(text.contains("linkage probabilistic-v2"))
        #expect(text.contains("identity duplicates (one person under two local ids): DPI 1"))
        #expect(text.contains("3 patient id(s) with an INS whose check key is wrong"))
    }

    @Test("published reports: identity duplicates are a column of the systems table, suppressed when small")
    func published() throws {
        let report = PublishedReport(input(), disclosure: Disclosure(threshold: 1))
        let table = try #require(report.sites[0].tables.first { $0.id == "by_system" })
        let column = try #require(table.columns.firstIndex { $0.id == "identity_duplicates" })
        let markdown = MarkdownReport.render(report, language: .en)
        #expect(markdown.contains("Identity duplicates"))
        #expect(table.rows.count == 2 && column == table.columns.count - 1)
        let suppressed = PublishedReport(input(), disclosure: Disclosure())
        #expect(MarkdownReport.render(suppressed, language: .fr).contains("Doublons d'identité"))
    }
}
