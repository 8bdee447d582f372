import Foundation
import RessaisieHistory
import TestSupport
import Testing

/// Sharded runs and `compare` through the built binary: shards started at once on one history database.
@Suite("analyze --shard, --site and compare")
struct ShardCommandTests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Each site's entries and re-entries in an `analyze --format json` report.
    func figures(_ report: [String: Any]) -> [String: [Int]] {
        let sites = report["sites"] as? [[String: Any]] ?? []
        return Dictionary(
            uniqueKeysWithValues: sites.map {
                ($0["site"] as! String, [$0["entries"] as! Int, $0["re_entries"] as! Int])
            })
    }

    @Test(
        "5 shards at once on one history: every site recorded exactly once, with the whole run's entries; compare reads them back"
    )
    func shardsAtOnce() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let audit = folder.file("audit"), key = try folder.write("k.key", String(repeating: "k", count: 32))
        let made = try BinaryRunner.run([
            "synth", "--out", audit, "--sites", "12", "--entries", "6000", "--seed", "3", "--quiet",
        ])
        #expect(made.status == 0, "\(made.stderr)")
        let sites = try FileManager.default.contentsOfDirectory(atPath: audit).filter { !$0.contains(".") }.sorted()
        #expect(sites.count == 12)
        let history = folder.file("h.sqlite")
        let runs = try (0..<5).map { index in
            try BackgroundRun(
                [
                    "analyze", audit, "--key-file", key, "--shard", "\(index)/5", "-q", "-f", "json", "-o",
                    folder.file("r\(index).json"), "--history", history,
                ], in: folder)
        }
        for run in runs { run.process.waitUntilExit() }
        #expect(runs.allSatisfy { $0.process.terminationStatus == 0 }, "\(runs.map(\.stderr))")
        let rows = try HistoryStore(path: history).rows()
        #expect(rows.map(\.snapshot.site).sorted() == sites)

        // Each site's figures in its shard are the ones the whole run gives it.
        let whole = try BinaryRunner.run(["analyze", audit, "--key-file", key, "-q", "-f", "json"])
        var sharded: [String: [Int]] = [:]
        for index in 0..<5 where FileManager.default.fileExists(atPath: folder.file("r\(index).json")) {
            let report = try json(try String(contentsOfFile: folder.file("r\(index).json"), encoding: .utf8))
            let settings = report["settings"] as? [String: Any]
            #expect(settings?["sites_analysed"] as? String == "shard \(index)/5 (0-based)")
            sharded.merge(figures(report)) { first, _ in first }
        }
        // The same entries; re-entries within 1 % (linkage weights and boilerplate are learned from the
        // shard's sites: one match more or less happens).
        let all = figures(try json(whole.stdout))
        #expect(sharded.keys.sorted() == all.keys.sorted())
        for (site, counts) in all {
            #expect(sharded[site]?[0] == counts[0], "\(site)")
            #expect(abs((sharded[site]?[1] ?? 0) - counts[1]) <= max(1, counts[1] / 100), "\(site)")
        }

        let compared = try BinaryRunner.run(["compare", "--history", history, "--format", "json"])
        #expect(compared.status == 0, "\(compared.stderr)")
        let report = try json(compared.stdout)
        #expect(report["schema"] as? String == "ressaisie.compare/1")
        #expect((report["sites"] as? [[String: Any]])?.compactMap { $0["site"] as? String } == sites)
        for format in ["text", "md", "html", "csv"] {
            #expect(try BinaryRunner.run(["compare", "--history", history, "-f", format]).status == 0)
        }
    }

    @Test("--site reads only the sites named; a shard or site with no entry exits 0 and writes nothing")
    func namedSites() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BinaryRunner.run([
            "analyze", PackagePaths.fixture("demo"), "--site", "msp-du-parc", "--site", "ch-val-de-loire", "-f", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try json(result.stdout)
        #expect(figures(report).keys.sorted() == ["ch-val-de-loire", "msp-du-parc"])
        let quality = report["data_quality"] as? [String: Any]
        // The EHPAD's two exports have no site column: not read past their header.
        #expect(quality?["files_outside_selection"] as? Int == 2)
        #expect(quality?["rows_outside_selection"] as? Int == 0)
        let none = try BinaryRunner.run([
            "analyze", PackagePaths.fixture("demo"), "--site", "nowhere", "-o", folder.file("r.txt"),
        ])
        #expect(none.status == 0)
        #expect(none.stderr.contains("no entry of site nowhere"))
        #expect(!FileManager.default.fileExists(atPath: folder.file("r.txt")))
        #expect(try BinaryRunner.run(["analyze", "--shard", "4/4"]).status == 64)
        #expect(try BinaryRunner.run(["analyze", "--shard", "0/2", "--site", "a"]).status == 64)
        #expect(try BinaryRunner.run(["compare", "--history", folder.file("missing.sqlite")]).status == 66)
    }
}
