import RessaisieCore
import TestSupport
import Testing

/// Who retypes whose information, and for whom, on an audit whose answers are known by construction.
///
/// Site s, one person (P in DPI, R in DUI, S in SIP, same INS). Groups:
/// A: d1 (a1 infirmier) → u1 (a2 aide_soignant).
/// B: d2 (a1 infirmier) → u2 (a1 infirmier) → s1 (a3 secretaire): both re-entries against the original's author.
/// C: s2 (a3 secretaire) → d3 (a4, no profession).
@Suite("Who retypes whose information; for whom")
struct WhoWhomTests {
    func audit() -> Analysis {
        var b = StoreBuilder()
        b.patient("s", .dpi, "P", ins: "I")
        b.patient("s", .dui, "R", ins: "I")
        b.patient("s", .sip, "S", ins: "I")
        b.entry(
            "d1", site: "s", system: .dpi, patient: "P", label: "T", value: "37", at: 0, author: "a1",
            profession: "infirmier")
        b.entry(
            "u1", site: "s", system: .dui, patient: "R", label: "T", value: "37", at: 30, author: "a2",
            profession: "aide_soignant")
        b.entry(
            "d2", site: "s", system: .dpi, patient: "P", label: "Poids", value: "60", at: 0, author: "a1",
            profession: "infirmier")
        b.entry(
            "u2", site: "s", system: .dui, patient: "R", label: "Poids", value: "60", at: 40, author: "a1",
            profession: "infirmier")
        b.entry(
            "s1", site: "s", system: .sip, patient: "S", label: "Poids", value: "60", at: 50, author: "a3",
            profession: "secretaire")
        b.entry(
            "s2", site: "s", system: .sip, patient: "S", category: "appointment", label: "RDV", value: "kiné",
            at: 0, author: "a3", profession: "secretaire")
        b.entry(
            "d3", site: "s", system: .dpi, patient: "P", category: "appointment", label: "RDV", value: "kiné",
            at: 60, author: "a4")
        return Analysis(store: b.store)
    }

    @Test("the profession of the original's author → the re-entry's, and the same by staff group")
    func pairs() throws {
        let site = try #require(audit().metrics.sites.first)
        #expect(site.reEntries == 4)
        #expect(
            site.reEntriesByProfessionPair == [
                FromTo("infirmier", "aide_soignant"): 1, FromTo("infirmier", "infirmier"): 1,
                FromTo("infirmier", "secretaire"): 1, FromTo("secretaire", Profession.unspecified): 1,
            ])
        #expect(
            site.reEntriesByStaffPair == [
                FromTo(StaffGroup.care, .care): 2, FromTo(StaffGroup.care, .other): 1,
                FromTo(StaffGroup.other, .unclassified): 1,
            ])
        // Care staff: a1, a2 (4 entries); other: a3 (2); unclassified: a4, no profession (1).
        #expect(
            site.byStaffGroup == [
                .care: StaffGroupCount(entries: 4, authors: 2), .other: StaffGroupCount(entries: 2, authors: 1),
                .unclassified: StaffGroupCount(entries: 1, authors: 1),
            ])
        // Every re-entry once; into a profession, its re-entries.
        #expect(site.reEntriesByProfessionPair.values.reduce(0, +) == site.reEntries)
        for (name, profession) in site.byProfession {
            let into = site.reEntriesByProfessionPair.filter { $0.key.to == name }.values.reduce(0, +)
            #expect(into == profession.reEntries, "\(name)")
        }
        #expect(audit().metrics.totals.reEntriesByStaffPair == site.reEntriesByStaffPair)
    }

    @Test("staff groups come from the vocabulary; a label it does not know is never guessed")
    func staffGroups() {
        #expect(Vocabulary.staffGroup(ofProfession: "aide_soignant") == .care)
        #expect(Vocabulary.staffGroup(ofProfession: "medecin") == .care)
        #expect(Vocabulary.staffGroup(ofProfession: "secretaire") == .other)
        #expect(Vocabulary.staffGroup(ofProfession: "direction") == .other)
        #expect(Vocabulary.staffGroup(ofProfession: "veilleur de nuit") == .unclassified)
        #expect(Vocabulary.staffGroup(ofProfession: Profession.unspecified) == .unclassified)
        #expect(Vocabulary.professions.allSatisfy { $0.staffGroup != .unclassified })
    }

    @Test("for whom: re-entries by the declared purpose of the receiving system, and by pair of purposes")
    func destinations() throws {
        var metrics = audit().metrics
        // Nothing declared: every system's purpose is not declared.
        #expect(metrics.sites[0].byDestinationPurpose == [.notDeclared: SliceCount(entries: 7, reEntries: 4)])
        metrics.fileSystemPurposes([
            "s": SiteProfile(systemPurposes: [.dpi: .legalTrace, .dui: .careCoordination])
        ])
        let site = metrics.sites[0]
        // DPI: 3 entries, 1 re-entry (d3); DUI: 2 entries, 2 re-entries; SIP (not declared): 2 entries, 1.
        #expect(
            site.byDestinationPurpose == [
                .legalTrace: SliceCount(entries: 3, reEntries: 1),
                .careCoordination: SliceCount(entries: 2, reEntries: 2),
                .notDeclared: SliceCount(entries: 2, reEntries: 1),
            ])
        #expect(
            site.reEntriesByPurposePair == [
                FromTo(SystemPurpose.legalTrace, .careCoordination): 2,
                FromTo(SystemPurpose.legalTrace, .notDeclared): 1,
                FromTo(SystemPurpose.notDeclared, .legalTrace): 1,
            ])
        #expect(metrics.totals.byDestinationPurpose == site.byDestinationPurpose)
        // Who typed again, into what, for whom: the re-entry's profession, its system and that system's purpose.
        #expect(
            site.reEntriesByProfessionSystem == [
                TypedInto("aide_soignant", .dui, .careCoordination): 1,
                TypedInto("infirmier", .dui, .careCoordination): 1, TypedInto("secretaire", .sip, .notDeclared): 1,
                TypedInto(Profession.unspecified, .dpi, .legalTrace): 1,
            ])
        #expect(
            site.reEntriesByStaffSystem == [
                TypedInto(StaffGroup.care, .dui, .careCoordination): 2, TypedInto(StaffGroup.other, .sip): 1,
                TypedInto(StaffGroup.unclassified, .dpi, .legalTrace): 1,
            ])
        #expect(metrics.totals.reEntriesByProfessionSystem == site.reEntriesByProfessionSystem)
        // Filing again replaces: nothing declared any more.
        metrics.fileSystemPurposes([:])
        #expect(metrics.totals.byDestinationPurpose == [.notDeclared: SliceCount(entries: 7, reEntries: 4)])
        #expect(
            metrics.totals.reEntriesByStaffSystem == [
                TypedInto(StaffGroup.care, .dui): 2, TypedInto(StaffGroup.other, .sip): 1,
                TypedInto(StaffGroup.unclassified, .dpi): 1,
            ])
    }
}
