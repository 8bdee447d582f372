import Foundation
import TestSupport
import Testing

/// `review --sample`, the analyst's labels (here from the demo's truth), `review --score` and `analyze --review`,
/// through the built binary.
@Suite("Review end to end")
struct ReviewCommandTests {
    /// The sample's rows labelled from `Fixtures/demo-truth.csv` (yes when both entries record one fact), the
    /// first `blank` rows left unlabelled and the row `bad` (if any) given a label that is neither yes nor no.
    func labelled(_ sample: String, blank: Int = 0, bad: Int? = nil) throws -> String {
        let truthText = try String(contentsOfFile: PackagePaths.fixture("demo-truth.csv"), encoding: .utf8)
        var fact: [String: String] = [:]
        for row in parseSimpleCSV(truthText).dropFirst() where row.count == 4 {
            fact["\(row[0])|\(row[1])|\(row[2])"] = row[3]
        }
        let rows = parseSimpleCSV(sample)
        let headerIndex = try #require(rows.firstIndex { $0.first == "pair_id" })
        let header = rows[headerIndex]
        func column(_ name: String) throws -> Int { try #require(header.firstIndex(of: name)) }
        let (site, systemA, recordA, systemB, recordB, label) = (
            try column("site"), try column("system_a"), try column("record_id_a"), try column("system_b"),
            try column("record_id_b"),
            try column("same_fact")
        )
        func line(_ fields: [String]) -> String {
            fields.map {
                $0.contains(where: { ",\"\n\r".contains($0) })
                    ? "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : $0
            }
            .joined(separator: ",")
        }
        var out =
            sample.split(separator: "\n", omittingEmptySubsequences: false).prefix { $0.hasPrefix("#") }.joined(
                separator: "\n") + "\n"
        out += line(header) + "\n"
        for (index, var row) in rows[(headerIndex + 1)...].enumerated() where row.count == header.count {
            let a = fact["\(row[site])|\(row[systemA])|\(row[recordA])"],
                b = fact["\(row[site])|\(row[systemB])|\(row[recordB])"]
            row[label] = index < blank ? "" : index == bad ? "peut-être" : (a != nil && a == b ? "yes" : "no")
            out += line(row) + "\n"
        }
        return out
    }

    @Test(
        "review --sample on the demo: warned, deterministic for a seed, content side by side; --score and analyze --review"
    )
    func sampleAndScore() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let samplePath = folder.file("sample.csv")
        let run = try BinaryRunner.run([
            "review", "--key-file", keyFile, "--sample", "40", "--seed", "5", "-o", samplePath,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("keep it on site"))
        let sample = try String(contentsOfFile: samplePath, encoding: .utf8)
        #expect(sample.hasPrefix("# ressaisie review sample - FOR THE ANALYST'S EYES ONLY"))
        let rows = parseSimpleCSV(sample).filter { $0.count > 20 }
        #expect(rows.count == 41)  // header + 40 pairs
        #expect(rows[0].first == "pair_id" && rows[0].last == "same_fact")
        #expect(rows.dropFirst().allSatisfy { $0.last == "" })
        // Both kinds of pairs, and the content side by side (label or text on each side).
        let strata = Set(rows.dropFirst().map { $0[1] })
        #expect(strata.contains { $0.hasPrefix("grouped.") } && strata.contains { $0.hasPrefix("near_miss.") })
        let textA = try #require(rows[0].firstIndex(of: "text_a")),
            labelA = try #require(rows[0].firstIndex(of: "label_a"))
        #expect(rows.dropFirst().contains { !$0[textA].isEmpty } && rows.dropFirst().contains { !$0[labelA].isEmpty })
        // Patient ids are pseudonyms (32 hex digits).
        let patient = try #require(rows[0].firstIndex(of: "patient_a"))
        #expect(rows.dropFirst().allSatisfy { $0[patient].count == 32 && $0[patient].allSatisfy(\.isHexDigit) })
        // The same seed draws the same pairs; another seed other pairs.
        let again = try BinaryRunner.run(["review", "--key-file", keyFile, "--sample", "40", "--seed", "5", "-q"])
        #expect(again.stdout == sample)
        let other = try BinaryRunner.run(["review", "--key-file", keyFile, "--sample", "40", "--seed", "6", "-q"])
        #expect(other.status == 0 && other.stdout != sample)

        let labelledPath = try folder.write("labelled.csv", try labelled(sample, blank: 2))
        let score = try BinaryRunner.run(["review", "--score", labelledPath, "--format", "json"])
        #expect(score.status == 0, "\(score.stderr)")
        let json = try jsonObject(score.stdout)
        #expect(json["schema"] as? String == "ressaisie.review/1")
        #expect(json["reviewed"] as? Int == 38 && json["unlabelled"] as? Int == 2)
        let precision = try #require(json["precision"] as? [String: Any])
        let estimate = try #require(precision["estimate"] as? Double),
            lower = try #require(precision["lower"] as? Double)
        #expect(estimate > 0.9 && lower < estimate)
        let text = try BinaryRunner.run(["review", "--score", labelledPath])
        #expect(text.stdout.contains("38 pairs labelled, 2 not labelled") && text.stdout.contains("precision"))

        // analyze --review: the estimate on the page, in every format and both languages.
        let reviewed = try BinaryRunner.run(["analyze", "--key-file", keyFile, "-q", "--review", labelledPath])
        #expect(reviewed.status == 0, "\(reviewed.stderr)")
        #expect(
            reviewed.stdout.contains("from 38 reviewed pairs)") && reviewed.stdout.contains("review: 38 pairs labelled")
        )
        let markdownFR = try BinaryRunner.run([
            "analyze", "--key-file", keyFile, "-q", "--review", labelledPath, "--format", "markdown",
        ])
        #expect(markdownFR.stdout.contains("d'après 38 paires relues)") && markdownFR.stdout.contains("relus sur site"))
        #expect(!markdownFR.stdout.contains("n'ont pas été relus"))
        let htmlEN = try BinaryRunner.run([
            "analyze", "--key-file", keyFile, "-q", "--review", labelledPath, "--format", "html", "--lang", "en",
        ])
        #expect(htmlEN.stdout.contains("from 38 reviewed pairs)") && htmlEN.stdout.contains("were reviewed on site"))
        let reviewedJSON = try jsonObject(
            try BinaryRunner.run(["analyze", "--key-file", keyFile, "-q", "--review", labelledPath, "--format", "json"])
                .stdout)
        let totals = try #require(reviewedJSON["totals"] as? [String: Any])
        let range = try #require(totals["re_entries_estimated"] as? [String: Any])
        let (low, mid, high) = (
            try #require(range["lower"] as? Int), try #require(range["estimate"] as? Int),
            try #require(range["upper"] as? Int)
        )
        #expect(low <= mid && mid <= high && range["reviewed_pairs"] as? Int == 38)
        let settings = try #require(reviewedJSON["settings"] as? [String: Any])
        #expect((settings["review"] as? [String: Any])?["reviewed"] as? Bool == true)
        let tables = folder.file("tables")
        #expect(
            try BinaryRunner.run([
                "analyze", "--key-file", keyFile, "-q", "--review", labelledPath, "--format", "csv", "-o", tables,
            ]).status == 0)
        let overview = try String(contentsOfFile: tables + "/overview.csv", encoding: .utf8)
        #expect(overview.contains("Ressaisies estimées après relecture, borne basse (IC 95 %)\","))
        let method = try String(contentsOfFile: tables + "/method.csv", encoding: .utf8)
        #expect(method.contains("Paires relues sur site,38") && method.contains("Précision, borne basse"))
        // The sample's content never reaches a report.
        let texts = Set(rows.dropFirst().map { $0[textA] }.filter { $0.count >= 12 })
        #expect(!texts.isEmpty)
        for output in [reviewed.stdout, markdownFR.stdout, htmlEN.stdout] {
            for text in texts where output.contains(text) {
                Issue.record("a report holds a reviewed entry's text: \(text)")
            }
        }
    }

    @Test(
        "without --review the page says the counts are unreviewed and quotes the tested accuracy; hours are scenarios")
    func unreviewed() throws {
        let fr = try BinaryRunner.run(["analyze", "--key-file", keyFile, "-q", "--format", "markdown"])
        #expect(
            fr.stdout.contains("n'ont pas été relus")
                && fr.stdout.contains("F1 médian 0,97, précision 0,99, rappel 0,95"))
        #expect(fr.stdout.contains("scénarios de coût") && fr.stdout.contains("pas un intervalle de confiance"))
        #expect(fr.stdout.contains("Heures/mois (scénario bas)") && !fr.stdout.contains("d'après"))
        let en = try BinaryRunner.run(["analyze", "--key-file", keyFile, "-q", "--format", "html", "--lang", "en"])
        #expect(
            en.stdout.contains("have not been reviewed")
                && en.stdout.contains("median F1 0.97, precision 0.99, recall 0.95"))
        #expect(en.stdout.contains("three cost scenarios (low – central – high), not an interval"))
        let text = try BinaryRunner.run(["analyze", "--key-file", keyFile, "-q"])
        #expect(text.stdout.contains("accuracy: counts not reviewed"))
        let json = try jsonObject(
            try BinaryRunner.run(["analyze", "--key-file", keyFile, "-q", "--format", "json"]).stdout)
        let review = try #require((json["settings"] as? [String: Any])?["review"] as? [String: Any])
        #expect(
            review["reviewed"] as? Bool == false
                && (review["tested_accuracy"] as? [String: Any])?["recall"] as? Double == 0.95)
    }

    @Test("a bad label stops --score and analyze --review with the file and line (65); usage errors are 64")
    func errors() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let sample = try BinaryRunner.run(["review", "--key-file", keyFile, "--sample", "10", "-q"]).stdout
        let path = try folder.write("labelled.csv", try labelled(sample, bad: 3))
        let warningLines = sample.split(separator: "\n").prefix { $0.hasPrefix("#") }.count
        for arguments in [["review", "--score", path], ["analyze", "-q", "--review", path]] {
            let result = try BinaryRunner.run(arguments)
            #expect(result.status == 65, "\(arguments)")
            #expect(
                result.stderr.contains("labelled.csv:\(warningLines + 1 + 4)") && result.stderr.contains("peut-être"),
                "\(result.stderr)")
        }
        #expect(try BinaryRunner.run(["review", "--score", folder.file("none.csv")]).status == 66)
        #expect(try BinaryRunner.run(["review"]).status == 64)
        #expect(try BinaryRunner.run(["review", "--sample", "10", "--score", path]).status == 64)
        #expect(try BinaryRunner.run(["review", "--sample", "0"]).status == 64)
    }
}
