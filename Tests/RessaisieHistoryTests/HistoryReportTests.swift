import Foundation
import RessaisieCore
import Testing

@testable import RessaisieHistory

/// `ressaisie history`'s renderer (`HistoryReport`): the end-to-end tests pin its outputs on a real database;
/// these pin its shape on rows made by hand.
@Suite("History report")
struct HistoryReportTests {
    func row(_ id: Int64, at: Int64, site: String, reEntries: Int, unchanged: Bool) -> HistoryRow {
        var metrics = WorkloadMetrics(site: site)
        metrics.entries = 10
        metrics.reEntries = reEntries
        return HistoryRow(
            runID: id, runAt: at, toolVersion: "0.1.0", inputsUnchanged: unchanged, snapshot: SiteSnapshot(metrics))
    }

    @Test("text: per site a sparkline, first → last, one line per run; '=' marks unchanged inputs")
    func text() {
        let rows = [
            row(1, at: 0, site: "ehpad", reEntries: 1, unchanged: false),
            row(2, at: 86_400, site: "ehpad", reEntries: 3, unchanged: true),
        ]
        let text = HistoryReport.text(rows, metric: .reEntries)
        #expect(text.hasPrefix("ehpad · re_entries ▁█ 1 → 3 · 2 runs\n"))
        #expect(text.contains("  2=   1970-01-02T00:00:00Z"))
        #expect(text.hasSuffix("= same input files as the previous run\n"))
        #expect(HistoryReport.text([], metric: .reEntries) == "no runs recorded\n")
    }

    @Test("CSV: one row per site and run, the site quoted when it needs it; JSON names its schema")
    func csvAndJSON() {
        let rows = [row(1, at: 0, site: "site, annexe", reEntries: 2, unchanged: false)]
        let lines = HistoryReport.csv(rows).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("run_id,run_at,site,tool_version,inputs_unchanged,entries,"))
        #expect(lines[1].hasPrefix("1,1970-01-01T00:00:00Z,\"site, annexe\",0.1.0,0,10,"))
        // JSONSerialization writes the slash escaped, as the history JSON always has.
        #expect(HistoryReport.json(rows, metric: .entries).contains("\"schema\" : \"ressaisie.history\\/1\""))
    }
}
