import Foundation
import RessaisieCore
import TestSupport
import Testing

@testable import RessaisieReport

@Suite("Disclosure: small counts and professions")
struct DisclosureTests {
    func table(_ counts: [Int], total: Int) -> PublishedTable {
        PublishedTable(
            id: "t", columns: [.init("name"), .init("n", additive: true), .init("rate", basis: [1])],
            rows: counts.enumerated().map { [.text("r\($0)"), .count($1), .rate(0.5)] },
            total: [.label("total"), .count(total), .rate(1)])
    }

    func shown(_ table: PublishedTable) -> [Cell] { table.rows.map { $0[1] } }

    @Test("a lone small count hides the smallest other cell too, and the rates computed from both")
    func secondary() {
        let disclosed = Disclosure().disclose(table([3, 20, 15], total: 38))
        // The small count reads <11; the cell hidden to protect it (15) and the rates read as withheld.
        #expect(shown(disclosed) == [.suppressed, .count(20), .withheld])
        #expect(disclosed.rows.map { $0[2] } == [.withheld, .rate(0.5), .withheld])
        #expect(disclosed.total?[1] == .count(38))
    }

    @Test("two small counts already protect each other; zeros are shown and never chosen")
    func noSecondaryNeeded() {
        #expect(shown(Disclosure().disclose(table([3, 4, 30], total: 37))) == [.suppressed, .suppressed, .count(30)])
        // 0 is not a count to hide, and hiding it would protect nothing: the next non-zero cell is hidden.
        #expect(
            shown(Disclosure().disclose(table([5, 0, 40, 12], total: 57))) == [
                .suppressed, .count(0), .count(40), .withheld,
            ])
    }

    @Test("subtotals known from another table protect too: flows into a system add up to its re-entries")
    func subtotals() {
        // Flows DPI→DPI 2, DPI→DUI 17, DUI→DPI 12, DUI→DUI 1; by_system shows DPI 14 and DUI 18 re-entries.
        // The grand total alone is protected by the two small cells; per target system, each small
        // cell is alone, so 12 and 17 must go too.
        let flows = PublishedTable(
            id: "flows", columns: [.init("from"), .init("to"), .init("n", additive: true, subtotals: [[1]])],
            rows: [
                [.label("DPI"), .label("DPI"), .count(2)], [.label("DPI"), .label("DUI"), .count(17)],
                [.label("DUI"), .label("DPI"), .count(12)], [.label("DUI"), .label("DUI"), .count(1)],
            ],
            total: [.label("total"), .none, .count(32)])
        #expect(Disclosure().disclose(flows).rows.map { $0[2] } == [.suppressed, .withheld, .withheld, .suppressed])
        var three = flows
        three.rows.append([.label("SIP"), .label("DUI"), .count(40)])
        three.rows.append([.label("SIP"), .label("DPI"), .count(30)])
        three.total = [.label("total"), .none, .count(102)]
        // Into DPI: 2 hidden, 12 is the smallest other; into DUI: 1 hidden, 17 is the smallest other.
        #expect(
            Disclosure().disclose(three).rows.map { $0[2] } == [
                .suppressed, .withheld, .withheld, .suppressed, .count(40), .count(30),
            ])
    }

    @Test("care or management is hidden where it would give its one hidden category away")
    func purposeFollowsCategories() {
        // administrative 15, activity 4 (hidden), vital signs 40, notes 8 (hidden): both hidden cells protect
        // each other in the category table, but management 19 − 15 would give the 4 away, care 48 − 40 the 8.
        var builder = StoreBuilder()
        var minute: Int64 = 0
        for (category, count) in [("administrative", 15), ("activity", 4), ("vital_sign", 40), ("note", 8)] {
            for index in 0..<count {
                builder.patient("s", .dpi, "P\(category)\(index)", ins: "I\(category)\(index)")
                builder.patient("s", .dui, "R\(category)\(index)", ins: "I\(category)\(index)")
                builder.entry(
                    "d\(category)\(index)", site: "s", system: .dpi, patient: "P\(category)\(index)",
                    category: category, label: "x", value: "1", at: minute)
                builder.entry(
                    "u\(category)\(index)", site: "s", system: .dui, patient: "R\(category)\(index)",
                    category: category, label: "x", value: "1", at: minute + 5)
                minute += 1
            }
        }
        let analysis = Analysis(store: builder.store)
        let settings = ReportSettings(
            toolVersion: "t", windowHours: 72, linkage: "l", matching: "m", timeZone: "UTC", ephemeralKey: false,
            generatedAt: nil)
        let input = ReportInput(
            metrics: analysis.metrics, quality: DataQuality(), linkage: analysis.linkage, settings: settings,
            clock: SiteClock(timeZone: TimeZone(identifier: "UTC")!))
        let report = PublishedReport(input, disclosure: Disclosure())
        let site = report.sites[0]
        // Compared across sites, management's share (19 of 67) would give the 19 back, and 19 − 15 the 4:
        // the share is hidden.
        #expect(report.comparison.rows.first { $0[1] == .label("management_share") }?[2] == .withheld)
        let categories = site.table("by_category")!.rows.map { $0[2] }
        // Canonical order: vital signs, notes, administrative, activity.
        #expect(categories == [.count(40), .suppressed, .count(15), .suppressed])
        let purposes = site.table("by_purpose")!.rows
        #expect(purposes.map { $0[0] } == [.label("care"), .label("management")])
        #expect(purposes[1][2] == .withheld, "management re-entries would reveal activity")
        #expect(purposes[0][2] == .withheld, "care re-entries would reveal notes")
    }

    @Test("self and transcription per profession hide where the who table hides")
    func professionsFollowWho() {
        func profession(_ reEntries: Int, _ selfCount: Int, _ transcriptions: Int) -> ProfessionMetrics {
            var p = ProfessionMetrics()
            p.authors = 6
            p.entries = 250
            p.reEntries = reEntries
            p.selfReEntries = selfCount
            p.transcriptions = transcriptions
            return p
        }
        // Who: self 25, transcription 30, unknown 3 (hidden) → self hidden too. Per profession the self
        // cells 12 and 13 are large, but shown they would add up to 25 and give the 3 away.
        var site = WorkloadMetrics(site: "s")
        site.entries = 500
        site.firstRecordedAt = StoreBuilder.base
        site.lastRecordedAt = StoreBuilder.base + 30 * 86_400
        site.reEntries = 58
        site.selfReEntries = 25
        site.transcriptions = 30
        site.authorUnknown = 3
        site.byProfession = ["IDE": profession(29, 12, 15), "AS": profession(29, 13, 15)]
        var metrics = Analysis(store: EntryStore()).metrics
        metrics.sites = [site]
        metrics.totals = site
        let settings = ReportSettings(
            toolVersion: "t", windowHours: 72, linkage: "l", matching: "m", timeZone: "UTC", ephemeralKey: false,
            generatedAt: nil)
        let input = ReportInput(
            metrics: metrics, quality: DataQuality(), linkage: PatientLinkage(person: [], personCount: 0),
            settings: settings,
            clock: SiteClock(timeZone: TimeZone(identifier: "UTC")!))
        let published = PublishedReport(input, disclosure: Disclosure()).sites[0]
        #expect(published.table("who")!.rows.map { $0[1] } == [.withheld, .count(30), .suppressed])
        let professions = published.table("by_profession")!
        #expect(professions.rows.map { $0[0] } == [.text("AS"), .text("IDE")])
        #expect(professions.rows.map { $0[4] } == [.withheld, .withheld])
        #expect(professions.rows.map { $0[5] } == [.count(15), .count(15)])
    }

    @Test("a hidden total needs no secondary suppression")
    func hiddenTotal() {
        let disclosed = Disclosure().disclose(table([3, 0, 0], total: 3))
        #expect(disclosed.total?[1] == .suppressed)
        #expect(shown(disclosed) == [.suppressed, .count(0), .count(0)])
    }

    @Test("the threshold is configurable; exact counts hide nothing")
    func threshold() {
        #expect(
            shown(Disclosure(threshold: 3).disclose(table([3, 20, 15], total: 38))) == [
                .count(3), .count(20), .count(15),
            ])
        #expect(
            shown(Disclosure(threshold: 5).disclose(table([3, 20, 15], total: 38))) == [
                .suppressed, .count(20), .withheld,
            ])
        #expect(
            shown(Disclosure().exactCounts.disclose(table([3, 20, 15], total: 38))) == [
                .count(3), .count(20), .count(15),
            ])
        #expect(Wording(.fr, threshold: 5).format(.suppressed) == "<5")
    }

    func profession(authors: Int, entries: Int) -> ProfessionMetrics {
        var p = ProfessionMetrics()
        p.authors = authors
        p.entries = entries
        return p
    }

    @Test("professions under 5 authors are merged into others, hidden if still too few")
    func professions() {
        let merged = Disclosure().professions([
            "IDE": profession(authors: 6, entries: 60), "AS": profession(authors: 3, entries: 30),
            "kiné": profession(authors: 2, entries: 20), Profession.unspecified: profession(authors: 0, entries: 4),
        ])
        #expect(merged.map(\.name) == ["IDE", Disclosure.othersProfession])
        #expect(merged[1].metrics.entries == 54 && merged[1].metrics.authors == 5 && merged[1].shown)
        let tooFew = Disclosure().professions([
            "IDE": profession(authors: 6, entries: 60), "AS": profession(authors: 4, entries: 30),
        ])
        #expect(tooFew.map(\.name) == ["IDE", Disclosure.othersProfession])
        #expect(!tooFew[1].shown)
        #expect(
            Disclosure(minAuthorsPerProfession: 4).professions(["AS": profession(authors: 4, entries: 30)]).map(\.name)
                == ["AS"])
    }

    @Test("a small team whose every profession is under the minimum: one row that says so, not 'others'")
    func allProfessionsMerged() {
        var site = WorkloadMetrics(site: "msp")
        site.entries = 90
        site.authors = 9
        site.firstRecordedAt = StoreBuilder.base
        site.lastRecordedAt = StoreBuilder.base + 30 * 86_400
        site.byProfession = [
            "medecin": profession(authors: 3, entries: 40), "infirmier": profession(authors: 4, entries: 30),
            "secretaire": profession(authors: 2, entries: 20),
        ]
        let published = PublishedReport.site(
            site, isTotal: false, disclosure: Disclosure(), clock: SiteClock(timeZone: TimeZone(identifier: "UTC")!))
        let rows = published.table("by_profession")?.rows ?? []
        #expect(rows.count == 1 && rows.first?[0] == .label("all_professions_merged"))
        #expect(rows.first?[2] == .count(90))
        #expect(Wording(.fr).word("all_professions_merged").hasPrefix("Toutes professions confondues"))
    }
}

/// An audit written as canonical CSV, with names, ids and free text that must never reach a report.
///
/// Site "alpha": 40 residents; each has a temperature typed in the DPI by one of 6 nurses (IDE) and
/// retyped in the DUI by another nurse for the first 30 (transcriptions), a note of 5 words typed by a
/// physiotherapist (2 "kiné" authors) retyped by the same one for the first 4 (self re-entries).
/// Site "beta": 12 patients, one DPI→SIP re-entry of an appointment for 3 of them (a small count).
struct SecretAudit {
    var files: [String: String] = [:]
    var secrets: Set<String> = []

    init() {
        let header =
            "record_id,patient_id,ins,birth_name,given_names,birth_date,sex,recorded_at,author_id,profession,category,label,value,unit,text"
        var dpi = [header], dui = [header], betaDPI = [header], betaSIP = [header]
        func person(_ i: Int) -> (ipp: String, ins: String, name: String, given: String, birth: String) {
            (
                "IPP\(7000 + i)", "2\(String(40_000_000_000_000 + i * 7919))", "Secretnom\(i)", "Prenomcache\(i)",
                "19\(30 + i % 60)-0\(1 + i % 9)-1\(i % 10)"
            )
        }
        for i in 0..<40 {
            let p = person(i)
            let day = String(format: "%02d", 2 + i % 25)
            let nurse = "RPPS10000\(i % 6)", other = "RPPS10000\((i + 1) % 6)"
            let kine = "RPPS20000\(i % 2)"
            let text = "Madame Secretnom\(i) marche avec cadre"
            dpi.append(
                "DPI-REC-\(i),\(p.ipp),\(p.ins),\(p.name),\(p.given),\(p.birth),F,2026-03-\(day)T08:00:00+01:00,\(nurse),IDE,vital_sign,Température,37.\(i % 10),°C,"
            )
            dpi.append(
                "DPI-NOTE-\(i),\(p.ipp),\(p.ins),\(p.name),\(p.given),\(p.birth),F,2026-03-\(day)T10:00:00+01:00,\(kine),kiné,note,Transmission,,,\(text)"
            )
            let ipp2 = "RES\(9000 + i)"
            if i < 30 {
                dui.append(
                    "DUI-REC-\(i),\(ipp2),\(p.ins),\(p.name),\(p.given),\(p.birth),F,2026-03-\(day)T09:30:00+01:00,\(other),IDE,vital_sign,Temperature,\"37,\(i % 10)\",°C,"
                )
            } else {
                dui.append(
                    "DUI-REC-\(i),\(ipp2),\(p.ins),\(p.name),\(p.given),\(p.birth),F,2026-03-\(day)T09:30:00+01:00,\(other),IDE,vital_sign,Poids,6\(i % 10),kg,"
                )
            }
            if i < 4 {
                dui.append(
                    "DUI-NOTE-\(i),\(ipp2),\(p.ins),\(p.name),\(p.given),\(p.birth),F,2026-03-\(day)T11:00:00+01:00,\(kine),kiné,note,Transmission,,,\(text)"
                )
            }
            secrets.formUnion([
                p.ipp, p.ins, p.name, p.given, p.birth, nurse, other, kine, text, ipp2, "DPI-REC-\(i)", "DUI-REC-\(i)",
            ])
        }
        for i in 0..<12 {
            let p = person(100 + i)
            dpiBeta(&betaDPI, p, i)
            if i < 3 {
                betaSIP.append(
                    "SIP-\(i),M\(p.ipp),\(p.ins),\(p.name),\(p.given),\(p.birth),M,2026-03-05T09:00:00+01:00,RPPS3000\(i),médecin,appointment,RDV,2026-03-20,,Rappeler Monsieur \(p.name)"
                )
                secrets.insert("Rappeler Monsieur \(p.name)")
            }
            secrets.formUnion([p.ipp, p.ins, p.name, p.given, p.birth, "M\(p.ipp)"])
        }
        files = [
            "alpha/dpi.csv": dpi.joined(separator: "\n") + "\n", "alpha/dui.csv": dui.joined(separator: "\n") + "\n",
            "beta/dpi.csv": betaDPI.joined(separator: "\n") + "\n",
            "beta/sip.csv": betaSIP.joined(separator: "\n") + "\n",
        ]
    }

    func dpiBeta(
        _ lines: inout [String], _ p: (ipp: String, ins: String, name: String, given: String, birth: String), _ i: Int
    ) {
        lines.append(
            "B-\(i),\(p.ipp),\(p.ins),\(p.name),\(p.given),\(p.birth),M,2026-03-05T08:00:00+01:00,RPPS3000\(i),médecin,appointment,RDV,2026-03-20,,Rappeler Monsieur \(p.name)"
        )
        lines.append(
            "B2-\(i),\(p.ipp),\(p.ins),\(p.name),\(p.given),\(p.birth),M,2026-03-0\(5 + i % 4)T12:00:00+01:00,RPPS3000\(i),médecin,vital_sign,Pouls,7\(i),/min,"
        )
    }
}

@Suite("Disclosure: shares across sites are counts in disguise")
struct ComparisonShareTests {
    func site(_ name: String, reEntries: Int, management: Int, transcriptions: Int, crossSystem: Int) -> WorkloadMetrics
    {
        var site = WorkloadMetrics(site: name)
        site.entries = 400
        site.firstRecordedAt = StoreBuilder.base
        site.lastRecordedAt = StoreBuilder.base + 30 * 86_400
        site.reEntries = reEntries
        site.byPurpose = [
            .care: SliceCount(entries: 300, reEntries: reEntries - management),
            .management: SliceCount(entries: 100, reEntries: management),
        ]
        site.transcriptions = transcriptions
        site.selfReEntries = reEntries - transcriptions
        site.crossSystem = crossSystem
        site.sameSystem = reEntries - crossSystem
        return site
    }

    @Test("a share whose part or rest is a small count is hidden, with its rank; the counts it hides cannot come back")
    func sharesHideSmallParts() {
        // 32 re-entries, 1 in management, 3 by the same author: 3.1 % and 90.6 % would give both back.
        let sites = [
            site("a", reEntries: 32, management: 1, transcriptions: 29, crossSystem: 20),
            site("b", reEntries: 60, management: 30, transcriptions: 30, crossSystem: 30),
        ]
        let (comparison, _, _) = PublishedReport.comparison(
            sites, settings: Self.settings(.all, minimum: 1), disclosure: Disclosure())
        func value(_ site: String, _ metric: String) -> Cell? {
            comparison.rows.first { $0[0] == .text(site) && $0[1] == .label(metric) }?[2]
        }
        func rank(_ site: String, _ metric: String) -> Cell? {
            comparison.rows.first { $0[0] == .text(site) && $0[1] == .label(metric) }?[3]
        }
        #expect(value("a", "management_share") == .withheld && rank("a", "management_share") == .withheld)
        #expect(value("a", "transcription_share") == .withheld)
        #expect(value("a", "cross_system_share") == .rate(20.0 / 32))  // 20 and 12: both shown elsewhere
        #expect(value("b", "management_share") == .rate(0.5))
        // With nothing hidden, every share is shown.
        let (exact, _, _) = PublishedReport.comparison(
            sites, settings: Self.settings(.all, minimum: 1), disclosure: Disclosure().exactCounts)
        #expect(!exact.rows.contains { $0[2] == .suppressed })
    }

    static func settings(_ peers: ComparisonSettings.Peers, minimum: Int = 5, profiles: [String: SiteProfile] = [:])
        -> ReportSettings
    {
        var settings = ReportSettings(
            toolVersion: "t", windowHours: 72, linkage: "l", matching: "m", timeZone: "Europe/Paris",
            ephemeralKey: false, generatedAt: nil)
        settings.comparison = ComparisonSettings(peers: peers, minimumSites: minimum)
        settings.siteProfiles = profiles
        return settings
    }

    @Test("ranks and quartiles among peers of one type, at least 5 with a value; ties shown as ties; the rest said")
    func peers() {
        // Five EHPAD (two with the same re-entries) and two MSP, all with enough re-entries to be shown.
        var sites: [WorkloadMetrics] = []
        var profiles: [String: SiteProfile] = [:]
        for (index, reEntries) in [40, 60, 60, 20, 80].enumerated() {
            sites.append(
                site(
                    "e\(index)", reEntries: reEntries, management: reEntries / 2, transcriptions: reEntries / 2,
                    crossSystem: reEntries / 2))
            profiles["e\(index)"] = SiteProfile(kind: .ehpad)
        }
        for (index, reEntries) in [100, 30].enumerated() {
            sites.append(
                site(
                    "m\(index)", reEntries: reEntries, management: reEntries / 2, transcriptions: reEntries / 2,
                    crossSystem: reEntries / 2))
            profiles["m\(index)"] = SiteProfile(kind: .msp)
        }
        let (comparison, quartiles, compared) = PublishedReport.comparison(
            sites, settings: Self.settings(.type, profiles: profiles), disclosure: Disclosure())
        func rank(_ site: String) -> Cell? {
            comparison.rows.first { $0[0] == .text(site) && $0[1] == .label("re_entries") }?[3]
        }
        // Among the EHPAD: 80 first, the two 60 tied second, 40 fourth, 20 fifth. The MSP (100) is no peer.
        #expect(rank("e4") == .rank(1) && rank("e1") == .tiedRank(2) && rank("e2") == .tiedRank(2))
        #expect(rank("e0") == .rank(4) && rank("e3") == .rank(5))
        #expect(rank("m0") == Cell.none && rank("m1") == Cell.none)
        #expect(comparison.rows.first { $0[0] == .text("m0") }?[4] == .label("peer_msp"))
        let groups = Set(quartiles.rows.map { $0[0] })
        #expect(groups == [.label("peer_ehpad")])
        #expect(quartiles.rows.first { $0[1] == .label("re_entries") }?[4] == .count(60))  // median of 20 40 60 60 80
        #expect(compared.groups.map(\.name) == ["ehpad", "msp"])
        // Without declared types, every site is "type not declared": 7 sites, ranked together.
        let (_, undeclared, _) = PublishedReport.comparison(
            sites, settings: Self.settings(.type), disclosure: Disclosure())
        #expect(Set(undeclared.rows.map { $0[0] }) == [.label("peer_unspecified")])
        // Asked otherwise: all sites together.
        let (all, _, _) = PublishedReport.comparison(
            sites, settings: Self.settings(.all, profiles: profiles), disclosure: Disclosure())
        #expect(all.rows.first { $0[0] == .text("m0") && $0[1] == .label("re_entries") }?[3] == .rank(1))
        // The note names the groups too small to be ranked, in both languages.
        var input = ReportInput(
            metrics: AuditMetrics(sites: sites, totals: WorkloadMetrics(site: "total")), quality: DataQuality(),
            linkage: PatientLinkage(person: [], personCount: 0), settings: Self.settings(.type, profiles: profiles),
            clock: SiteClock(timeZone: TimeZone(identifier: "Europe/Paris")!))
        input.settings.comparison.minimumSites = 5
        let report = PublishedReport(input, disclosure: Disclosure())
        #expect(Wording(.en).peersNote(report).contains("Too few sites for a rank or a quartile: MSP (2 sites)"))
        #expect(Wording(.fr).peersNote(report).contains("MSP (2 sites)"))
        #expect(Wording(.fr).format(.tiedRank(2)) == "2 (ex æquo)")
    }
}

@Suite("Disclosure: primary and secondary marks")
struct DisclosureMarksTests {
    @Test(
        "a small count reads <11; a cell hidden to protect another reads ×, whatever it holds; threshold 0 hides nothing"
    )
    func marks() {
        let table = PublishedTable(
            id: "t", columns: [.init("name"), .init("count", additive: true), .init("share", basis: [1])],
            rows: [
                [.text("a"), .count(3), .rate(0.05)], [.text("b"), .count(41), .rate(0.68)],
                [.text("c"), .count(16), .rate(0.27)],
            ],
            total: [.text("total"), .count(60), .rate(1)])
        let disclosed = Disclosure().disclose(table)
        #expect(disclosed.rows.map { $0[1] } == [.suppressed, .count(41), .withheld])
        for language in ReportLanguage.allCases {
            let wording = Wording(language)
            #expect(wording.format(disclosed.rows[0][1]) == "<11")
            #expect(wording.format(disclosed.rows[2][1]) == "×")
            #expect(wording.format(disclosed.rows[0][2]) == "×")  // a rate is never shown as "<11"
        }
        let none = Disclosure(threshold: 0).disclose(table)
        #expect(none == table)
        #expect(!Wording(.fr, threshold: 0).privacyText(Disclosure(threshold: 0)).contains("<0"))
    }
}

@Suite("Wording")
struct WordingTests {
    @Test("a count of words takes its noun in the right number, in each language")
    func wordCounts() {
        #expect(
            Wording(.fr).words(0) == "0 mot" && Wording(.fr).words(1) == "1 mot" && Wording(.fr).words(2) == "2 mots")
        #expect(
            Wording(.en).words(0) == "0 words" && Wording(.en).words(1) == "1 word"
                && Wording(.en).words(12) == "12 words")
    }
}

@Suite("HTML flow matrix")
struct FlowMatrixTests {
    @Test("the flow matrix shows only the systems the site has")
    func onlyPresentSystems() {
        let flows = PublishedTable(
            id: "flows", columns: [.init("from"), .init("to"), .init("re_entries")],
            rows: [[.label("DPI"), .label("DUI"), .count(40)], [.label("DUI"), .label("DPI"), .count(12)]])
        let two = HTMLReport.flowMatrix(flows, systems: ["DPI", "DUI"], Wording(.en))
        #expect(two.contains(">DUI<") && two.contains(">40<") && !two.contains("SIP"))
        let three = HTMLReport.flowMatrix(flows, systems: ["DPI", "DUI", "SIP"], Wording(.en))
        #expect(three.contains("SIP"))
    }
}

@Suite("Method on the page")
struct MethodOnThePageTests {
    @Test(
        "every published format states the window, the methods, the links and how much boilerplate was learned, never the phrases"
    )
    func method() {
        var (input, _, _) = sampleInput()
        input.settings.boilerplate = Boilerplate(phrases: [
            .init(
                text: "Vu avec Dr Dupont :", position: .leading, source: .learned, site: "s", systems: ["DPI"],
                occurrences: 40, distinctContents: 30)
        ])
        input.settings.boilerplateSample = (files: 2, rows: 4)
        let report = PublishedReport(input, disclosure: Disclosure())
        #expect(report.method.rows.first { $0[0] == .label("boilerplate_phrases") }?[1] == .count(1))
        #expect(report.method.rows.first { $0[0] == .label("window_hours") }?[1] == .count(72))
        for language in ReportLanguage.allCases {
            let markdown = MarkdownReport.render(report, language: language)
            let html = HTMLReport.render(report, language: language)
            let csv = TablesCSV.render(report, language: language)
            #expect(!markdown.lowercased().contains("dupont") && !html.lowercased().contains("dupont"))
            #expect(!csv.contains { $0.contents.lowercased().contains("dupont") })
            let learned = Wording(language).word("boilerplate_phrases")
            #expect(
                csv.contains { $0.name == "method.csv" && $0.contents.contains("boilerplate_phrases,\(learned),1") })
            #expect(markdown.contains(language == .fr ? "Liens par INS" : "Links by INS"))
        }
        // The analyst's JSON keeps the phrase.
        #expect(JSONReport.render(input, published: report).contains("vu avec dr dupont"))
    }
}

@Suite("Numbers and dates in the reader's convention")
struct ReaderConventionTests {
    @Test("hours with one decimal, settings without trailing zeros, dates and times as the reader writes them")
    func conventions() {
        let fr = Wording(.fr), en = Wording(.en)
        #expect(
            fr.format(.hours(0.55)) == "0,6" && fr.format(.hours(1.3)) == "1,3" && en.format(.hours(12.25)) == "12.3")
        #expect(fr.format(.hours(0.02)) == "< 0,1" && en.format(.hours(0)) == "0.0")
        #expect(
            fr.format(.number(60)) == "60" && fr.format(.number(0.5)) == "0,5" && en.format(.number(1.25)) == "1.25")
        #expect(fr.timestamp("2026-03-04T08:05:00+01:00") == "04/03/2026 08:05 (UTC+01:00)")
        #expect(en.timestamp("2026-03-04T08:05:00+01:00") == "2026-03-04 08:05 (UTC+01:00)")
        #expect(fr.day("2026-03-31") == "31/03/2026" && en.day("2026-03-31") == "2026-03-31")
    }
}

@Suite("Definitions on the page")
struct DefinitionsTests {
    @Test("every figure defined in one sentence, in both languages and every published format")
    func definitions() throws {
        for language in ReportLanguage.allCases {
            let v = Wording(language)
            let definitions = v.definitions()
            #expect(definitions.count >= 12)
            for item in definitions {
                #expect(item.term != item.id, "\(item.id) has no translated term")
                #expect(item.definition.hasSuffix(".") && item.definition.filter { $0 == "." }.count <= 2, "\(item.id)")
            }
            var settings = ReportSettings(
                toolVersion: "t", windowHours: 72, linkage: "l", matching: "m", timeZone: "UTC", ephemeralKey: false,
                generatedAt: nil)
            settings.comparison = ComparisonSettings()
            let input = ReportInput(
                metrics: AuditMetrics(sites: [], totals: WorkloadMetrics(site: "total")), quality: DataQuality(),
                linkage: PatientLinkage(person: [], personCount: 0), settings: settings,
                clock: SiteClock(timeZone: TimeZone(identifier: "UTC")!))
            let report = PublishedReport(input, disclosure: Disclosure())
            let redundancy = try #require(definitions.first { $0.id == "redundancy_rate" })
            #expect(MarkdownReport.render(report, language: language).contains(redundancy.definition))
            #expect(HTMLReport.render(report, language: language).contains(redundancy.definition))
            #expect(
                TablesCSV.render(report, language: language).contains {
                    $0.name == "definitions.csv" && $0.contents.contains("redundancy_rate,")
                })
        }
    }
}

@Suite("Wording that describes")
struct NeutralWordingTests {
    @Test("who re-entered is described, not explained: no tooling or coordination cost, any system")
    func describesWho() {
        for language in ReportLanguage.allCases {
            let text = Wording(language).word("who_intro").lowercased()
            for judgement in ["outillage", "coordination", "tooling"] {
                #expect(!text.contains(judgement), "\(judgement)")
            }
            #expect(
                text.contains(
                    language == .fr ? "dans le même système ou dans un autre" : "in the same system or in another"))
            #expect(!text.contains(language == .fr ? "dans un autre système (" : "in another system ("))
        }
    }
}
