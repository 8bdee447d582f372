import Foundation
import RessaisieHistory
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A run started in the background, its standard streams in files, so a test can watch it and signal it.
final class BackgroundRun {
    let process = Process()
    let stderrPath: String

    init(_ arguments: [String], in folder: TemporaryFolder, environment: [String: String] = [:]) throws {
        stderrPath = folder.file(".stderr-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: stderrPath, contents: nil) else {
            throw CocoaError(.fileWriteUnknown)
        }
        process.executableURL = URL(fileURLWithPath: BinaryRunner.executable)
        process.arguments = arguments
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "NO_COLOR": "1"]
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Waits until `condition` holds (true) or `seconds` pass (false).
    static func waitUntil(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    func terminate(_ signalNumber: Int32 = SIGTERM) {
        kill(process.processIdentifier, signalNumber)
        process.waitUntilExit()
    }
}

/// Cron behaviour: audit.toml, history, lock, signals, quiet (issue 7).
@Suite("Unattended runs")
struct UnattendedTests {
    static let header = "record_id,patient_id,ins,recorded_at,category,label,value\n"

    /// One site's drop for one day: `facts` measures typed in the DPI, the first `retyped` typed again in the DUI.
    static func drop(day: Int, facts: Int, retyped: Int) -> (dpi: String, dui: String) {
        var dpi = header, dui = header
        for fact in 0..<facts {
            let body = String(format: "1%02d%010d", day, fact)  // 13 digits, then the check key
            let ins = body + String(format: "%02d", 97 - Int(body)! % 97)
            let time = String(format: "2026-03-%02d %02d:00", day, 8 + fact % 10)
            dpi += "d\(day)-\(fact),P\(day)-\(fact),\(ins),\(time),vital_sign,Poids,\(50 + fact)\n"
            if fact < retyped {
                let later = String(format: "2026-03-%02d %02d:30", day, 8 + fact % 10)
                dui += "u\(day)-\(fact),R\(day)-\(fact),\(ins),\(later),vital_sign,Poids,\(50 + fact)\n"
            }
        }
        return (dpi, dui)
    }

    @Test("init writes a commented audit.toml that analyze and history use; command-line options override it")
    func initAndAudit() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let audit = folder.file("audit")
        let created = try BinaryRunner.run(["init", audit])
        #expect(created.status == 0, "\(created.stderr)")
        let config = try String(contentsOfFile: audit + "/audit.toml", encoding: .utf8)
        #expect(config.contains("# ") && config.contains("[history]"))
        #expect(try BinaryRunner.run(["init", audit]).status == 73)  // never overwritten
        let day = Self.drop(day: 2, facts: 20, retyped: 5)
        try folder.write("audit/exports/ehpad/dpi.csv", day.dpi)
        try folder.write("audit/exports/ehpad/dui.csv", day.dui)

        let run = try BinaryRunner.run(["analyze", "--audit", audit + "/audit.toml"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.isEmpty)  // the report went to reports/report.json
        let report = try jsonObject(String(decoding: read(audit + "/reports/report.json") ?? Data(), as: UTF8.self))
        let site = try #require((report["sites"] as? [[String: Any]])?.first)
        #expect(site["entries"] as? Int == 25)
        #expect(site["re_entries"] as? Int == 5)
        #expect(read(audit + "/reports/groups.csv") != nil)

        // --format on the command line beats outputs.format; -o beats outputs.report.
        let override = try BinaryRunner.run(
            ["analyze", "--audit", audit + "/audit.toml", "-f", "text", "-o", folder.file("r.txt")])
        #expect(override.status == 0, "\(override.stderr)")
        #expect(String(decoding: read(folder.file("r.txt")) ?? Data(), as: UTF8.self).contains("redundancy"))

        let history = try BinaryRunner.run(["history", "--audit", audit + "/audit.toml", "--format", "csv"])
        #expect(history.status == 0, "\(history.stderr)")
        #expect(parseSimpleCSV(history.stdout).count == 3)  // header + two runs of one site

        // A typo in the file fails loudly (64) and names the key; a missing file is 66.
        try folder.write("bad.toml", "[outputs]\nformt = \"json\"\n")
        let bad = try BinaryRunner.run(["analyze", "--audit", folder.file("bad.toml")])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("formt"))
        #expect(try BinaryRunner.run(["analyze", "--audit", folder.file("none.toml")]).status == 66)
    }

    @Test(
        "two runs on the same input: identical outputs, one history row per run with the same metrics, unchanged said")
    func sameInputTwice() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let day = Self.drop(day: 3, facts: 30, retyped: 10)
        try folder.write("exports/ssiad/dpi.csv", day.dpi)
        try folder.write("exports/ssiad/dui.csv", day.dui)
        var outputs: [[Data?]] = []
        var stderrs: [String] = []
        for _ in 0..<2 {
            let result = try BinaryRunner.run(
                [
                    "analyze", folder.file("exports"), "--key-file", keyFile, "--format", "json", "-o",
                    folder.file("report.json"),
                    "--groups", folder.file("groups.csv"), "--history", folder.file("history.sqlite"),
                ],
                environment: ["SOURCE_DATE_EPOCH": "1772409600"])
            #expect(result.status == 0, "\(result.stderr)")
            outputs.append([read(folder.file("report.json")), read(folder.file("groups.csv"))])
            stderrs.append(result.stderr)
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0][0] != nil && outputs[0][1] != nil)
        #expect(!stderrs[0].contains("unchanged"))
        #expect(stderrs[1].contains("inputs unchanged since the previous run"))
        let rows = try HistoryStore(path: folder.file("history.sqlite")).rows()
        #expect(rows.count == 2)
        #expect(rows[0].snapshot == rows[1].snapshot)
        #expect(rows[0].snapshot.reEntries == 10)
        #expect(rows.map(\.inputsUnchanged) == [false, true])
        #expect(temporaryFiles(in: folder.path).isEmpty)
    }

    @Test("--quiet prints nothing on success, even with history and an unchanged input")
    func quiet() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for _ in 0..<2 {
            let result = try BinaryRunner.run(
                [
                    "analyze", "--quiet", "-o", folder.file("r.txt"), "--history", folder.file("h.sqlite"),
                    "--log-format", "json",
                ])
            #expect(result.status == 0)
            #expect(result.stdout.isEmpty && result.stderr.isEmpty, "\(result.stderr)")
        }
    }

    @Test("a temporary output left by a killed run (SIGKILL) is removed by the next run; a live run's is not touched")
    func staleTemporaries() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        try folder.write(".r.txt.tmp-\(dead.processIdentifier)", "half a report")
        try folder.write(".r.txt.tmp-\(getpid())", "a live run's file")
        let result = try BinaryRunner.run(["analyze", "--key-file", keyFile, "-q", "-o", folder.file("r.txt")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(temporaryFiles(in: folder.path) == [".r.txt.tmp-\(getpid())"])
    }

    @Test("--log-format json: errors and notices are one JSON object per line on stderr")
    func jsonLog() throws {
        let failed = try BinaryRunner.run([
            "analyze", "/nonexistent/exports", "--key-file", keyFile, "--log-format", "json",
        ])
        #expect(failed.status == 66)
        let line = try jsonObject(failed.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(line["level"] as? String == "error")
        #expect((line["message"] as? String)?.contains("/nonexistent/exports") == true)
    }

    @Test("outputs to a device take no lock and leave nothing in /dev")
    func deviceOutput() throws {
        let result = try BinaryRunner.run(["analyze", "--key-file", keyFile, "-q", "-o", "/dev/null"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/dev/.null.lock"))
    }

    @Test("a second run while one holds the lock exits 75 at once; --wait waits, then gives up with 75")
    func lock() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let arguments = [
            "analyze", "--key-file", keyFile, "-q", "-o", folder.file("r.txt"), "--history", folder.file("h.sqlite"),
        ]
        // The first run stops just before renaming its output, holding the lock.
        let holder = try BackgroundRun(arguments, in: folder, environment: ["RESSAISIE_TEST_PAUSE": "output"])
        defer { if holder.process.isRunning { holder.terminate(SIGKILL) } }
        #expect(BackgroundRun.waitUntil(60) { holder.stderr.contains("test pause at output") })
        var started = Date()
        let second = try BinaryRunner.run(arguments)
        #expect(second.status == 75)
        #expect(second.stderr.contains("another run holds"))
        #expect(Date().timeIntervalSince(started) < 5)
        started = Date()
        let waited = try BinaryRunner.run(arguments + ["--wait", "1"])
        #expect(waited.status == 75)
        #expect(Date().timeIntervalSince(started) >= 1)
        holder.terminate()
        // Lock released by the kernel when the holder died: the next run goes through.
        #expect(try BinaryRunner.run(arguments).status == 0)
    }

    @Test("two runs started together: exactly one exits 75")
    func concurrent() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let arguments = [
            "analyze", "--key-file", keyFile, "-q", "-o", folder.file("r.txt"), "--history", folder.file("h.sqlite"),
        ]
        let runs = try (0..<2).map { _ in
            try BackgroundRun(arguments, in: folder, environment: ["RESSAISIE_TEST_PAUSE": "history"])
        }
        #expect(BackgroundRun.waitUntil(60) { runs.contains { $0.stderr.contains("test pause at history") } })
        #expect(BackgroundRun.waitUntil(30) { runs.contains { !$0.process.isRunning } })
        let finished = runs.filter { !$0.process.isRunning }
        #expect(finished.count == 1)
        #expect(finished.first?.process.terminationStatus == 75)
        for run in runs where run.process.isRunning { run.terminate() }
    }

    @Test("SIGTERM while an output is half-done: previous outputs byte-identical, no temporary file left")
    func killedBeforeRename() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let first = Self.drop(day: 4, facts: 10, retyped: 2)
        try folder.write("exports/site/dpi.csv", first.dpi)
        try folder.write("exports/site/dui.csv", first.dui)
        let arguments = [
            "analyze", folder.file("exports"), "--key-file", keyFile, "-q", "-f", "json",
            "-o", folder.file("out/report.json"), "--groups", folder.file("out/groups.csv"),
            "--history", folder.file("out/h.sqlite"),
        ]
        try FileManager.default.createDirectory(atPath: folder.file("out"), withIntermediateDirectories: true)
        #expect(try BinaryRunner.run(arguments).status == 0)
        let before = [read(folder.file("out/report.json")), read(folder.file("out/groups.csv"))]
        let second = Self.drop(day: 5, facts: 10, retyped: 9)
        try folder.write("exports/site/dpi-2.csv", second.dpi)
        try folder.write("exports/site/dui-2.csv", second.dui)

        let run = try BackgroundRun(arguments, in: folder, environment: ["RESSAISIE_TEST_PAUSE": "output"])
        #expect(BackgroundRun.waitUntil(60) { run.stderr.contains("test pause at output") })
        // The new report and groups, both written, neither renamed: outputs are committed together.
        #expect(temporaryFiles(in: folder.file("out")).count == 2)
        run.terminate(SIGTERM)
        #expect(run.process.terminationReason == .uncaughtSignal)
        #expect(run.process.terminationStatus == SIGTERM)
        #expect([read(folder.file("out/report.json")), read(folder.file("out/groups.csv"))] == before)
        #expect(temporaryFiles(in: folder.path).isEmpty)
        #expect(try HistoryStore(path: folder.file("out/h.sqlite")).runCount() == 1)
    }

    @Test("SIGTERM in the middle of reading a large export: previous outputs intact, no temporary file")
    func killedWhileReading() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let small = Self.drop(day: 6, facts: 5, retyped: 1)
        try folder.write("exports/site/dpi.csv", small.dpi)
        let arguments = [
            "analyze", folder.file("exports"), "--key-file", keyFile, "-q", "-o", folder.file("report.txt"),
            "--groups", folder.file("groups.csv"),
        ]
        #expect(try BinaryRunner.run(arguments).status == 0)
        let before = [read(folder.file("report.txt")), read(folder.file("groups.csv"))]
        // 150 000 rows: seconds of work in a debug build, so the signal lands mid-run.
        var big = Self.header
        big.reserveCapacity(150_000 * 60)
        for row in 0..<150_000 {
            big +=
                "b\(row),P\(row % 3000),,2026-03-\(10 + row % 9) \(10 + row % 10):\(10 + row % 50),vital_sign,Poids,\(row % 90)\n"
        }
        try folder.write("exports/site/dui.csv", big)
        let run = try BackgroundRun(arguments, in: folder)
        usleep(400_000)
        run.terminate(SIGTERM)
        #expect(run.process.terminationReason == .uncaughtSignal, "the run ended before the signal: \(run.stderr)")
        #expect([read(folder.file("report.txt")), read(folder.file("groups.csv"))] == before)
        #expect(temporaryFiles(in: folder.path).isEmpty)
    }

    @Test("the history database survives a run killed in the middle of its transaction")
    func killedDuringHistoryWrite() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = folder.file("h.sqlite")
        let arguments = ["analyze", "--key-file", keyFile, "-q", "-o", folder.file("r.txt"), "--history", database]
        #expect(try BinaryRunner.run(arguments).status == 0)
        let before = try HistoryStore(path: database).rows()
        let run = try BackgroundRun(arguments, in: folder, environment: ["RESSAISIE_TEST_PAUSE": "history"])
        #expect(BackgroundRun.waitUntil(60) { run.stderr.contains("test pause at history") })
        // Rows of the run are inserted, not committed: the rollback journal is there.
        #expect(FileManager.default.fileExists(atPath: database + "-journal"))
        run.terminate(SIGKILL)
        let store = try HistoryStore(path: database)
        #expect(try store.rows() == before)
        #expect(try store.runCount() == 1)
        #expect(try BinaryRunner.run(arguments).status == 0)
        #expect(try HistoryStore(path: database).runCount() == 2)
    }

    @Test(
        "a crontab-like sequence: three daily drops, a run after each; history shows three rows per site and the trend")
    func threeDays() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(try BinaryRunner.run(["init", folder.file("audit")]).status == 0)
        let audit = folder.file("audit/audit.toml")
        // The EHPAD's interface is installed after day 1: fewer retyped measures each day. The MSP stays flat.
        let plan: [(site: String, facts: Int, retyped: [Int])] = [
            ("ehpad", 20, [10, 4, 0]),
            ("msp", 10, [2, 2, 2]),
        ]
        for day in 1...3 {
            for site in plan {
                let drop = Self.drop(day: day, facts: site.facts, retyped: site.retyped[day - 1])
                try folder.write("audit/exports/\(site.site)/dpi-day\(day).csv", drop.dpi)
                try folder.write("audit/exports/\(site.site)/dui-day\(day).csv", drop.dui)
            }
            let run = try BinaryRunner.run(["analyze", "--audit", audit, "--quiet"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.isEmpty && run.stderr.isEmpty)
        }
        let json = try BinaryRunner.run(["history", "--audit", audit, "--format", "json", "--metric", "re_entries"])
        #expect(json.status == 0, "\(json.stderr)")
        let sites = try #require(try jsonObject(json.stdout)["sites"] as? [[String: Any]])
        var reEntries: [String: [Int]] = [:], entries: [String: [Int]] = [:]
        for site in sites {
            let runs = try #require(site["runs"] as? [[String: Any]])
            reEntries[site["site"] as! String] = runs.compactMap { $0["re_entries"] as? Int }
            entries[site["site"] as! String] = runs.compactMap { $0["entries"] as? Int }
        }
        // Cumulative over the drops so far.
        #expect(reEntries["ehpad"] == [10, 14, 14])
        #expect(entries["ehpad"] == [30, 54, 74])
        #expect(reEntries["msp"] == [2, 4, 6])
        #expect(entries["msp"] == [12, 24, 36])
        let text = try BinaryRunner.run(["history", "--audit", audit, "--site", "ehpad"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("ehpad · redundancy_rate █▄▁"))
        #expect(!text.stdout.contains("msp"))
        let flat = try BinaryRunner.run(["history", "--audit", audit, "--site", "msp", "--metric", "redundancy_rate"])
        #expect(flat.stdout.contains("▄▄▄"))
    }
}
