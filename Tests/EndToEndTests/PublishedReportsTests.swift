import Foundation
import TestSupport
import Testing

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
                let result = try BinaryRunner.run([
                    "analyze", "--key-file", keyFile, "--format", format, "--lang", lang, "--evidence", "-q",
                ])
                #expect(result.status == 0, "\(result.stderr)")
                outputs.append(result.stdout)
                documents[format + "-" + lang] = result.stdout
            }
            let dir = folder.file("csv-\(lang)")
            let result = try BinaryRunner.run([
                "analyze", "--key-file", keyFile, "--format", "csv", "-o", dir, "--evidence", "-q",
            ])
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
        #expect(
            documents["markdown-fr"]!.contains("# Ressaisie des données")
                && documents["markdown-en"]!.contains("# Re-entered data"))
        #expect(documents["html-fr"]!.contains("<svg") && !documents["html-fr"]!.contains("<script"))
        #expect(documents["markdown-fr"]!.contains("Exemples expurgés"))
    }

    @Test("markdown and html are byte-identical across runs with the same key and SOURCE_DATE_EPOCH")
    func reproducible() throws {
        let environment = ["SOURCE_DATE_EPOCH": "1772409600"]
        for format in ["markdown", "html", "json"] {
            let a = try BinaryRunner.run(
                ["analyze", "--key-file", keyFile, "--format", format, "-q"], environment: environment)
            let b = try BinaryRunner.run(
                ["analyze", "--key-file", keyFile, "--format", format, "-q"], environment: environment)
            #expect(a.status == 0 && a.stdout == b.stdout, "\(format)")
        }
    }

    @Test("--config changes the hours; --staffing adds hours per FTE; --suppress-below changes the mark")
    func options() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let config = try folder.write("config.json", "{\"cost_model\": {\"central\": {\"overhead_minutes\": 8}}}")
        let staffing = try folder.write(
            "etp.csv", "site,profession,fte\nch-val-de-loire,IDE,10\nehpad-les-tilleuls,IDE,4\nmsp-du-parc,médecin,3\n")
        let plain = try jsonObject(
            try BinaryRunner.run(["analyze", "--key-file", keyFile, "--format", "json", "-q"]).stdout)
        let tuned = try jsonObject(
            try BinaryRunner.run(
                [
                    "analyze", "--key-file", keyFile, "--format", "json", "-q", "--config", config, "--staffing",
                    staffing,
                ]).stdout)
        func central(_ report: [String: Any]) -> Double {
            ((report["totals"] as? [String: Any])?["estimated_hours"] as? [String: Double])?["central"] ?? -1
        }
        #expect(central(tuned) > central(plain) * 5)
        let site = try #require((tuned["sites"] as? [[String: Any]])?.first)
        #expect(site["fte"] as? Double == 10)
        #expect(site["estimated_hours_per_fte"] is [String: Any])
        let markdown = try BinaryRunner.run([
            "analyze", "--key-file", keyFile, "--format", "markdown", "--suppress-below", "3", "-q",
        ])
        #expect(markdown.status == 0 && markdown.stdout.contains("« <3 »"))
        #expect(!markdown.stdout.contains("<11"))
    }

    @Test("usage and file errors keep their exit codes")
    func errors() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(try BinaryRunner.run(["analyze", "--format", "csv"]).status == 64)
        #expect(try BinaryRunner.run(["analyze", "--lang", "de"]).status == 64)
        #expect(
            try BinaryRunner.run(["analyze", "--key-file", keyFile, "--config", folder.file("none.json")]).status == 66)
        let bad = try folder.write("bad.json", "{\"cost_model\": {\"central\": {\"speed\": 1}}}")
        let result = try BinaryRunner.run(["analyze", "--key-file", keyFile, "--config", bad])
        #expect(result.status == 65 && result.stderr.contains("unknown setting 'cost_model.central.speed'"))
        let file = try folder.write("file", "x")
        #expect(
            try BinaryRunner.run(["analyze", "--key-file", keyFile, "--format", "csv", "-o", file, "-q"]).status == 73)
    }
}

/// Honest periods through the built binary: a vendor export's declared period, a profile's, and a file of a
/// few hours reported per day.
@Suite("Periods end to end")
struct PeriodsEndToEndTests {
    let vendor = PackagePaths.fixture("vendor/ehpad-les-tilleuls/dui-export-2026-03.csv")
    let profile = PackagePaths.fixture("profiles/ehpad-dui-vendor.profile.toml")

    func period(_ arguments: [String]) throws -> [String: Any] {
        let run = try BinaryRunner.run(["analyze"] + arguments + ["--key-file", keyFile, "--format", "json", "-q"])
        #expect(run.status == 0, "\(run.stderr)")
        let site = try #require((try jsonObject(run.stdout)["sites"] as? [[String: Any]])?.first)
        return try #require(site["period"] as? [String: Any])
    }

    @Test(
        "the title line `Période : du 01/03/2026 au 31/03/2026` gives 31 days, not the 26 between first and last entry")
    func declaredByTitle() throws {
        let declared = try period([vendor, "--profile", profile])
        #expect(declared["source"] as? String == "declared")
        // less the summer-time hour
        #expect((declared["days"] as? Double).map { abs($0 - 30.96) < 0.01 } == true, "\(declared)")
        #expect((declared["from"] as? String)?.hasPrefix("2026-03-01T00:00:00") == true)
        #expect((declared["to"] as? String)?.hasPrefix("2026-03-31T23:59:59") == true)
        // --period only stands for exports that declare none.
        let withAnalyst = try period([vendor, "--profile", profile, "--period", "2026-03-10..2026-03-12"])
        #expect(withAnalyst["source"] as? String == "declared")
    }

    @Test("a profile's period overrides the title line; an invalid one is refused with the profile named")
    func declaredByProfile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let text = try String(contentsOfFile: profile, encoding: .utf8)
        let february = try folder.write(
            "p.toml",
            text.replacingOccurrences(
                of: "header_line = 3", with: "header_line = 3\nperiod = \"2026-02-15..2026-04-14\""))
        let declared = try period([vendor, "--profile", february])
        #expect(declared["source"] as? String == "declared")
        #expect(
            (declared["from"] as? String)?.hasPrefix("2026-02-15") == true
                && (declared["to"] as? String)?.hasPrefix("2026-04-14") == true)
        let bad = try folder.write(
            "bad.toml",
            text.replacingOccurrences(of: "header_line = 3", with: "header_line = 3\nperiod = \"mars 2026\""))
        let run = try BinaryRunner.run(["analyze", vendor, "--profile", bad, "--key-file", keyFile, "-q"])
        #expect(run.status == 65 && run.stderr.contains("bad.toml") && run.stderr.contains("period"), "\(run.stderr)")
    }

    @Test("13 hours of exports: hours per day and per week, never per month, with the period beside them")
    func thirteenHours() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let header =
            "record_id,patient_id,birth_name,given_names,birth_date,sex,recorded_at,category,label,value,author_id,profession\n"
        func time(_ minutes: Int) -> String {
            let hour = 7 + minutes / 60, minute = minutes % 60
            return "2026-03-04 \(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)"
        }
        var dpi = header, dui = header
        // 20 persons, each weighed in the DPI then typed again in the DUI 5 minutes later, from 07:00 to 19:46.
        for index in 0..<20 {
            let person = "NOM\(index),PRENOM,1940-01-\(index < 9 ? "0" : "")\(index + 1),F"
            dpi +=
                "D\(index),P\(index),\(person),\(time(index * 39)),vital_sign,Poids,\(60 + index),a\(index % 4),IDE\n"
            dui +=
                "U\(index),R\(index),\(person),\(time(index * 39 + 5)),vital_sign,Poids,\(60 + index),b\(index % 4),AS\n"
        }
        try folder.write("site/dpi.csv", dpi)
        try folder.write("site/dui.csv", dui)
        let markdown = try BinaryRunner.run([
            "analyze", folder.file("site"), "--key-file", keyFile, "--format", "markdown", "--lang", "en",
            "--suppress-below", "0", "-q",
        ])
        #expect(markdown.status == 0, "\(markdown.stderr)")
        #expect(
            markdown.stdout.contains("Hours/day (central scenario)")
                && markdown.stdout.contains("Hours/week (central scenario)"))
        // no table row or column per month (the definitions still define the term)
        #expect(!markdown.stdout.contains("| Hours/month"))
        #expect(markdown.stdout.contains("Under 7 days: hours are given per day and per week"))
        #expect(markdown.stdout.contains("from the first to the last entry"))
        let text = try BinaryRunner.run(["analyze", folder.file("site"), "--key-file", keyFile, "-q"])
        #expect(
            text.stdout.contains("h/day") && text.stdout.contains("h/week") && !text.stdout.contains("h/month"),
            "\(text.stdout)")
        let json = try jsonObject(
            try BinaryRunner.run(["analyze", folder.file("site"), "--key-file", keyFile, "--format", "json", "-q"])
                .stdout)
        let site = try #require((json["sites"] as? [[String: Any]])?.first)
        #expect((site["period"] as? [String: Any])?["short"] as? Bool == true)
        #expect((site["re_entries"] as? Int ?? 0) > 0)
        let perDay = try #require((site["estimated_hours_per_day"] as? [String: Double])?["central"])
        let total = try #require((site["estimated_hours_total"] as? [String: Double])?["central"])
        #expect(abs(perDay - total) < 0.01)  // the 13 hours count as one day
    }
}
