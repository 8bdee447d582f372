import Foundation
import Testing
import TestSupport

/// `analyze --format markdown|html|csv`, `--lang`, `--config`, `--staffing`, `--evidence` on the demo audit,
/// through the built binary.
@Suite("Published reports end to end")
struct PublishedReportsTests {
    /// Every identifying value of the demo's inputs, plus record ids.
    func secrets() throws -> Set<String> {
        try demoInputValues(of: identifyingColumns.union(["record_id"]))
    }

    @Test("markdown, html and csv (fr and en, with --evidence): none holds an input identifier, name or text")
    func privacy() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var outputs: [String] = []
        var documents: [String: String] = [:]
        for lang in ["fr", "en"] {
            for format in ["markdown", "html"] {
                let result = try BinaryRunner.run(["analyze", "--key-file", keyFile, "--format", format, "--lang", lang, "--evidence", "-q"])
                #expect(result.status == 0, "\(result.stderr)")
                outputs.append(result.stdout)
                documents[format + "-" + lang] = result.stdout
            }
            let dir = folder.file("csv-\(lang)")
            let result = try BinaryRunner.run(["analyze", "--key-file", keyFile, "--format", "csv", "-o", dir, "--evidence", "-q"])
            #expect(result.status == 0, "\(result.stderr)")
            for name in try FileManager.default.contentsOfDirectory(atPath: dir) {
                outputs.append(try String(contentsOfFile: dir + "/" + name, encoding: .utf8))
            }
        }
        let json = try BinaryRunner.run(["analyze", "--key-file", keyFile, "--format", "json", "--evidence", "-q"])
        outputs.append(json.stdout)
        let secrets = try secrets()
        #expect(secrets.count > 20)
        for secret in secrets {
            for output in outputs where output.contains(secret) {
                Issue.record("an output contains an input identifier or text: \(secret)")
            }
        }
        #expect(documents["markdown-fr"]!.contains("# Ressaisie des données") && documents["markdown-en"]!.contains("# Re-entered data"))
        #expect(documents["html-fr"]!.contains("<svg") && !documents["html-fr"]!.contains("<script"))
        #expect(documents["markdown-fr"]!.contains("Exemples expurgés"))
    }

    @Test("markdown and html are byte-identical across runs with the same key and SOURCE_DATE_EPOCH")
    func reproducible() throws {
        let environment = ["SOURCE_DATE_EPOCH": "1772409600"]
        for format in ["markdown", "html", "json"] {
            let a = try BinaryRunner.run(["analyze", "--key-file", keyFile, "--format", format, "-q"], environment: environment)
            let b = try BinaryRunner.run(["analyze", "--key-file", keyFile, "--format", format, "-q"], environment: environment)
            #expect(a.status == 0 && a.stdout == b.stdout, "\(format)")
        }
    }

    @Test("--config changes the hours; --staffing adds hours per FTE; --suppress-below changes the mark")
    func options() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let config = try folder.write("config.json", "{\"cost_model\": {\"central\": {\"overhead_minutes\": 8}}}")
        let staffing = try folder.write("etp.csv", "site,profession,fte\nch-val-de-loire,IDE,10\nehpad-les-tilleuls,IDE,4\nmsp-du-parc,médecin,3\n")
        let plain = try jsonObject(try BinaryRunner.run(["analyze", "--key-file", keyFile, "--format", "json", "-q"]).stdout)
        let tuned = try jsonObject(try BinaryRunner.run(
            ["analyze", "--key-file", keyFile, "--format", "json", "-q", "--config", config, "--staffing", staffing]).stdout)
        func central(_ report: [String: Any]) -> Double {
            ((report["totals"] as? [String: Any])?["estimated_hours"] as? [String: Double])?["central"] ?? -1
        }
        #expect(central(tuned) > central(plain) * 5)
        let site = try #require((tuned["sites"] as? [[String: Any]])?.first)
        #expect(site["fte"] as? Double == 10)
        #expect(site["estimated_hours_per_fte"] is [String: Any])
        let markdown = try BinaryRunner.run(["analyze", "--key-file", keyFile, "--format", "markdown", "--suppress-below", "3", "-q"])
        #expect(markdown.status == 0 && markdown.stdout.contains("« <3 »"))
        #expect(!markdown.stdout.contains("<11"))
    }

    @Test("usage and file errors keep their exit codes")
    func errors() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(try BinaryRunner.run(["analyze", "--format", "csv"]).status == 64)
        #expect(try BinaryRunner.run(["analyze", "--lang", "de"]).status == 64)
        #expect(try BinaryRunner.run(["analyze", "--key-file", keyFile, "--config", folder.file("none.json")]).status == 66)
        let bad = try folder.write("bad.json", "{\"cost_model\": {\"central\": {\"speed\": 1}}}")
        let result = try BinaryRunner.run(["analyze", "--key-file", keyFile, "--config", bad])
        #expect(result.status == 65 && result.stderr.contains("unknown setting 'cost_model.central.speed'"))
        let file = try folder.write("file", "x")
        #expect(try BinaryRunner.run(["analyze", "--key-file", keyFile, "--format", "csv", "-o", file, "-q"]).status == 73)
    }
}
