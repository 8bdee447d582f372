import Foundation
import RessaisieCore
import RessaisieIngest
import TestSupport
import Testing

/// Sharded runs (`analyze --shard I/N`, `--site NAME`): which sites a run reads, and how the others are skipped.
@Suite("Site selection")
struct SiteSelectionTests {
    let key = Pseudonymizer(keyBytes: Array("a fixed key for the shard tests".utf8))

    @Test("every site falls in exactly one shard, for 1 to 7 shards")
    func eachSiteOnce() throws {
        let sites = (0..<300).map { "site-\($0)" } + ["ehpad-les-tilleuls", "CH Val-de-Loire", "é", ""]
        for count in 1...7 {
            let shards = (0..<count).map { SiteSelection(shard: "\($0)/\(count)")! }
            for site in sites {
                #expect(shards.filter { $0.admits(site) }.count == 1, "\(site) in \(count) shards")
                #expect(shards[SiteSelection.shard(ofSite: site, count: count)].admits(site))
            }
            // No shard is empty on 300 sites, and none holds more than twice its share.
            let sizes = shards.map { shard in sites.filter { shard.admits($0) }.count }
            #expect(sizes.allSatisfy { $0 > 0 && $0 <= 2 * sites.count / count + 1 }, "\(sizes)")
        }
    }

    @Test("the shard is StableHasher's hash of the name's UTF-8 bytes modulo N: fixed values other tools reproduce")
    func documentedHash() {
        // The values of the Python reference in docs/DESIGN.md ("Sharded runs").
        #expect(StableHasher.hash("ehpad-les-tilleuls") == 0x87b7_9013_45f7_dbb5)
        #expect(StableHasher.hash("ch-val-de-loire") == 0xb295_ed39_a833_3067)
        #expect(StableHasher.hash("site-0001") == 0xf0f3_7528_3557_258d)
        #expect(SiteSelection.shard(ofSite: "ehpad-les-tilleuls", count: 8) == 5)
        #expect(SiteSelection.shard(ofSite: "msp-du-parc", count: 8) == 6)
    }

    @Test("I/N is 0-based: 0 ≤ I < N, anything else refused")
    func parsing() {
        #expect(SiteSelection(shard: "0/1")?.rule == .shard(index: 0, count: 1))
        #expect(SiteSelection(shard: "7/8")?.rule == .shard(index: 7, count: 8))
        for wrong in ["8/8", "-1/4", "1/0", "a/b", "3", "1/2/3", ""] { #expect(SiteSelection(shard: wrong) == nil) }
        #expect(SiteSelection(shard: "3/8")?.description == "shard 3/8 (0-based)")
    }

    @Test("a file with a site column is filtered row by row: other sites skipped, neither entries nor rejections")
    func rowsFiltered() throws {
        let file = PackagePaths.fixture("demo/msp-du-parc/export_sip_dpi.csv")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // The same rows under three site names, one file.
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
        var mixed = [lines[0]]
        for (index, line) in lines.dropFirst().enumerated() {
            let site = ["site-a", "site-b", "site-c"][index % 3]
            mixed.append(site + line.drop { $0 != "," })
        }
        let path = try folder.write("all/mixed.csv", mixed.joined(separator: "\n") + "\n")
        var options = IngestOptions()
        options.siteSelection = SiteSelection(.named(["site-b"]))
        let loaded = try AuditLoader(pseudonymizer: key, options: options).load(paths: [path])
        #expect(loaded.store.sites == ["site-b"])
        let expected = (lines.count - 1 + 1) / 3
        #expect(loaded.store.count == expected)
        #expect(loaded.quality.rowsOutsideSelection == lines.count - 1 - expected)
        #expect(loaded.quality.rowsRejected == 0)
        #expect(loaded.quality.rowsRead == lines.count - 1)
    }

    @Test("the demo's three sites read in shards add up to the whole audit, each site whole in one shard")
    func shardsOfTheDemo() throws {
        let whole = try AuditLoader(pseudonymizer: key, options: IngestOptions()).load(paths: [
            PackagePaths.fixture("demo")
        ])
        let perSite = Dictionary(grouping: whole.store.entries, by: { whole.store.sites[Int($0.site)] }).mapValues(
            \.count)
        for count in 1...4 {
            var seen: [String: Int] = [:]
            for index in 0..<count {
                var options = IngestOptions()
                options.siteSelection = SiteSelection(shard: "\(index)/\(count)")
                do {
                    let part = try AuditLoader(pseudonymizer: key, options: options).load(paths: [
                        PackagePaths.fixture("demo")
                    ])
                    for entry in part.store.entries { seen[part.store.sites[Int(entry.site)], default: 0] += 1 }
                    #expect(part.quality.rowsRejected == 0)
                } catch IngestError.noSiteSelected {
                    continue  // a shard of a three-site audit may hold none
                }
            }
            #expect(seen == perSite, "\(count) shards")
        }
    }

    @Test("a file without a site column, its folder's site not selected, is not read past its header")
    func folderSkipped() throws {
        var options = IngestOptions()
        options.siteSelection = SiteSelection(.named(["ch-val-de-loire"]))
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let source = try String(
            contentsOfFile: PackagePaths.fixture("demo/msp-du-parc/export_sip_dpi.csv"), encoding: .utf8)
        // Without its site column: the folder names the site.
        let stripped = source.split(separator: "\n").map { String($0.drop { $0 != "," }.dropFirst()) }
        let path = try folder.write("msp/sip.csv", stripped.joined(separator: "\n") + "\n")
        #expect(throws: IngestError.noSiteSelected(selection: "site ch-val-de-loire")) {
            try AuditLoader(pseudonymizer: key, options: options).load(paths: [folder.path])
        }
        options.siteSelection = SiteSelection(.named(["msp"]))
        let loaded = try AuditLoader(pseudonymizer: key, options: options).load(paths: [path])
        #expect(loaded.store.count == stripped.count - 1)
        #expect(loaded.quality.filesOutsideSelection == 0)
    }
}
