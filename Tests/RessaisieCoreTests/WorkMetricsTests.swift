import RessaisieCore
import TestSupport
import Testing

/// Metrics of issue 6 on an audit whose answers are known by construction.
///
/// Site s, 30 days, one person (P in DPI, R in DUI, same INS). Groups:
/// A: d1 → u1, vital sign, DPI→DUI, same author a1 (IDE): self, lag 30 min.
/// B: d2 → u2, note of 4 words, DPI→DUI, a1 (IDE) then a2 (AS): transcription, lag 2 h.
/// C: u3 → d3, activity, DUI→DPI, a2 (AS) then a3 (IDE): transcription, lag 30 days.
/// D: d4 → d5, vital sign, DPI→DPI, d4 has no author: author unknown, lag 10 min.
/// Central model: 0.8 min per re-entry + words / 40 → u1 0.8, u2 0.9, d3 0.8, d5 0.8 (3.3 min).
@Suite("Workload metrics for reports")
struct WorkMetricsTests {
    static let perMonth = CostModel.daysPerMonth / 30

    func audit(staffing: Staffing? = nil) -> Analysis {
        var b = StoreBuilder()
        b.patient("s", .dpi, "P", ins: "I")
        b.patient("s", .dui, "R", ins: "I")
        b.entry(
            "d1", site: "s", system: .dpi, patient: "P", label: "T", value: "37", at: 0, author: "a1", profession: "IDE"
        )
        b.entry(
            "u1", site: "s", system: .dui, patient: "R", label: "T", value: "37", at: 30, author: "a1",
            profession: "IDE")
        b.entry(
            "d2", site: "s", system: .dpi, patient: "P", category: "note", text: "un deux trois quatre", at: 0,
            author: "a1", profession: "IDE")
        b.entry(
            "u2", site: "s", system: .dui, patient: "R", category: "note", text: "un deux trois quatre", at: 120,
            author: "a2", profession: "AS")
        b.entry(
            "u3", site: "s", system: .dui, patient: "R", category: "activity", label: "Acte", value: "1", at: 0,
            author: "a2", profession: "AS")
        b.entry(
            "d3", site: "s", system: .dpi, patient: "P", category: "activity", label: "Acte", value: "1",
            at: 30 * 24 * 60, author: "a3", profession: "IDE")
        b.entry("d4", site: "s", system: .dpi, patient: "P", label: "Poids", value: "60", at: 10)
        b.entry(
            "d5", site: "s", system: .dpi, patient: "P", label: "Poids", value: "60", at: 20, author: "a1",
            profession: "IDE")
        return Analysis(store: b.store, detector: ReEntryDetector(window: 31 * 24 * 3600), staffing: staffing)
    }

    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-12 }

    @Test("self re-entry and transcription, in counts and hours per month")
    func who() throws {
        let site = try #require(audit().metrics.sites.first)
        #expect(site.reEntries == 4 && site.periodDays == 30)
        #expect(site.selfReEntries == 1 && site.transcriptions == 2 && site.authorUnknown == 1)
        #expect(close(site.hoursPerMonthSelf.central, 0.8 / 60 * Self.perMonth))
        #expect(close(site.hoursPerMonthTranscription.central, 1.7 / 60 * Self.perMonth))
        #expect(close(site.hoursPerMonthAuthorUnknown.central, 0.8 / 60 * Self.perMonth))
        let sum =
            site.hoursPerMonthSelf.high + site.hoursPerMonthTranscription.high + site.hoursPerMonthAuthorUnknown.high
        #expect(close(sum, site.hoursPerMonth.high))
        #expect(close(site.hoursPerMonthByPurpose[.management]!.central, 0.8 / 60 * Self.perMonth))
        #expect(close(site.hoursPerMonthByCategory["note"]!.low, (0.5 + 4.0 / 60) / 60 * Self.perMonth))
    }

    @Test("by profession: entries, authors, re-entries of whoever typed again, hours")
    func professions() throws {
        let site = try #require(audit().metrics.sites.first)
        let ide = try #require(site.byProfession["IDE"]), aide = try #require(site.byProfession["AS"])
        #expect(
            ide.entries == 5 && ide.authors == 2 && ide.reEntries == 3 && ide.selfReEntries == 1
                && ide.transcriptions == 1)
        #expect(aide.entries == 2 && aide.authors == 1 && aide.reEntries == 1 && aide.transcriptions == 1)
        #expect(
            site.byProfession[Profession.unspecified]
                == {
                    var p = ProfessionMetrics()
                    p.entries = 1
                    return p
                }())
        #expect(close(ide.hoursPerMonth.central, 2.4 / 60 * Self.perMonth))
        #expect(close(aide.hoursPerMonth.central, 0.9 / 60 * Self.perMonth))
    }

    @Test("what-if: cross-system re-entries by systems and category, ranked by hours saved")
    func whatIf() throws {
        let site = try #require(audit().metrics.sites.first)
        #expect(
            site.whatIf.map { "\($0.from.name)>\($0.to.name):\($0.category)" } == [
                "DPI>DUI:note", "DPI>DUI:vital_sign", "DUI>DPI:activity",
            ])
        #expect(site.whatIf.map(\.reEntries) == [1, 1, 1])
        #expect(close(site.whatIf[0].hoursPerMonth.central, 0.9 / 60 * Self.perMonth))
        #expect(close(site.whatIf[0].hoursPerMonth.high, (1.1 + 4.0 / 30) / 60 * Self.perMonth))
        // Same-system re-entries (DPI→DPI) are not an interface's to save.
        #expect(site.whatIf.allSatisfy { $0.from != $0.to })
        #expect(analysisTotals().whatIf == site.whatIf)
    }

    func analysisTotals() -> WorkloadMetrics { audit().metrics.totals }

    @Test("lag histogram buckets")
    func lagHistogram() throws {
        let site = try #require(audit().metrics.sites.first)
        // 30 min, 10 min → < 1 h; 2 h → 1–4 h; 30 days → ≥ 7 days.
        #expect(site.lagHistogram == [2, 1, 0, 0, 0, 1])
        #expect(site.lagHistogram.reduce(0, +) == site.reEntries)
    }

    @Test("hours per FTE from staffing")
    func perFTE() throws {
        let analysis = audit(staffing: Staffing(fte: ["s": ["IDE": 2, "AS": 0.5]]))
        let site = try #require(analysis.metrics.sites.first)
        #expect(site.fte == 2.5)
        #expect(close(try #require(site.hoursPerFTEPerMonth).central, 3.3 / 60 * Self.perMonth / 2.5))
        #expect(
            close(try #require(site.byProfession["IDE"]?.hoursPerFTEPerMonth).central, 2.4 / 60 * Self.perMonth / 2))
        #expect(site.byProfession[Profession.unspecified]?.hoursPerFTEPerMonth == nil)
        #expect(analysis.metrics.totals.fte == 2.5)
        // A site without staffing: no FTE anywhere, and none over all sites.
        let none = audit(staffing: Staffing(fte: ["other": ["IDE": 1]]))
        #expect(none.metrics.sites.first?.fte == nil && none.metrics.totals.fte == nil)
    }

    @Test("site comparison: ranks with ties, quartiles by interpolation")
    func comparison() {
        #expect(SiteComparison.quantile([1, 2, 3, 4], 0.5) == 2.5)
        #expect(SiteComparison.quantile([1, 2, 3, 4], 0.25) == 1.75)
        #expect(SiteComparison.quantile([10], 0.75) == 10)
        #expect(SiteComparison.quantile([], 0.5) == nil)
        var sites: [WorkloadMetrics] = []
        for (name, entries, reEntries) in [("a", 100, 10), ("b", 100, 30), ("c", 200, 60), ("d", 50, 0)] {
            var site = WorkloadMetrics(site: name)
            site.entries = entries
            site.reEntries = reEntries
            sites.append(site)
        }
        let comparison = SiteComparison(sites, minimumSites: 4)
        let rate = comparison.rows.first { $0.metric == .redundancyRate }!
        #expect(rate.values == [0.1, 0.3, 0.3, 0])
        #expect(rate.ranks == [3, 1, 1, 4] && rate.tied == [false, true, true, false])
        #expect(rate.quartiles.map(\.median) == [0.2] && rate.quartiles.first?.group == "all")
        let transcription = comparison.rows.first { $0.metric == .transcriptionShare }!
        // No re-entry at d: no share, no rank; and then 3 sites with a value, fewer than 4: no rank at all.
        #expect(
            transcription.values[3] == nil && transcription.ranks == [nil, nil, nil, nil]
                && transcription.quartiles.isEmpty)
        // Peer groups: a and b together, c and d together, two sites each.
        let peers = SiteComparison(sites, peerGroups: ["x", "x", "y", "y"], minimumSites: 2)
        #expect(peers.rows.first { $0.metric == .redundancyRate }!.ranks == [2, 1, 1, 2])
        #expect(peers.rows.first { $0.metric == .redundancyRate }!.quartiles.map(\.group) == ["x", "y"])
    }
}
