import Foundation
import TestSupport
import Testing

@testable import RessaisieCore

/// The period figures are per: declared by the exports, else the analyst's, else the span of the
/// entries; under a week, per day and per week (issue 13, "honest periods").
@Suite("Periods")
struct PeriodTests {
    static func day(_ y: Int, _ m: Int, _ d: Int) -> Int64 { CivilDate.days(year: y, month: m, day: d) }

    @Test("a title line declares a period: two dates joined by a connector word, in order")
    func titleLines() {
        let march = DeclaredPeriod(firstDay: Self.day(2026, 3, 1), lastDay: Self.day(2026, 3, 31))
        #expect(DeclaredPeriod.find(inTitle: "Période : du 01/03/2026 au 31/03/2026;;;") == march)
        #expect(DeclaredPeriod.find(inTitle: "Période : du 01/03/2026 au 31/03/2026   ") == march)
        #expect(DeclaredPeriod.find(inTitle: "Extraction 2026-03-01 - 2026-03-31") == march)
        #expect(DeclaredPeriod.find(inTitle: "Period: 1/3/2026 to 31/3/2026") == march)
        #expect(DeclaredPeriod.find(inTitle: "Du 1.3.2026 jusqu'au 31.3.2026") == march)
        // One date, reversed dates, an impossible date, unrelated numbers: nothing declared.
        #expect(DeclaredPeriod.find(inTitle: "Édité le 02/04/2026") == nil)
        #expect(DeclaredPeriod.find(inTitle: "du 31/03/2026 au 01/03/2026") == nil)
        #expect(DeclaredPeriod.find(inTitle: "du 01/02/2026 au 31/02/2026") == nil)
        #expect(DeclaredPeriod.find(inTitle: "Édité le 02/04/2026, données du 01/03/2026") == nil)
        #expect(DeclaredPeriod.find(inTitle: "Export Dossier Usager Informatisé — EHPAD Les Tilleuls") == nil)
        #expect(DeclaredPeriod.find(inTitle: "01/03/2026 02/03/2026 03/03/2026") == nil)
        #expect(DeclaredPeriod.find(inTitle: "Lits 12/34/5678 au 01/01/2026") == nil)
        #expect(DeclaredPeriod.parse(range: "2026-03-01..2026-03-31") == march)
        #expect(DeclaredPeriod.parse(range: "2026-03-31..2026-03-01") == nil)
        #expect(DeclaredPeriod.parse(range: "2026-03-01") == nil)
        #expect(march?.description == "2026-03-01..2026-03-31")
    }

    /// Site s: a DUI export declaring March (entries 3 to 20 March), a DPI export declaring nothing
    /// (entries 2 to 25 March, one a re-entry of the DUI's).
    func store(declare: Bool) -> EntryStore {
        var b = StoreBuilder()
        b.patient("s", .dpi, "P", ins: "I")
        b.patient("s", .dui, "R", ins: "I")
        let day = 24 * 60
        b.entry("u1", site: "s", system: .dui, patient: "R", label: "Poids", value: "60", at: Int64(day))
        b.entry("u2", site: "s", system: .dui, patient: "R", label: "Poids", value: "61", at: Int64(18 * day))
        b.entry("d1", site: "s", system: .dpi, patient: "P", label: "Poids", value: "60", at: Int64(day + 30))
        b.entry("d2", site: "s", system: .dpi, patient: "P", label: "Pouls", value: "70", at: Int64(23 * day))
        var store = b.store
        let dui = store.file(named: "s/dui.csv"), dpi = store.file(named: "s/dpi.csv")
        store.entries[0].file = dui
        store.entries[1].file = dui
        store.entries[2].file = dpi
        store.entries[3].file = dpi
        if declare {
            var clock = SiteClock(timeZone: TimeZone(identifier: "Europe/Paris")!)
            store.declare(
                DeclaredPeriod(firstDay: Self.day(2026, 3, 1), lastDay: Self.day(2026, 3, 31))!, forFile: "s/dui.csv",
                clock: &clock)
        }
        return store
    }

    @Test("a declared period is the period of its export; the others' span or the analyst's period completes it")
    func sources() throws {
        let recorded = try #require(Analysis(store: store(declare: false)).metrics.sites.first)
        #expect(recorded.periodSource == .recorded)
        #expect(recorded.periodDays == 22)

        let declared = try #require(Analysis(store: store(declare: true)).metrics.sites.first)
        #expect(declared.periodSource == [.declared, .recorded])
        // 1 March 00:00 Paris to 31 March 23:59:59 Paris (summer time from 29 March): 31 days less an hour.
        #expect(abs(declared.periodDays - (31 - 1.0 / 24 - 1.0 / 86_400)) < 1e-9)
        #expect(declared.firstRecordedAt == 1_772_319_600)  // 2026-03-01T00:00+01:00
        #expect(declared.reEntries == 1)
        #expect(
            abs(
                declared.hoursPerMonth.central - declared.hoursTotal.central * CostModel.daysPerMonth
                    / declared.periodDays) < 1e-12)

        // The analyst's period replaces the span of the export that declares nothing, not the declared one.
        let april = StoreBuilder.base - 86_400...(StoreBuilder.base + 40 * 86_400)
        let analyst = try #require(Analysis(store: store(declare: true), period: april).metrics.sites.first)
        #expect(analyst.periodSource == [.declared, .analyst])
        #expect(
            analyst.firstRecordedAt == min(april.lowerBound, 1_772_319_600)
                && analyst.lastRecordedAt == april.upperBound)
        #expect(analyst.periodSource.name == "declared+analyst")
    }

    @Test("under seven days: hours per day and per week, no figure per month to compare")
    func shortPeriod() throws {
        var b = StoreBuilder()
        b.patient("s", .dpi, "P", ins: "I")
        b.patient("s", .dui, "R", ins: "I")
        // 13 hours of exports.
        b.entry("d1", site: "s", system: .dpi, patient: "P", label: "Poids", value: "60", at: 0)
        b.entry("u1", site: "s", system: .dui, patient: "R", label: "Poids", value: "60", at: 30)
        b.entry("d2", site: "s", system: .dpi, patient: "P", label: "Pouls", value: "70", at: 13 * 60)
        let site = try #require(Analysis(store: b.store).metrics.sites.first)
        #expect(site.isShortPeriod && site.periodDays == 1)
        #expect(abs(site.hoursPerDay.central - site.hoursTotal.central) < 1e-12)
        #expect(abs(site.hoursPerWeek.central - 7 * site.hoursTotal.central) < 1e-12)
        #expect(SiteComparison.Metric.hoursPerMonth.value(of: site) == nil)
        let long = try #require(Analysis(store: store(declare: false)).metrics.sites.first)
        #expect(!long.isShortPeriod && SiteComparison.Metric.hoursPerMonth.value(of: long) != nil)
    }
}

@Suite("Re-entries that could be interface copies")
struct PossibleInterfaceCopyTests {
    @Test("same author and content in another system the same day, one side a day: counted as possible copies")
    func possibleCopies() throws {
        var b = StoreBuilder()
        b.patient("s", .dpi, "P", ins: "I")
        b.patient("s", .dui, "R", ins: "I")
        b.patient("s", .dpi, "P2", ins: "I2")
        b.patient("s", .dui, "R2", ins: "I2")
        b.patient("s", .dpi, "P3", ins: "I3")
        b.patient("s", .dui, "R3", ins: "I3")
        // A DUI that records days: the same author's weight the same day. Could be software or the nurse.
        b.entry("d1", site: "s", system: .dpi, patient: "P", label: "Poids", value: "60", at: 600, author: "a1")
        b.entry(
            "u1", site: "s", system: .dui, patient: "R", label: "Poids", value: "60", at: 0, author: "a1",
            flags: .recordedDay)
        // Another professional the same day: a transcription, not a copy.
        b.entry("d2", site: "s", system: .dpi, patient: "P2", label: "Poids", value: "70", at: 600, author: "a1")
        b.entry(
            "u2", site: "s", system: .dui, patient: "R2", label: "Poids", value: "70", at: 0, author: "a2",
            flags: .recordedDay)
        // Times to the minute on both sides, an hour apart: a re-entry that no interface made.
        b.entry("d3", site: "s", system: .dpi, patient: "P3", label: "Poids", value: "80", at: 600, author: "a1")
        b.entry("u3", site: "s", system: .dui, patient: "R3", label: "Poids", value: "80", at: 660, author: "a1")
        let analysis = Analysis(store: b.store)
        let site = try #require(analysis.metrics.sites.first)
        #expect(site.reEntries == 3)
        #expect(site.possibleInterfaceCopies == 1)
        #expect(analysis.metrics.totals.possibleInterfaceCopies == 1)
    }
}

@Suite("When entries and re-entries are typed")
struct WhenMetricsTests {
    @Test("parts of the day and days of the week on the site's clock; a day without time apart; documentation delays")
    func when() throws {
        var b = StoreBuilder()
        b.patient("s", .dpi, "P", ins: "I")
        b.patient("s", .dui, "R", ins: "I")
        // Base: Monday 2 March 2026, 00:00 UTC = 01:00 in Paris.
        b.entry(
            "d1", site: "s", system: .dpi, patient: "P", label: "Poids", value: "60", at: 8 * 60, effective: 7 * 60,
            author: "a")  // 09:00 Paris
        b.entry(
            "u1", site: "s", system: .dui, patient: "R", label: "Poids", value: "60", at: 10 * 60, effective: 7 * 60,
            author: "b")  // 11:00, re-entry
        // 22:30: night
        b.entry("d2", site: "s", system: .dpi, patient: "P", label: "Pouls", value: "70", at: 21 * 60 + 30, author: "a")
        // 23:00: night, re-entry
        b.entry("u2", site: "s", system: .dui, patient: "R", label: "Pouls", value: "70", at: 22 * 60, author: "b")
        b.entry(
            "d3", site: "s", system: .dpi, patient: "P", label: "TA", value: "12/8", at: 5 * 1440 + 13 * 60, author: "a"
        )  // Saturday 14:00
        b.entry(
            "u3", site: "s", system: .dui, patient: "R", label: "Glycémie", value: "1", at: 6 * 1440, author: "b",
            flags: .recordedDay)  // Sunday, a day
        let analysis = Analysis(store: b.store, timeZone: TimeZone(identifier: "Europe/Paris")!)
        let when = try #require(analysis.metrics.sites.first).when
        #expect(when.byDayPart.map(\.entries) == [2, 1, 2, 1])  // morning, afternoon, night, time unknown
        #expect(when.byDayPart.map(\.reEntries) == [1, 0, 1, 0])
        #expect(when.byWeekday.map(\.entries) == [4, 0, 0, 0, 0, 1, 1])
        #expect(when.byWeekday[0].reEntries == 2)
        // Effective 08:00 Paris: the original typed 1 h after, the re-entry 3 h after.
        #expect(when.delayMedianOriginals == 60 && when.delayMedianReEntries == 180)
        #expect(analysis.metrics.totals.when == when)
        // On a UTC clock, Saturday's 14:00 in Paris is 13:00: morning.
        let utc = try #require(Analysis(store: b.store, timeZone: TimeZone(identifier: "UTC")!).metrics.sites.first)
            .when
        #expect(utc.byDayPart.map(\.entries) == [3, 0, 2, 1])
    }
}

@Suite("The robust span of recorded times")
struct RobustSpanTests {
    @Test("a stray date a year off is left out of the period, counted; a continuous span is kept whole")
    func strayDate() throws {
        var b = StoreBuilder()
        b.patient("s", .dpi, "P", ins: "I")
        for index in 0..<150 {
            b.entry(
                "d\(index)", site: "s", system: .dpi, patient: "P", label: "Poids", value: "\(50 + index)",
                at: Int64(index) * 240)  // 25 days
        }
        let plain = try #require(Analysis(store: b.store).metrics.sites.first)
        #expect(plain.entriesOutsidePeriod == 0 && abs(plain.periodDays - 149.0 * 240 / 1440) < 1e-9)
        b.entry("stray", site: "s", system: .dpi, patient: "P", label: "Pouls", value: "70", at: -365 * 1440)
        let site = try #require(Analysis(store: b.store).metrics.sites.first)
        #expect(site.entriesOutsidePeriod == 1)
        #expect(site.periodDays < 27 && site.periodDays > 24, "\(site.periodDays)")
        #expect(site.entries == 151)
        // Two stray dates among 152 entries: only 1 % (one entry) may be left out; the second stays in the period.
        b.entry("stray2", site: "s", system: .dpi, patient: "P", label: "Pouls", value: "71", at: -300 * 1440)
        let two = try #require(Analysis(store: b.store).metrics.sites.first)
        #expect(two.entriesOutsidePeriod == 1 && two.periodDays > 300)
        #expect(AuditMetrics.robustSpan([10: 5, 11: 5, 90: 1]) == (10, 11, 1))
    }
}
