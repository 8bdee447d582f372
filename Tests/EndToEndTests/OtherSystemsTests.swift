import Foundation
import TestSupport
import Testing

/// Systems beyond DPI, DUI and SIP, through the built binary: read from a `system` column, declared in
/// `audit.toml`, written by `synth --other-systems` and scored by `evaluate`.
@Suite("Any named system on the command line")
struct OtherSystemsTests {
    @Test("a row whose system is Excel is read, listed in the JSON report with its kind, and named in --groups")
    func excelColumn() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let header =
            "system,record_id,patient_id,birth_name,given_names,birth_date,sex,recorded_at,category,label,value,unit\n"
        let person = "R1,Martin,Anne,1940-01-02,F"
        _ = try folder.write(
            "exports/ehpad/suivi.csv",
            header + "DUI,D-1,\(person),2026-03-04T08:05:00+01:00,vital_sign,Température,37.5,°C\n"
                + "Excel,X-1,\(person),2026-03-04T09:05:00+01:00,vital_sign,Température,37.5,°C\n"
                + "cahier,C-1,\(person),2026-03-04T10:05:00+01:00,vital_sign,T°,\"37,5\",°C\n")
        let groups = folder.file("groups.csv")
        let run = try BinaryRunner.run([
            "analyze", folder.file("exports"), "--key-file", keyFile, "--format", "json", "--groups", groups, "-q",
            "--audit", try auditFile(folder),
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try jsonObject(run.stdout)
        #expect(report["schema"] as? String == "ressaisie.report/2")
        let systems = try #require(report["systems"] as? [[String: String]])
        #expect(
            systems == [
                ["name": "DUI", "kind": "DUI"], ["name": "Excel", "kind": "other"],
                ["name": "cahier", "kind": "other"],
            ]
        )
        let quality = try #require(report["data_quality"] as? [String: Any])
        #expect(quality["rows_rejected"] as? Int == 0)
        let site = try #require((report["sites"] as? [[String: Any]])?.first)
        #expect(site["re_entries"] as? Int == 2)
        let flows = try #require(site["flows"] as? [[String: Any]])
        #expect(Set(flows.map { "\($0["from"]!)>\($0["to"]!)" }) == ["DUI>Excel", "DUI>cahier"])
        let bySystem = try #require(site["by_system"] as? [String: Any])
        #expect(Set(bySystem.keys) == ["DUI", "Excel", "cahier"])
        // What cahier is for, as declared, counts it in its destination.
        let destinations = try #require(site["by_destination_purpose"] as? [String: [String: Any]])
        #expect(destinations["legal_trace"]?["re_entries"] as? Int == 1)
        let rows = try String(contentsOfFile: groups, encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(Set(rows.map { $0.split(separator: ",")[2] }) == ["DUI", "Excel", "cahier"])
        // The text report names the systems beyond DPI, DUI and SIP with their kind.
        let text = try BinaryRunner.run([
            "analyze", folder.file("exports"), "--key-file", keyFile, "-q", "--audit", try auditFile(folder),
        ])
        #expect(text.stdout.contains("systems beyond DPI, DUI, SIP: Excel (other), cahier (other)"))
    }

    /// An audit.toml that declares the site's `cahier`, of kind other, kept as a legal trace.
    func auditFile(_ folder: TemporaryFolder) throws -> String {
        _ = try folder.write(
            "audit.toml", "[sites.ehpad.systems.cahier]\nkind = \"other\"\npurpose = \"legal_trace\"\n")
        return folder.file("audit.toml")
    }

    @Test("synth --other-systems: a spreadsheet and a paper log at the EHPAD, scored; without it, the same bytes")
    func synthOtherSystems() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let audit = folder.file("audit"), groups = folder.file("groups.csv")
        let made = try BinaryRunner.run([
            "synth", "--out", audit, "--entries", "4000", "--seed", "3", "--other-systems", "--quiet",
        ])
        #expect(made.status == 0, "\(made.stderr)")
        let truth = try String(contentsOfFile: audit + "/truth.csv", encoding: .utf8)
        #expect(truth.contains("ehpad-les-glycines,Excel,"))
        #expect(truth.contains("ehpad-les-glycines,Cahier de transmissions,"))
        #expect(!truth.contains("ch-bords-de-loire,Excel,"))
        #expect(!truth.contains("ch-bords-de-loire,Cahier de transmissions,"))
        let analyzed = try BinaryRunner.run([
            "analyze", audit, "--key-file", keyFile, "--format", "json", "--groups", groups, "-q",
        ])
        #expect(analyzed.status == 0, "\(analyzed.stderr)")
        let report = try jsonObject(analyzed.stdout)
        let systems = try #require(report["systems"] as? [[String: String]])
        #expect(systems.contains(["name": "Excel", "kind": "other"]))
        #expect(systems.contains(["name": "Cahier de transmissions", "kind": "other"]))
        #expect((report["data_quality"] as? [String: Any])?["rows_rejected"] as? Int == 0)
        let evaluated = try BinaryRunner.run([
            "evaluate", "--truth", audit + "/truth.csv", "--groups", groups, "--format", "json",
        ])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let result = try jsonObject(evaluated.stdout)
        #expect(result["entries_missing_from_truth"] as? Int == 0)
        #expect(try #require(result["f1"] as? Double) > 0.95)
        let grouped = try String(contentsOfFile: groups, encoding: .utf8)
        #expect(grouped.contains(",ehpad-les-glycines,Excel,"))
        #expect(grouped.contains(",ehpad-les-glycines,Cahier de transmissions,"))
    }
}
