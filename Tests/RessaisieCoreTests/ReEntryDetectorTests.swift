import RessaisieCore
import Testing
import TestSupport

@Suite("Re-entry detection")
struct ReEntryDetectorTests {
    /// One person known to DPI, DUI and SIP (linked by INS).
    func builder() -> StoreBuilder {
        var builder = StoreBuilder()
        builder.patient("s", .dpi, "P", ins: "I")
        builder.patient("s", .dui, "P", ins: "I")
        builder.patient("s", .sip, "P", ins: "I")
        builder.patient("s", .dpi, "Q", ins: "J")
        return builder
    }

    func groups(_ builder: StoreBuilder, windowHours: Int64 = 72) -> [[String]] {
        let linkage = DeterministicLinker().link(builder.store.patients)
        let groups = ReEntryDetector(window: windowHours * 3600).groups(in: builder.store, linkage: linkage)
        return StoreBuilder.recordIDs(of: groups, in: builder.store)
    }

    @Test("a value copied into two other systems is one group of three, earliest first")
    func triple() {
        var b = builder()
        b.entry("u1", site: "s", system: .dui, patient: "P", label: "temperature", value: "37.5", unit: "°c", at: 30)
        b.entry("d1", site: "s", system: .dpi, patient: "P", label: "Température", value: "37,50", unit: "°C", at: 0)
        b.entry("s1", site: "s", system: .sip, patient: "P", label: "TEMPÉRATURE", value: "37,5", unit: "°C", at: 600)
        #expect(groups(b) == [["d1", "u1", "s1"]])
    }

    @Test("outside the window it is another fact; the window is configurable")
    func window() {
        var b = builder()
        b.entry("d1", site: "s", system: .dpi, patient: "P", category: "note", text: "Chute", at: 0)
        b.entry("u1", site: "s", system: .dui, patient: "P", category: "note", text: "chute", at: 72 * 60 + 1)
        #expect(groups(b).isEmpty)
        #expect(groups(b, windowHours: 73) == [["d1", "u1"]])
    }

    @Test("a measure repeated at another effective time is not a re-entry")
    func repeatedMeasure() {
        var b = builder()
        b.entry("d1", site: "s", system: .dpi, patient: "P", label: "T", value: "37.2", at: 0, effective: 0)
        b.entry("d2", site: "s", system: .dpi, patient: "P", label: "T", value: "37.2", at: 480, effective: 480)
        #expect(groups(b).isEmpty)
        // Copies of each, one with the effective time, one without: two groups, never merged.
        b.entry("u1", site: "s", system: .dui, patient: "P", label: "T", value: "37.2", at: 10, effective: 0)
        b.entry("u2", site: "s", system: .dui, patient: "P", label: "T", value: "37.2", at: 490)
        let found = groups(b)
        #expect(found.count == 2)
        #expect(found.contains(["d1", "u1"]))
        #expect(found.contains { $0.contains("d2") && !$0.contains("d1") })
    }

    @Test("different patient, category or value: no group")
    func hardNegatives() {
        var b = builder()
        b.entry("d1", site: "s", system: .dpi, patient: "P", category: "note", text: "RAS", at: 0)
        b.entry("d2", site: "s", system: .dpi, patient: "Q", category: "note", text: "RAS", at: 5)
        b.entry("u1", site: "s", system: .dui, patient: "P", category: "diagnosis", text: "RAS", at: 5)
        b.entry("u2", site: "s", system: .dui, patient: "P", label: "Poids", value: "60", at: 5)
        b.entry("u3", site: "s", system: .dui, patient: "P", label: "Poids", value: "61", at: 6)
        #expect(groups(b).isEmpty)
    }

    @Test("a same-system double entry is a group")
    func sameSystem() {
        var b = builder()
        b.entry("d1", site: "s", system: .dpi, patient: "P", label: "Poids", value: "60,0", unit: "kg", at: 0)
        b.entry("d2", site: "s", system: .dpi, patient: "P", label: "poids", value: "60", unit: "KG", at: 2)
        #expect(groups(b) == [["d1", "d2"]])
    }

    @Test("groups are transitive within the window chain")
    func chain() {
        var b = builder()
        b.entry("d1", site: "s", system: .dpi, patient: "P", category: "note", text: "x", at: 0)
        b.entry("u1", site: "s", system: .dui, patient: "P", category: "note", text: "x", at: 60 * 60)
        b.entry("s1", site: "s", system: .sip, patient: "P", category: "note", text: "x", at: 120 * 60)
        #expect(groups(b) == [["d1", "u1", "s1"]])
    }
}
