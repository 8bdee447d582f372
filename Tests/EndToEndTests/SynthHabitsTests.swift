import Foundation
import TestSupport
import Testing

/// `ressaisie synth --habits random` and how `evaluate` scores its software copies, through the built binary.
@Suite("synth --habits random and evaluate on the command line")
struct SynthHabitsEndToEndTests {
    @Test(
        "a random-habits audit is read with no row rejected (same-id republications kept once); evaluate sets copies aside"
    )
    func randomHabits() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let audit = folder.file("audit"), groups = folder.file("groups.csv")
        let synth = try BinaryRunner.run([
            "synth", "--out", audit, "--entries", "4000", "--seed", "3", "--habits", "random",
        ])
        #expect(synth.status == 0, "\(synth.stderr)")
        let analyzed = try BinaryRunner.run([
            "analyze", audit, "--key-file", keyFile, "--format", "json", "--groups", groups,
        ])
        #expect(analyzed.status == 0, "\(analyzed.stderr)")
        let quality = try #require(try jsonObject(analyzed.stdout)["data_quality"] as? [String: Any])
        let rejected = try #require(quality["rejected_by_reason"] as? [String: Int])
        #expect(rejected.isEmpty)
        #expect((quality["republished"] as? Int ?? 0) > 0)
        let truthText = try String(contentsOfFile: audit + "/truth.csv", encoding: .utf8)
        #expect(quality["entries"] as? Int == truthText.split(separator: "\n").count - 1)

        let evaluated = try BinaryRunner.run([
            "evaluate", "--truth", audit + "/truth.csv", "--groups", groups, "--format", "json",
        ])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let result = try jsonObject(evaluated.stdout)
        let copies = try #require(result["copies"] as? [String: [String: Int]])
        #expect(copies.keys.sorted() == ["interface_copy", "republished"])
        let aside = copies.values.reduce(0) { $0 + $1["entries"]! }
        #expect(result["entries_set_aside"] as? Int == aside)
        for counts in copies.values { #expect(counts["in_groups"]! + counts["left_out"]! == counts["entries"]!) }
        let noise = try #require(result["re_entries_by_noise"] as? [String: [String: Any]])
        #expect(noise["marker_in_text"] != nil && noise["field_split"] != nil)
    }

    @Test("evaluate on a hand-made truth with copies: pairs without them, copies in a group or left out")
    func handMadeCopies() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let truth = try folder.write(
            "truth.csv", "site,system,record_id,fact_id\ns,DPI,1,A\ns,DUI,2,A\ns,DUI,3,A\ns,SIP,4,A\ns,DPI,5,B\n")
        try folder.write(
            "truth-tags.tsv",
            "site\tsystem\trecord_id\tfact_id\tcategory\trole\thard_negative\tnoise\n"
                + "s\tDPI\t1\tA\tnote\tfirst\t\t\ns\tDUI\t2\tA\tnote\tre_entry\t\tmarker_in_text\n"
                + "s\tDUI\t3\tA\tnote\tinterface_copy\t\t\ns\tSIP\t4\tA\tnote\trepublished\t\t\n"
                + "s\tDPI\t5\tB\tnote\tfirst\t\t\n")
        // 1 and 2 found; the interface copy 3 put in their group (wrong); the republication 4 left out.
        let groups = try folder.write(
            "groups.csv",
            "group_id,site,system,record_id,role,recorded_at\ng1,s,DPI,1,original,2026-03-04T08:00:00+01:00\n"
                + "g1,s,DUI,2,re_entry,2026-03-04T09:00:00+01:00\ng1,s,DUI,3,re_entry,2026-03-04T09:00:10+01:00\n")
        let text = try BinaryRunner.run(["evaluate", "--truth", truth, "--groups", groups])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("set aside 2 software copies"))
        #expect(text.stdout.contains("precision 1.0000") && text.stdout.contains("recall    1.0000"))
        let json = try jsonObject(
            try BinaryRunner.run(["evaluate", "--truth", truth, "--groups", groups, "--format", "json"]).stdout)
        #expect(json["true_pairs"] as? Int == 1 && json["predicted_pairs"] as? Int == 1)
        let copies = try #require(json["copies"] as? [String: [String: Int]])
        #expect(copies["interface_copy"] == ["entries": 1, "in_groups": 1, "standing_in": 0, "left_out": 0])
        #expect(copies["republished"] == ["entries": 1, "in_groups": 0, "standing_in": 0, "left_out": 1])
        let sites = try #require(json["sites"] as? [[String: Any]])
        #expect(sites[0]["true_re_entries"] as? Int == 1 && sites[0]["predicted_re_entries"] as? Int == 2)

        // An unknown role in the tags is a malformed file (65).
        try folder.write("bad/truth.csv", "site,system,record_id,fact_id\ns,DPI,1,A\n")
        try folder.write(
            "bad/truth-tags.tsv",
            "site\tsystem\trecord_id\tfact_id\tcategory\trole\thard_negative\tnoise\ns\tDPI\t1\tA\tnote\tcopied\t\t\n")
        let bad = try BinaryRunner.run(["evaluate", "--truth", folder.file("bad/truth.csv"), "--groups", groups])
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("role 'copied'"))
    }
}
