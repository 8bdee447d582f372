import Foundation
import TestSupport
import Testing

/// Pathways across organizations through the built binary: `synth --shared-patients`, `analyze --pathways`,
/// `evaluate --pathways`.
@Suite("Pathways across organizations on the command line")
struct PathwayCommandTests {
    @Test("a hospital discharging to an EHPAD: the re-typed facts found (F1 ≥ 0.95), hard negatives not merged")
    func sharedPatients() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let audit = folder.file("audit"), groups = folder.file("groups.csv"), pathways = folder.file("pw.csv")
        let made = try BinaryRunner.run(["synth", "--out", audit, "--seed", "2", "--shared-patients", "--quiet"])
        #expect(made.status == 0, "\(made.stderr)")
        let truth = try String(contentsOfFile: audit + "/truth-pathways.csv", encoding: .utf8)
        #expect(truth.hasPrefix("kind,from_site,from_system,from_record_id,to_site,to_system,to_record_id\n"))
        for kind in ["re_entry", "shared_patient_other_fact", "two_patients_same_text"] {
            #expect(truth.contains("\n\(kind),ch-bords-de-loire,"), "\(kind)")
        }
        let analyzed = try BinaryRunner.run([
            "analyze", audit, "--key-file", keyFile, "--format", "json", "--groups", groups, "--pathways", pathways,
        ])
        #expect(analyzed.status == 0, "\(analyzed.stderr)")
        let report = try jsonObject(analyzed.stdout)
        let flows = try #require(report["pathways"] as? [[String: Any]])
        let forward = try #require(flows.first { $0["from_site"] as? String == "ch-bords-de-loire" })
        #expect(forward["to_site"] as? String == "ehpad-les-glycines")
        #expect((forward["shared_patients"] as? Int ?? 0) > 20)
        #expect((forward["re_entries"] as? Int ?? 0) > 50)
        let csv = try String(contentsOfFile: pathways, encoding: .utf8)
        #expect(
            csv.hasPrefix(
                "from_site,from_system,from_record_id,to_site,to_system,to_record_id,category,linked_by,from_recorded_at,to_recorded_at\n"
            ))

        let scored = try BinaryRunner.run([
            "evaluate", "--truth", audit + "/truth.csv", "--groups", groups, "--pathways", pathways, "--format", "json",
        ])
        #expect(scored.status == 0, "\(scored.stderr)")
        let evaluation = try #require(try jsonObject(scored.stdout)["pathways"] as? [String: Any])
        #expect((evaluation["f1"] as? Double ?? 0) >= 0.95, "\(evaluation)")
        #expect((evaluation["hard_negatives_merged_share"] as? Double ?? 1) <= 0.01, "\(evaluation)")
        let text = try BinaryRunner.run([
            "evaluate", "--truth", audit + "/truth.csv", "--groups", groups, "--pathways", pathways,
        ])
        #expect(text.stdout.contains("across organizations (analyze --pathways)"))
    }

    @Test("the per-site groups are the same with or without the pathways' output")
    func perSiteUnchanged() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let audit = folder.file("audit")
        #expect(
            try BinaryRunner.run([
                "synth", "--out", audit, "--entries", "4000", "--seed", "4", "--shared-patients", "--quiet",
            ]).status == 0)
        let a = folder.file("a.csv"), b = folder.file("b.csv")
        #expect(try BinaryRunner.run(["analyze", audit, "--key-file", keyFile, "--groups", a, "-q"]).status == 0)
        #expect(
            try BinaryRunner.run([
                "analyze", audit, "--key-file", keyFile, "--groups", b, "--pathways", folder.file("p.csv"),
                "--pathway-window-days", "10", "-q",
            ]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: b)))
        #expect(try BinaryRunner.run(["analyze", "--pathway-window-days", "0"]).status == 64)
    }
}
