import Foundation
import RessaisieCore
import RessaisieReport
import TestSupport
import Testing

/// A small analysed audit: one DPI→DUI re-entry, one singleton.
func sampleInput() -> (ReportInput, EntryStore, Analysis) {
    var builder = StoreBuilder()
    builder.patient("site, \"A\"", .dpi, "P", ins: "I")
    builder.patient("site, \"A\"", .dui, "R", ins: "I")
    builder.entry("D,1", site: "site, \"A\"", system: .dpi, patient: "P", label: "T", value: "37,5", at: 0, author: "a")
    builder.entry(
        "U1", site: "site, \"A\"", system: .dui, patient: "R", label: "T", value: "37.50", at: 90, author: "b")
    builder.entry("U2", site: "site, \"A\"", system: .dui, patient: "R", category: "note", text: "RAS", at: 95)
    let store = builder.store
    let analysis = Analysis(store: store)
    var quality = DataQuality()
    quality.files = 2
    quality.rowsRead = 4
    quality.entries = 3
    quality.record(Rejection(file: "dui.csv", line: 4, kind: .raggedRow, detail: "expected 16 fields, found 3"))
    let settings = ReportSettings(
        toolVersion: "test", windowHours: 72, linkage: "l", matching: "m", timeZone: "Europe/Paris",
        ephemeralKey: false,
        generatedAt: 1_772_409_600)
    let input = ReportInput(
        metrics: analysis.metrics, quality: quality, linkage: analysis.linkage, settings: settings,
        clock: SiteClock(timeZone: TimeZone(identifier: "Europe/Paris")!))
    return (input, store, analysis)
}

@Suite("JSON report")
struct JSONReportTests {
    @Test("keys of the ressaisie.report/2 contract, in order, with exact figures")
    func contract() throws {
        let (input, _, _) = sampleInput()
        let text = JSONReport.render(input)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "ressaisie.report/2")
        #expect(text.hasPrefix("{\n  \"schema\": \"ressaisie.report/2\",\n"))
        // The audit's systems with their kind, after the settings (added by /2).
        #expect(
            object["systems"] as? [[String: String]] == [
                ["name": "DPI", "kind": "DPI"], ["name": "DUI", "kind": "DUI"],
            ])
        #expect(text.range(of: "\"settings\"")!.lowerBound < text.range(of: "\"systems\"")!.lowerBound)
        #expect(text.range(of: "\"systems\"")!.lowerBound < text.range(of: "\"sites\"")!.lowerBound)
        let site = try #require((object["sites"] as? [[String: Any]])?.first)
        #expect(site["site"] as? String == "site, \"A\"")
        #expect(site["entries"] as? Int == 3)
        #expect(site["re_entries"] as? Int == 1)
        #expect(site["redundancy_rate"] as? Double == 0.3333)
        #expect(site["groups"] as? [String: Int] == ["x2": 1, "x3": 0, "x4_plus": 0, "total": 1])
        let flows = try #require(site["flows"] as? [[String: Any]])
        #expect(flows.count == 1)
        #expect(flows[0]["from"] as? String == "DPI" && flows[0]["to"] as? String == "DUI")
        #expect(flows[0]["share_of_target_entries"] as? Double == 0.5)
        let bySystem = try #require(site["by_system"] as? [String: [String: Any]])
        #expect(bySystem["DUI"]?["re_entries"] as? Int == 1)
        #expect(bySystem["DPI"]?["originals"] as? Int == 1)
        let hours = try #require(site["estimated_hours_total"] as? [String: Double])
        #expect(hours == ["low": 0.01, "central": 0.01, "high": 0.02])  // 0.5, 0.8, 1.1 minutes, rounded
        let quality = try #require(object["data_quality"] as? [String: Any])
        #expect(quality["rows_rejected"] as? Int == 1)
        #expect((quality["rejections"] as? [[String: Any]])?.first?["line"] as? Int == 4)
        #expect(object["generated_at"] as? String == "2026-03-02T01:00:00+01:00")
    }

    @Test("numbers: rounded, no trailing zeros, integers plain; strings escaped")
    func values() {
        #expect(JSONValue.double(0.25, decimals: 4).serialized() == "0.25\n")
        #expect(JSONValue.double(12.0, decimals: 2).serialized() == "12\n")
        #expect(JSONValue.double(1.0 / 3.0, decimals: 4).serialized() == "0.3333\n")
        #expect(JSONValue.double(.nan, decimals: 2).serialized() == "null\n")
        #expect(JSONValue.string("a\"b\\c\n\u{01}é").serialized() == "\"a\\\"b\\\\c\\n\\u0001é\"\n")
        #expect(
            JSONValue.object([("b", .int(1)), ("a", .array([]))]).serialized() == "{\n  \"b\": 1,\n  \"a\": []\n}\n")
    }

    @Test("rendering twice gives the same bytes")
    func deterministic() {
        let (input, _, _) = sampleInput()
        #expect(JSONReport.render(input) == JSONReport.render(input))
    }
}

@Suite("Groups CSV")
struct GroupsCSVTests {
    @Test("one row per grouped entry, original first, quoting where needed")
    func rows() {
        let (input, store, analysis) = sampleInput()
        let text = GroupsCSV.render(groups: analysis.groups, store: store, clock: input.clock)
        let rows = parseSimpleCSV(text)
        #expect(rows.first == ["group_id", "site", "system", "record_id", "role", "recorded_at"])
        #expect(rows.count == 3)
        #expect(rows[1][1...] == ["site, \"A\"", "DPI", "D,1", "original", "2026-03-02T01:00:00+01:00"])
        #expect(rows[2][1...] == ["site, \"A\"", "DUI", "U1", "re_entry", "2026-03-02T02:30:00+01:00"])
        #expect(rows[1][0] == rows[2][0])
        #expect(rows[1][0] == GroupsCSV.groupID(site: "site, \"A\"", system: .dpi, recordID: "D,1"))
    }

    @Test("group ids are stable and distinct")
    func ids() {
        let a = GroupsCSV.groupID(site: "s", system: .dpi, recordID: "1")
        #expect(a == GroupsCSV.groupID(site: "s", system: .dpi, recordID: "1"))
        #expect(a != GroupsCSV.groupID(site: "s", system: .dui, recordID: "1"))
        #expect(a != GroupsCSV.groupID(site: "t", system: .dpi, recordID: "1"))
        #expect(a.count == 17 && a.hasPrefix("g"))
    }
}

@Suite("Text report")
struct TextReportTests {
    @Test("the summary shows the site, its rate, its flows and the rejected rows")
    func summary() {
        let (input, _, _) = sampleInput()
        let text = TextReport.render(input)
        #expect(text.contains("3 entries · 1 re-entries (33.3 %)"))
        #expect(text.contains("DPI → DUI  1  50.0 % of DUI entries"))
        #expect(text.contains("dui.csv:4: expected 16 fields, found 3"))
        #expect(!text.contains("\u{1B}["))
        #expect(TextReport.render(input, color: true).contains("\u{1B}[1m"))
    }
}
