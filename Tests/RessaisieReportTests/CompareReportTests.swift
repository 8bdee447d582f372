import Foundation
import RessaisieCore
import Testing

@testable import RessaisieReport

/// `ressaisie compare`'s report from history rows: JSON shape (`ressaisie.compare/1`) and small counts hidden.
@Suite("Compare report")
struct CompareReportTests {
    func site(_ name: String, _ runs: [(entries: Int, reEntries: Int)]) -> CompareReport.Site {
        CompareReport.Site(
            name: name,
            runs: runs.enumerated().map { index, run in
                CompareReport.Run(
                    runAt: 1_767_225_600 + Int64(index) * 86_400, entries: run.entries, patients: 50,
                    reEntries: run.reEntries, hoursPerMonth: HoursRange(low: 1, central: 2, high: 3))
            })
    }

    var report: CompareReport {
        CompareReport(
            sites: [
                site("b", [(1000, 100), (1000, 120)]), site("a", [(2000, 300)]), site("c", [(500, 40)]),
                site("d", [(800, 90)]), site("e", [(900, 5)]), site("f", [(1200, 200)]),
            ])
    }

    func parsed(_ report: CompareReport) throws -> [String: Any] {
        let text = report.render(.json, language: .en)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("one object per site under sites, sorted by name, with figures, ranks, place among the others and trend")
    func shape() throws {
        let json = try parsed(report)
        #expect(json["schema"] as? String == "ressaisie.compare/1")
        let sites = try #require(json["sites"] as? [[String: Any]])
        #expect(sites.map { $0["site"] as? String } == ["a", "b", "c", "d", "e", "f"])
        let b = sites[1]
        #expect(b["runs"] as? Int == 2)
        #expect(b["re_entries"] as? Int == 120)
        #expect(b["redundancy_rate"] as? Double == 0.12)
        let trend = try #require(b["trend"] as? [String: Any])
        #expect(trend["redundancy_rate"] as? [Double] == [0.1, 0.12])
        #expect((b["ranks"] as? [String: Any])?.keys.sorted() == ["hours_per_month", "re_entries", "redundancy_rate"])
        let quartiles = try #require(json["quartiles"] as? [[String: Any]])
        #expect(
            Set(quartiles.compactMap { $0["metric"] as? String }).isSubset(of: [
                "redundancy_rate", "re_entries", "hours_per_month",
            ]))
    }

    @Test("a site with fewer than 11 re-entries: its count and what is computed from it hidden, and said so")
    func suppression() throws {
        let sites = try #require(try parsed(report)["sites"] as? [[String: Any]])
        let e = sites[4]
        #expect(e["site"] as? String == "e")
        #expect(e["re_entries"] is NSNull)
        #expect(e["redundancy_rate"] is NSNull)
        #expect((e["hidden"] as? [String])?.contains("re_entries") == true)
        #expect(((e["trend"] as? [String: Any])?["redundancy_rate"] as? [Any])?.first is NSNull)
        #expect(report.render(.md, language: .en).contains("| e | 2026-01-01T00:00:00Z | 900 | 50 | <11 |"))
        // With no threshold, every count shows.
        var open = report
        open.disclosure = Disclosure(threshold: 0)
        let shown = try #require(try parsed(open)["sites"] as? [[String: Any]])
        #expect(shown[4]["re_entries"] as? Int == 5)
    }

    @Test("every format renders; csv is one row per site and metric")
    func formats() {
        for format in CompareReport.Format.allCases { #expect(!report.render(format, language: .fr).isEmpty) }
        let csv = report.render(.csv, language: .en).split(separator: "\n")
        #expect(csv.count == 1 + 6 * CompareReport.metrics.count)
        #expect(csv[0] == "key,site,metric,value,rank,peer_group,status")
    }
}
