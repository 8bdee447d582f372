import Foundation
import RessaisieCore
import TestSupport
import Testing

@testable import RessaisieHistory

@Suite("History database")
struct HistoryStoreTests {
    func snapshot(_ site: String, entries: Int, reEntries: Int) -> SiteSnapshot {
        var metrics = WorkloadMetrics(site: site)
        metrics.entries = entries
        metrics.reEntries = reEntries
        metrics.groupsX2 = reEntries
        return SiteSnapshot(metrics)
    }

    func input(_ path: String, _ hash: String) -> InputFingerprint {
        InputFingerprint(path: path, bytes: 1, sha256: hash)
    }

    @Test("a new database gets every migration; reopening applies none twice")
    func migrations() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("h.sqlite")
        let all = ["v1: runs, inputs, site metrics", "v2: the sites a run analysed (--shard, --site)"]
        #expect(try HistoryStore(path: path).appliedMigrations() == all)
        #expect(try HistoryStore(path: path).appliedMigrations().count == all.count)
        // The names PostgreSQL's store records too (`ressaisie_migrations`).
        #expect(HistorySchema.versions == all)
    }

    @Test("runs come back per site, oldest first; an identical input set is marked unchanged")
    func roundTrip() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try HistoryStore(path: folder.file("h.sqlite"))
        let first = try store.record(
            RunRecord(
                runAt: 100, toolVersion: "t", inputs: [input("a", "1"), input("b", "2")],
                sites: [snapshot("s1", entries: 10, reEntries: 1), snapshot("s2", entries: 5, reEntries: 0)]))
        #expect(first.inputsUnchanged == false)
        // Same files in another order: the same set.
        let second = try store.record(
            RunRecord(
                runAt: 200, toolVersion: "t", inputs: [input("b", "2"), input("a", "1")],
                sites: [snapshot("s1", entries: 10, reEntries: 1)]))
        #expect(second.inputsUnchanged)
        let third = try store.record(
            RunRecord(
                runAt: 300, toolVersion: "t", inputs: [input("a", "1"), input("b", "3")],
                sites: [snapshot("s1", entries: 20, reEntries: 4)]))
        #expect(third.inputsUnchanged == false)
        let rows = try store.rows(site: "s1")
        #expect(rows.map(\.runAt) == [100, 200, 300])
        #expect(rows.map(\.snapshot.reEntries) == [1, 1, 4])
        #expect(rows.map(\.inputsUnchanged) == [false, true, false])
        #expect(rows[2].snapshot.value(of: .redundancyRate) == 0.2)
        #expect(try store.rows().count == 4)
        #expect(try store.runCount() == 3)
    }

    @Test("a transaction that fails leaves no partial run")
    func atomic() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try HistoryStore(path: folder.file("h.sqlite"))
        try store.record(
            RunRecord(runAt: 1, toolVersion: "t", inputs: [], sites: [snapshot("s", entries: 1, reEntries: 0)]))
        // Two rows for one site in one run break the primary key half-way through the run's inserts.
        let broken = RunRecord(
            runAt: 2, toolVersion: "t", inputs: [input("a", "1")],
            sites: [snapshot("s", entries: 2, reEntries: 0), snapshot("s", entries: 3, reEntries: 0)])
        #expect(throws: HistoryError.self) { try store.record(broken) }
        #expect(try store.runCount() == 1)
        #expect(try store.rows().count == 1)
    }

    @Test("file fingerprints are SHA-256 of the content")
    func fingerprints() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("x.csv", "abc")
        let fingerprint = try SHA256Hex.fingerprint(ofFile: path)
        #expect(fingerprint.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(fingerprint.bytes == 3)
    }

    @Test("sparklines span lowest to highest; a flat series sits mid-height")
    func sparkline() {
        #expect(Sparkline.render([0, 1, 2, 3, 4, 5, 6, 7]) == "▁▂▃▄▅▆▇█")
        #expect(Sparkline.render([3, 3, 3]) == "▄▄▄")
        #expect(Sparkline.render([0.3, 0.2, 0.1]) == "█▅▁")
        #expect(Sparkline.render([]) == "")
    }
}
