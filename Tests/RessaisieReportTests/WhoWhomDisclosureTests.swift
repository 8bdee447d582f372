import Foundation
import RessaisieCore
import TestSupport
import Testing

@testable import RessaisieReport

/// Who retypes whose information under the disclosure rules: professions merged as in the profession table,
/// staff groups of too few authors withheld and never given back, zeros shown.
@Suite("Disclosure: who retypes whose information")
struct WhoWhomDisclosureTests {
    /// A nine-person primary-care centre: 3 physicians, 4 nurses, 2 secretaries; 34 re-entries, of which
    /// `secretaries` were typed again by a secretary from a secretary's entry.
    func msp(secretaries: Int, secretaryToCare: Int = 0) -> WorkloadMetrics {
        var site = WorkloadMetrics(site: "msp")
        site.entries = 300
        site.authors = 9
        site.firstRecordedAt = StoreBuilder.base
        site.lastRecordedAt = StoreBuilder.base + 30 * 86_400
        func profession(authors: Int, entries: Int, reEntries: Int) -> ProfessionMetrics {
            var p = ProfessionMetrics()
            p.authors = authors
            p.entries = entries
            p.reEntries = reEntries
            return p
        }
        let care = 34 - secretaries - secretaryToCare
        site.reEntries = 34
        site.byProfession = [
            "medecin": profession(authors: 3, entries: 100, reEntries: 14 + secretaryToCare),
            "infirmier": profession(authors: 4, entries: 150, reEntries: care - 14),
            "secretaire": profession(authors: 2, entries: 50, reEntries: secretaries),
        ]
        site.reEntriesByProfessionPair = [
            FromTo("medecin", "medecin"): 14, FromTo("infirmier", "infirmier"): care - 14,
            FromTo("secretaire", "secretaire"): secretaries, FromTo("secretaire", "medecin"): secretaryToCare,
        ].filter { $0.value > 0 }
        site.byStaffGroup = [
            .care: StaffGroupCount(entries: 250, authors: 7), .other: StaffGroupCount(entries: 50, authors: 2),
        ]
        site.reEntriesByStaffPair = [
            FromTo(.care, .care): care, FromTo(.other, .other): secretaries, FromTo(.other, .care): secretaryToCare,
        ].filter { $0.value > 0 }
        // Who typed again, into what: care staff into the DPI, the secretaries into the SIP.
        site.reEntriesByProfessionSystem = [
            TypedInto("medecin", .dpi): 14 + secretaryToCare, TypedInto("infirmier", .dpi): care - 14,
            TypedInto("secretaire", .sip): secretaries,
        ].filter { $0.value > 0 }
        site.reEntriesByStaffSystem = [
            TypedInto(StaffGroup.care, .dpi): care + secretaryToCare, TypedInto(StaffGroup.other, .sip): secretaries,
        ].filter { $0.value > 0 }
        return site
    }

    /// The cells of a `profession_system_purpose` or `staff_system_purpose` table, `who>system>purpose value`.
    func typedInto(_ report: PublishedReport, _ id: String) -> [String] {
        (report.sites[0].table(id)?.rows ?? []).map { row in
            let names = row.prefix(3).map { cell -> String in
                switch cell {
                case .label(let name), .text(let name): name
                default: "?"
                }
            }
            return names.joined(separator: ">") + " " + Wording(.en).format(row[3])
        }
    }

    func report(_ site: WorkloadMetrics) -> PublishedReport {
        var settings = ReportSettings(
            toolVersion: "t", windowHours: 72, linkage: "l", matching: "m", timeZone: "UTC", ephemeralKey: false,
            generatedAt: nil)
        settings.comparison = ComparisonSettings(peers: .all, minimumSites: 5)
        var totals = site
        totals.site = "total"
        let input = ReportInput(
            metrics: AuditMetrics(sites: [site], totals: totals), quality: DataQuality(),
            linkage: PatientLinkage(person: [], personCount: 0), settings: settings,
            clock: SiteClock(timeZone: TimeZone(identifier: "UTC")!))
        return PublishedReport(input, disclosure: Disclosure())
    }

    func cells(_ report: PublishedReport, _ id: String) -> [String] {
        (report.sites[0].table(id)?.rows ?? []).map { row in
            let names = row.prefix(2).map { cell -> String in
                if case .label(let name) = cell { return name }
                return "?"
            }
            return names.joined(separator: ">") + " " + Wording(.en).format(row[2])
        }
    }

    @Test("a nine-person centre: no profession alone, but care staff retyping care staff is shown")
    func smallTeam() {
        let published = report(msp(secretaries: 0))
        // Every profession under 5 authors: one row, all of them.
        #expect(cells(published, "who_whom") == ["all_professions_merged>all_professions_merged 34"])
        // Care staff (7 authors) shown; the 2 secretaries typed nothing again: zeros are shown.
        #expect(
            cells(published, "who_whom_staff") == [
                "care_staff>care_staff 34", "care_staff>other_staff 0", "other_staff>care_staff 0",
                "other_staff>other_staff 0",
            ])
        #expect(DisclosureAudit.leaks(published).isEmpty)
        // Who types again into what: no profession alone, but care staff into the DPI.
        #expect(
            typedInto(published, "profession_system_purpose") == [
                "all_professions_merged>DPI>not_declared 34"
            ])
        #expect(typedInto(published, "staff_system_purpose") == ["care_staff>DPI>not_declared 34"])
    }

    @Test("a group of too few authors: its pairs withheld and protected; what would give them back is hidden too")
    func fewAuthors() throws {
        let published = report(msp(secretaries: 4, secretaryToCare: 3))
        let staff = try #require(published.sites[0].table("who_whom_staff"))
        // The secretaries' pairs are figures about two persons, whatever their size.
        #expect(staff.protectedRows == [2, 3])
        #expect(staff.rows[2][2] == .withheld && staff.rows[3][2] == .withheld)
        // Care → care (27) would give their sum back (34 − 27 = 7): withheld too.
        #expect(staff.rows[0][2] == .withheld)
        #expect(staff.rows[1][2] == .count(0))
        // No protected cell, and no sum of the secretaries' figures, comes back from the whole report.
        #expect(DisclosureAudit.leaks(published).isEmpty)
        let csv = TablesCSV.render(published, language: .en).first { $0.name == "who_whom_staff.csv" }?.contents ?? ""
        #expect(csv.contains("re_entries:few_authors"))
        // What the two secretaries typed into the SIP: a figure about two persons, withheld and protected; the
        // care staff's row would give it back (34 − 27 = 7): withheld too.
        let staffSystems = try #require(published.sites[0].table("staff_system_purpose"))
        #expect(
            typedInto(published, "staff_system_purpose") == [
                "care_staff>DPI>not_declared ×", "other_staff>SIP>not_declared ×",
            ])
        #expect(staffSystems.protectedRows == [1])
        let typed =
            TablesCSV.render(published, language: .en).first { $0.name == "staff_system_purpose.csv" }?.contents ?? ""
        #expect(typed.contains("re_entries:few_authors"))
    }

    @Test("profession × system × purpose: small cells suppressed, and a second cell in each profession and system")
    func professionSystemPurpose() throws {
        var site = msp(secretaries: 0)
        func profession(authors: Int, reEntries: Int) -> ProfessionMetrics {
            var p = ProfessionMetrics()
            p.authors = authors
            p.entries = 100
            p.reEntries = reEntries
            return p
        }
        site.reEntries = 90
        site.byProfession = [
            "aide_soignant": profession(authors: 6, reEntries: 20), "infirmier": profession(authors: 6, reEntries: 40),
            "medecin": profession(authors: 6, reEntries: 30),
        ]
        site.bySystem = [
            .dpi: SystemMetrics(entries: 200, reEntries: 77), .dui: SystemMetrics(entries: 100, reEntries: 13),
        ]
        site.reEntriesByProfessionPair = [
            FromTo("aide_soignant", "aide_soignant"): 20, FromTo("infirmier", "infirmier"): 40,
            FromTo("medecin", "medecin"): 30,
        ]
        site.byStaffGroup = [.care: StaffGroupCount(entries: 300, authors: 18)]
        site.reEntriesByStaffPair = [FromTo(.care, .care): 90]
        site.systemPurposes = [.dpi: .legalTrace, .dui: .careCoordination]
        site.reEntriesByProfessionSystem = [
            TypedInto("aide_soignant", .dpi, .legalTrace): 12, TypedInto("aide_soignant", .dui, .careCoordination): 8,
            TypedInto("infirmier", .dpi, .legalTrace): 35, TypedInto("infirmier", .dui, .careCoordination): 5,
            TypedInto("medecin", .dpi, .legalTrace): 30,
        ]
        site.reEntriesByStaffSystem = [
            TypedInto(.care, .dpi, .legalTrace): 77, TypedInto(.care, .dui, .careCoordination): 13,
        ]
        let published = report(site)
        // The DUI's two small cells suppressed; each leaves its profession's other cell alone: withheld.
        #expect(
            typedInto(published, "profession_system_purpose") == [
                "aide_soignant>DPI>legal_trace ×", "aide_soignant>DUI>care_coordination <11",
                "infirmier>DPI>legal_trace ×", "infirmier>DUI>care_coordination <11", "medecin>DPI>legal_trace 30",
            ])
        #expect(
            typedInto(published, "staff_system_purpose") == [
                "care_staff>DPI>legal_trace 77", "care_staff>DUI>care_coordination 13",
            ])
        // Professions, systems, staff groups and their pairs given: no hidden cell comes back.
        #expect(DisclosureAudit.leaks(published).isEmpty)
        // The published formats show the table with what it says.
        let markdown = MarkdownReport.render(published, language: .en)
        #expect(markdown.contains("### Who types again into which system, for whom"))
        #expect(markdown.contains("The profession of the re-entry's author, the system it was typed into"))
        #expect(markdown.contains("| Nursing assistant | DUI | care coordination | <11 |"))
        // Exact counts in the analyst's working formats.
        var input = published.settings
        input.comparison = ComparisonSettings(peers: .all, minimumSites: 5)
        let exact = PublishedReport(
            ReportInput(
                metrics: AuditMetrics(sites: [site], totals: site), quality: DataQuality(),
                linkage: PatientLinkage(person: [], personCount: 0), settings: input,
                clock: SiteClock(timeZone: TimeZone(identifier: "UTC")!)),
            disclosure: Disclosure().exactCounts)
        #expect(typedInto(exact, "profession_system_purpose").first == "aide_soignant>DPI>legal_trace 12")
    }

    @Test("professions merged as in the profession table: pairs into a profession add up to its re-entries")
    func merged() throws {
        var site = msp(secretaries: 0)
        site.byProfession["medecin"]!.authors = 6
        site.byProfession["infirmier"]!.authors = 6
        let published = report(site)
        #expect(
            cells(published, "who_whom") == [
                "infirmier>infirmier 20", "infirmier>medecin 0", "infirmier>others 0", "medecin>infirmier 0",
                "medecin>medecin 14", "medecin>others 0", "others>infirmier 0", "others>medecin 0", "others>others 0",
            ])
        // The others' row (2 authors) is hidden in the profession table, and a second cell with it.
        let professions = try #require(published.sites[0].table("by_profession"))
        #expect(professions.rows.map { $0[3] } == [.count(20), .withheld, .withheld])
        #expect(DisclosureAudit.leaks(published).isEmpty)
    }
}
