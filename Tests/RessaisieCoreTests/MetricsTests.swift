import TestSupport
import Testing

@testable import RessaisieCore

@Suite("Workload metrics v1")
struct MetricsTests {
    /// Site s: DPI 4 entries, DUI 4 entries. Groups: (d1,u1) DPI→DUI, (d2,u2,u3) DPI→DUI ×2, (u4,d4) DUI→DPI.
    func audit() -> (EntryStore, Analysis) {
        var b = StoreBuilder()
        b.patient("s", .dpi, "P", ins: "I")
        b.patient("s", .dui, "R", ins: "I")
        b.entry("d1", site: "s", system: .dpi, patient: "P", label: "T", value: "37", at: 0, author: "a1")
        b.entry("u1", site: "s", system: .dui, patient: "R", label: "T", value: "37", at: 60, author: "a1")
        b.entry(
            "d2", site: "s", system: .dpi, patient: "P", category: "note", text: "un deux trois quatre", at: 0,
            author: "a1")
        b.entry(
            "u2", site: "s", system: .dui, patient: "R", category: "note", text: "un deux trois quatre", at: 120,
            author: "a2")
        b.entry("u3", site: "s", system: .dui, patient: "R", category: "note", text: "un deux trois quatre", at: 240)
        b.entry(
            "u4", site: "s", system: .dui, patient: "R", category: "activity", label: "Acte", value: "1", at: 0,
            author: "a2")
        b.entry(
            "d4", site: "s", system: .dpi, patient: "P", category: "activity", label: "Acte", value: "1",
            at: 30 * 24 * 60, author: "a1")
        b.entry("d5", site: "s", system: .dpi, patient: "P", label: "Poids", value: "60", at: 100)
        let analysis = Analysis(store: b.store, detector: ReEntryDetector(window: 31 * 24 * 3600))
        return (b.store, analysis)
    }

    @Test("counts, multiplicity, flows and shares")
    func counts() throws {
        let (_, analysis) = audit()
        let site = try #require(analysis.metrics.sites.first)
        #expect(site.entries == 8)
        #expect(site.patients == 1)
        #expect(site.patientsInSeveralSystems == 1)
        #expect(site.groupsX2 == 2 && site.groupsX3 == 1 && site.groupsX4Plus == 0)
        #expect(site.reEntries == 4)
        #expect(site.redundancyRate == 0.5)
        #expect(site.bySystem[.dpi]?.entries == 4 && site.bySystem[.dui]?.entries == 4)
        #expect(site.bySystem[.dui]?.reEntries == 3 && site.bySystem[.dpi]?.reEntries == 1)
        #expect(
            site.flows == [
                Flow(from: .dpi, to: .dui, reEntries: 3, shareOfTargetEntries: 0.75),
                Flow(from: .dui, to: .dpi, reEntries: 1, shareOfTargetEntries: 0.25),
            ])
        #expect(site.byPurpose[.management] == SliceCount(entries: 2, reEntries: 1))
        #expect(site.byCategory["note"] == SliceCount(entries: 3, reEntries: 2))
        #expect(site.crossSystem == 4 && site.sameSystem == 0)
        #expect(site.selfReEntries == 1 && site.transcriptions == 2 && site.authorUnknown == 1)
        #expect(analysis.metrics.totals.reEntries == 4)
    }

    @Test("lag median and p90 by nearest rank")
    func lags() throws {
        let (_, analysis) = audit()
        let site = try #require(analysis.metrics.sites.first)
        // Lags in minutes: 60, 120, 240, 43 200.
        #expect(site.lagMedianMinutes == 120)
        #expect(site.lagP90Minutes == 43_200)
    }

    @Test("hours follow the cost model exactly")
    func hours() throws {
        let (_, analysis) = audit()
        let site = try #require(analysis.metrics.sites.first)
        // Central: 4 re-entries × 0.8 min + 2 notes × 4 words / 40 wpm = 3.2 + 0.2 = 3.4 min.
        #expect(abs(site.hoursTotal.central - 3.4 / 60) < 1e-12)
        // Low: 4 × 0.5 + 8 / 60; high: 4 × 1.1 + 8 / 30.
        #expect(abs(site.hoursTotal.low - (2.0 + 8.0 / 60) / 60) < 1e-12)
        #expect(abs(site.hoursTotal.high - (4.4 + 8.0 / 30) / 60) < 1e-12)
        // Period: 30 days → per month = total × 30.436875 / 30.
        #expect(abs(site.periodDays - 30) < 1e-9)
        #expect(abs(site.hoursPerMonth.central - site.hoursTotal.central * CostModel.daysPerMonth / 30) < 1e-12)
    }
}

@Suite("Site grid")
struct SiteGridTests {
    @Test("flat and sparse grids hold the same values; the sparse one visits only what it holds")
    func flatAndSparse() {
        var small = SiteGrid(sites: 3, slots: 4, zero: 0)
        var large = SiteGrid(sites: 5_000, slots: 5_000, zero: 0)  // 25 M cells: sparse
        for (site, slot, value) in [(0, 1, 3), (2, 3, 5), (0, 1, 4)] {
            small[site, slot] += value
            large[site, slot] += value
        }
        #expect(small[0, 1] == 7 && large[0, 1] == 7)
        #expect(small[2, 3] == 5 && large[2, 3] == 5)
        #expect(large[4_999, 4_999] == 0)
        var visited: [(Int, Int)] = []
        large.forEach(site: 0) { visited.append(($0, $1)) }
        #expect(visited.map(\.0) == [1] && visited.map(\.1) == [7])
        var flatVisited = 0
        small.forEach(site: 0) { _, value in if value > 0 { flatVisited += 1 } }
        #expect(flatVisited == 1)
    }
}
