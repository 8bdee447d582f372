import Foundation
import TestSupport
import Testing

/// `ressaisie synth` and `ressaisie evaluate` through the built binary.
@Suite("synth and evaluate on the command line")
struct SynthEvaluateTests {
    /// Every file under `folder`, by relative path, with its bytes.
    func contents(of folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for case let relative as String in FileManager.default.enumerator(atPath: folder)! {
            var isFolder: ObjCBool = false
            let full = folder + "/" + relative
            if FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue {
                files[relative] = try Data(contentsOf: URL(fileURLWithPath: full))
            }
        }
        return files
    }

    @Test("the same seed writes the same bytes; another seed writes other ones")
    func determinism() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for (name, seed) in [("a", "5"), ("b", "5"), ("c", "6")] {
            let result = try BinaryRunner.run([
                "synth", "--out", folder.file(name), "--entries", "1500", "--seed", seed,
            ])
            #expect(result.status == 0, "\(result.stderr)")
        }
        let a = try contents(of: folder.file("a")), b = try contents(of: folder.file("b")),
            c = try contents(of: folder.file("c"))
        #expect(a.count > 10)
        #expect(a == b)
        #expect(a["truth.csv"] != c["truth.csv"])
        #expect(a != c)
        for format in ["cda_xml", "fhir_xml", "vendor_csv", "canonical_csv"] {
            #expect(String(decoding: a["synth-summary.json"]!, as: UTF8.self).contains("\"\(format)\""))
        }
        // An existing, non-empty folder is refused (73), and nothing in it is touched.
        let again = try BinaryRunner.run(["synth", "--out", folder.file("a"), "--entries", "1500"])
        #expect(again.status == 73)
        #expect(try contents(of: folder.file("a")) == a)
    }

    @Test("analyze reads a synthetic audit with no rejection; evaluate scores it as counting pairs would")
    func analyzeAndEvaluate() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let audit = folder.file("audit"), groups = folder.file("groups.csv")
        #expect(try BinaryRunner.run(["synth", "--out", audit, "--entries", "3000", "--seed", "2"]).status == 0)
        let analyzed = try BinaryRunner.run([
            "analyze", audit, "--key-file", keyFile, "--format", "json", "--groups", groups,
        ])
        #expect(analyzed.status == 0, "\(analyzed.stderr)")
        #expect(!analyzed.stderr.contains("rejected"))
        let quality = try #require(try jsonObject(analyzed.stdout)["data_quality"] as? [String: Any])
        #expect(quality["rows_rejected"] as? Int == 0)
        let truthText = try String(contentsOfFile: audit + "/truth.csv", encoding: .utf8)
        #expect(quality["entries"] as? Int == truthText.split(separator: "\n").count - 1)

        let evaluated = try BinaryRunner.run([
            "evaluate", "--truth", audit + "/truth.csv", "--groups", groups, "--format", "json",
        ])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let result = try jsonObject(evaluated.stdout)
        #expect(result["schema"] as? String == "ressaisie.evaluation/1")
        #expect(result["entries_missing_from_truth"] as? Int == 0)

        // The same figures by enumerating pairs.
        let groupsText = try String(contentsOfFile: groups, encoding: .utf8)
        let predicted = pairs(fromGroupsCSV: groupsText), actual = pairs(fromTruthCSV: truthText)
        let correct = predicted.intersection(actual)
        #expect(result["predicted_pairs"] as? Int == predicted.count)
        #expect(result["true_pairs"] as? Int == actual.count)
        #expect(result["correct_pairs"] as? Int == correct.count)
        let precision = try #require(result["precision"] as? Double), recall = try #require(result["recall"] as? Double)
        #expect(abs(precision - Double(correct.count) / Double(predicted.count)) < 1e-6)
        #expect(abs(recall - Double(correct.count) / Double(actual.count)) < 1e-6)
        #expect(recall > 0 && recall < 1)
        let sites = try #require(result["sites"] as? [[String: Any]])
        #expect(sites.count == 3)
        // truth-tags.tsv beside the truth adds the breakdown by kind.
        let noise = try #require(result["re_entries_by_noise"] as? [String: [String: Any]])
        #expect(noise["verbatim"]?["entries"] as? Int ?? 0 > 0)
        let negatives = try #require(result["hard_negatives"] as? [String: [String: Any]])
        #expect(
            negatives.keys.sorted() == [
                "beyond_window", "daily_medication", "different_value", "homonyms", "other_category",
                "repeated_measure",
                "routine_note", "two_patients_same_text",
            ])
    }

    @Test("evaluate on hand-made files: text output, missing and malformed files")
    func handMade() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let truth = try folder.write("truth.csv", "site,system,record_id,fact_id\ns,DPI,1,A\ns,DUI,2,A\ns,DPI,3,B\n")
        let groups = try folder.write(
            "groups.csv",
            "group_id,site,system,record_id,role,recorded_at\ng1,s,DPI,1,original,2026-03-04T08:00:00+01:00\n"
                + "g1,s,DUI,2,re_entry,2026-03-04T09:00:00+01:00\n")
        let perfect = try BinaryRunner.run(["evaluate", "--truth", truth, "--groups", groups])
        #expect(perfect.status == 0)
        #expect(perfect.stdout.contains("precision 1.0000"))
        #expect(perfect.stdout.contains("F1        1.0000"))

        let missing = try BinaryRunner.run(["evaluate", "--truth", folder.file("nope.csv"), "--groups", groups])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("nope.csv: no such file or folder"))

        let ragged = try folder.write("ragged.csv", "site,system,record_id,fact_id\ns,DPI,1,A\ns,DPI,2\n")
        let bad = try BinaryRunner.run(["evaluate", "--truth", ragged, "--groups", groups])
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("ragged.csv:3: expected 4 fields, found 3"))

        let role = try folder.write("role.csv", "group_id,site,system,record_id,role,recorded_at\ng1,s,DPI,1,copy,x\n")
        let badRole = try BinaryRunner.run(["evaluate", "--truth", truth, "--groups", role])
        #expect(badRole.status == 65)
        #expect(badRole.stderr.contains("role.csv:2: role 'copy' is neither original nor re_entry"))

        let noTags = try BinaryRunner.run([
            "evaluate", "--truth", truth, "--groups", groups, "--tags", folder.file("tags.tsv"),
        ])
        #expect(noTags.status == 66)
        try folder.write(
            "truth-tags.tsv",
            "site\tsystem\trecord_id\tfact_id\tcategory\trole\thard_negative\tnoise\n"
                + "s\tDPI\t1\tA\tnote\tfirst\t\t\ns\tDUI\t2\tA\tnote\tre_entry\t\ttypo,copy_prefix\n"
                + "s\tDPI\t3\tB\tnote\tfirst\troutine_note\t\n")
        let tagged = try BinaryRunner.run(["evaluate", "--truth", truth, "--groups", groups])
        #expect(tagged.status == 0)
        #expect(tagged.stdout.contains("copy_prefix                   1      1  100.0 %"))
        #expect(tagged.stdout.contains("routine_note          1       0  0.0 %"))

        let header = try folder.write("header.csv", "site,system,record\ns,DPI,1\n")
        let badHeader = try BinaryRunner.run(["evaluate", "--truth", header, "--groups", groups])
        #expect(badHeader.status == 65)
        #expect(badHeader.stderr.contains("header.csv:1: header lacks 'record_id', 'fact_id'"))
    }
}

@Suite("synth at the size of a network study")
struct SynthManySitesTests {
    @Test("a thousand sites, each its own folder and name; 5001 refused")
    func thousandSites() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let made = try BinaryRunner.run([
            "synth", "--out", folder.file("a"), "--sites", "1000", "--entries", "6000", "--seed", "4", "--quiet",
        ])
        #expect(made.status == 0, "\(made.stderr)")
        let sites = try FileManager.default.contentsOfDirectory(atPath: folder.file("a")).filter { !$0.contains(".") }
        #expect(sites.count == 1000 && Set(sites).count == 1000)
        #expect(try BinaryRunner.run(["synth", "--out", folder.file("b"), "--sites", "5001"]).status == 64)
    }
}
