import RessaisieCore
import TestSupport
import Testing

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
        let groups = ReEntryDetector(window: windowHours * 3600).detect(in: builder.store, linkage: linkage).groups
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

    @Test("the same drug every morning: a day-only copy meets its own day's dose, never the day before's")
    func dayOnlyMeetsItsDay() {
        var b = builder()
        let day: Int64 = 24 * 60
        for index in 0..<3 {
            let morning = Int64(index) * day + 8 * 60 + Int64(index) * 4
            b.entry(
                "u\(index)", site: "s", system: .dui, patient: "P", category: "medication",
                label: "Lévothyroxine 75 µg",
                at: morning, author: "A")
            // DPI files the DUI's record under its day alone (no time).
            if index > 0 {
                b.entry(
                    "d\(index)", site: "s", system: .dpi, patient: "P", category: "medication",
                    label: "Lévothyroxine 75 µg", at: Int64(index) * day, author: "B", flags: .recordedDay)
            }
        }
        #expect(groups(b) == [["d1", "u1"], ["d2", "u2"]])
    }

    @Test("the closest pair first: the same minute in another system before the day before")
    func closestFirst() {
        var b = builder()
        let day: Int64 = 24 * 60
        b.entry("s1", site: "s", system: .sip, patient: "P", category: "medication", label: "Furosémide 40 mg", at: 510)
        // Read first, at the same minute as SIP's second dose: it must not take the first.
        b.entry(
            "u2", site: "s", system: .dui, patient: "P", category: "medication", label: "Furosémide 40 mg",
            at: day + 502, author: "A")
        b.entry(
            "s2", site: "s", system: .sip, patient: "P", category: "medication", label: "Furosémide 40 mg",
            at: day + 502, author: "B")
        #expect(groups(b) == [["u2", "s2"]])
    }

    @Test("outside the window it is another fact; the window is configurable")
    func window() {
        var b = builder()
        b.entry("d1", site: "s", system: .dpi, patient: "P", category: "note", text: "Chute", at: 0)
        b.entry("u1", site: "s", system: .dui, patient: "P", category: "note", text: "chute", at: 72 * 60 + 1)
        #expect(groups(b).isEmpty)
        #expect(groups(b, windowHours: 73) == [["d1", "u1"]])
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

/// What no one typed again, set aside before grouping, and times as systems write them.
@Suite("Re-entry detection: republished records, interface copies, times")
struct SetAsideTests {
    func builder() -> StoreBuilder { ReEntryDetectorTests().builder() }

    func detect(_ builder: StoreBuilder) -> ReEntryDetector.Detection {
        ReEntryDetector().detect(in: builder.store, linkage: DeterministicLinker().link(builder.store.patients))
    }

    func ids(_ indices: [UInt32], _ builder: StoreBuilder) -> [String] {
        indices.map { builder.store.recordID(of: builder.store.entries[Int($0)]) }
    }

    @Test("the same content by the same author at the same second in one system: exported again, not a re-entry")
    func republished() {
        var b = builder()
        b.entry(
            "doc1/obs", site: "s", system: .dpi, patient: "P", label: "Allergie", text: "Pénicilline", at: 0,
            author: "A")
        b.entry(
            "doc2/obs", site: "s", system: .dpi, patient: "P", label: "Allergie", text: "Pénicilline", at: 0,
            author: "A")
        b.entry(
            "u1", site: "s", system: .dui, patient: "P", label: "Allergie", text: "pénicilline", at: 90, author: "B")
        let found = detect(b)
        #expect(ids(found.republished, b) == ["doc2/obs"])
        #expect(StoreBuilder.recordIDs(of: found.groups, in: b.store) == [["doc1/obs", "u1"]])
    }

    @Test("seconds apart in another system, same author: an interface copy, kept out of the groups")
    func interfaceCopy() {
        var b = builder()
        b.entry("d1", site: "s", system: .dpi, patient: "P", label: "TA", value: "120/80", at: 0, author: "A")
        b.entry(
            "u1", site: "s", system: .dui, patient: "P", label: "PA", value: "12/8", at: 0, author: "A", plusSeconds: 4)
        // A colleague's retyping of the same measure an hour later is a re-entry of the original.
        b.entry("s1", site: "s", system: .sip, patient: "P", label: "TA", value: "120/80", at: 60, author: "C")
        let found = detect(b)
        #expect(found.interfaceCopies.map { ids([$0.original, $0.copy], b) } == [["d1", "u1"]])
        #expect(StoreBuilder.recordIDs(of: found.groups, in: b.store) == [["d1", "s1"]])
        // Another author seconds later, or the same author minutes later: typed, so a re-entry.
        var c = builder()
        c.entry("d1", site: "s", system: .dpi, patient: "P", label: "TA", value: "120/80", at: 0, author: "A")
        c.entry(
            "u1", site: "s", system: .dui, patient: "P", label: "TA", value: "120/80", at: 0, author: "B",
            plusSeconds: 4)
        c.entry("s1", site: "s", system: .sip, patient: "P", label: "TA", value: "120/80", at: 5, author: "A")
        let typed = detect(c)
        #expect(typed.interfaceCopies.isEmpty)
        #expect(StoreBuilder.recordIDs(of: typed.groups, in: c.store) == [["d1", "u1", "s1"]])
    }

    @Test("a day given its effective time's time of day is no typing second: no copy, no single act of recording")
    func dayWithEffectiveTime() {
        // The same nurse types a weight twice the same day in one system, and once in another; each export
        // writes the day only, with the measure's time: the three recorded times coincide without being
        // typing times.
        var b = builder()
        let day: Entry.Flags = .recordedTimeFromEffective
        b.entry(
            "d1", site: "s", system: .dpi, patient: "P", label: "Poids", value: "73,9", unit: "kg", at: 600,
            effective: 600, author: "A", flags: day)
        b.entry(
            "d2", site: "s", system: .dpi, patient: "P", label: "Poids", value: "73.90", unit: "kg", at: 600,
            effective: 600, author: "A", flags: day)
        b.entry(
            "u1", site: "s", system: .dui, patient: "P", label: "Poids", value: "73.9", unit: "kg", at: 600,
            effective: 600, author: "A", flags: day)
        let detection = detect(b)
        #expect(StoreBuilder.recordIDs(of: detection.groups, in: b.store) == [["d1", "d2", "u1"]])
        #expect(detection.republished.isEmpty && detection.interfaceCopies.isEmpty)
        // The same entries with typing times to the second: one act of recording, and an interface copy.
        var c = builder()
        c.entry(
            "d1", site: "s", system: .dpi, patient: "P", label: "Poids", value: "73,9", unit: "kg", at: 600,
            effective: 590, author: "A")
        c.entry(
            "d2", site: "s", system: .dpi, patient: "P", label: "Poids", value: "73.90", unit: "kg", at: 600,
            effective: 590, author: "A")
        c.entry(
            "u1", site: "s", system: .dui, patient: "P", label: "Poids", value: "73.9", unit: "kg", at: 600,
            effective: 590, author: "A")
        let typed = detect(c)
        #expect(typed.groups.isEmpty)
        #expect(typed.republished.count == 1 && typed.interfaceCopies.count == 1)
    }

    @Test("a system whose effective times never leave the recorded day stamps them: read as typing times")
    func stampedEffectiveTimes() {
        // DUI writes days and stamps every effective time with the typing time; DPI writes days with true
        // effective times, a few of them on the day before (a measure at night typed in the morning).
        var b = builder()
        for index in 0..<120 {
            let minutes = Int64(index) * 24 * 60 + 9 * 60
            b.entry(
                "u\(index)", site: "s", system: .dui, patient: "P\(index)", label: "Pouls", value: "80", unit: "/min",
                at: minutes, effective: minutes, flags: .recordedTimeFromEffective)
            let night = index % 20 == 0
            b.entry(
                "d\(index)", site: "s", system: .dpi, patient: "P\(index)", label: "Pouls", value: "80", unit: "/min",
                at: night ? minutes - 9 * 60 : minutes, effective: night ? minutes - 10 * 60 : minutes - 30,
                flags: night ? .recordedDay : .recordedTimeFromEffective)
        }
        var store = b.store
        let found = store.useStampedEffectiveTimesAsRecorded()
        #expect(found == [StampedEffectiveTimes(site: "s", system: .dui, entries: 120)])
        let dui = store.entries.filter { $0.system == .dui }, dpi = store.entries.filter { $0.system == .dpi }
        #expect(dui.allSatisfy { !$0.hasEffectiveTime && $0.flags.isEmpty })
        #expect(dpi.allSatisfy { $0.hasEffectiveTime })
        // Too few entries to judge: nothing changes.
        var few = builder()
        few.entry(
            "u", site: "s", system: .dui, patient: "P", label: "Pouls", value: "80", at: 600, effective: 600,
            flags: .recordedTimeFromEffective)
        var fewStore = few.store
        #expect(fewStore.useStampedEffectiveTimesAsRecorded().isEmpty && fewStore.entries[0].hasEffectiveTime)
    }

    @Test("a stamping system that receives copies with other systems' times (some on another day) still stamps")
    func stampedDespiteCopies() {
        // The DUI stamps what it types; 10 % of its records are copied from the DPI with the DPI's effective
        // time, half of them on the day before. The DPI writes true times, 15 % of them on another day.
        func audit(copies: Bool) -> EntryStore {
            var b = builder()
            for index in 0..<200 {
                let minutes = Int64(index) * 24 * 60 + 9 * 60
                let night = index % 7 == 0
                let effective = night ? minutes - 12 * 60 : minutes - 30
                b.entry(
                    "d\(index)", site: "s", system: .dpi, patient: "P\(index)", label: "Pouls",
                    value: "\(60 + index % 40)",
                    unit: "/min", at: night ? minutes - 9 * 60 : effective, effective: effective,
                    flags: night ? .recordedDay : .recordedTimeFromEffective)
                if copies && index % 10 == 0 {
                    b.entry(
                        "c\(index)", site: "s", system: .dui, patient: "P\(index)", label: "Pouls",
                        value: "\(60 + index % 40)", unit: "/min", at: night ? minutes - 9 * 60 : effective,
                        effective: effective, flags: night ? .recordedDay : .recordedTimeFromEffective)
                }
                b.entry(
                    "u\(index)", site: "s", system: .dui, patient: "P\(index)", label: "Poids", value: "70", unit: "kg",
                    at: minutes, effective: minutes, flags: .recordedTimeFromEffective)
            }
            return b.store
        }
        var store = audit(copies: true)
        let found = store.useStampedEffectiveTimesAsRecorded()
        #expect(found.map(\.system) == [.dui])
        #expect(store.entries.filter { $0.system == .dpi }.allSatisfy { $0.hasEffectiveTime })
        // The DPI alone, with its other-day times: never taken to stamp.
        var honest = audit(copies: false)
        #expect(honest.useStampedEffectiveTimesAsRecorded().map(\.system) == [.dui])
    }
}

/// A fact's content compared as a whole: split differently across fields, a comment added, a typo in its key part.
@Suite("Re-entry detection: whole content and key parts")
struct WholeContentTests {
    func groups(_ builder: StoreBuilder) -> [[String]] {
        let linkage = DeterministicLinker().link(builder.store.patients)
        return StoreBuilder.recordIDs(
            of: ReEntryDetector().detect(in: builder.store, linkage: linkage).groups, in: builder.store)
    }

    @Test("drug and dose in the label, in the value, or all in the text: one fingerprint")
    func splitAcrossFields() {
        var f = ContentFingerprinter()
        let whole = f.fingerprint(label: "Paracétamol 1 g")
        #expect(f.fingerprint(label: "Paracétamol", value: "1", unit: "g") == whole)
        #expect(f.fingerprint(text: "paracetamol 1g") == whole)
        #expect(f.fingerprint(label: "Paracétamol", text: "1 g") == whole)
        #expect(f.fingerprint(label: "Paracétamol", value: "500", unit: "mg") != whole)
        #expect(f.fingerprint(label: "Paracétamol", value: "1", unit: "mg") != whole)
    }

    @Test(
        "an allergy re-typed with a comment, a drug without its schedule: the key part is enough",
        arguments: [
            ("allergy", "Latex", "Latex : urticaire de contact en 2019"),
            ("allergy", "Pénicilline", "Pénicilline — œdème de Quincke, hospitalisation en 2015 au CHU"),
            ("medication", "Paracétamol 1 g", "Paracétamol 1 g matin midi et soir"),
            ("diagnosis", "Diabète de type 2", "Diabète de type 2 non insulinodépendant"),
        ])
    func keyPartWithComment(category: String, short: String, long: String) {
        var b = ReEntryDetectorTests().builder()
        b.entry("d1", site: "s", system: .dpi, patient: "P", category: category, text: short, at: 0)
        b.entry("u1", site: "s", system: .dui, patient: "P", category: category, text: long, at: 30)
        #expect(groups(b) == [["d1", "u1"]])
    }

    @Test(
        "a typo in a drug name or an allergen is tolerated, never in a number",
        arguments: [
            ("medication", "Amoxicilline 1 g", "Amoxicilinne 1 g", true),
            ("allergy", "Pénicilline", "Pénicillne", true),
            ("medication", "Paracétamol 1 g", "Paracétamol 2 g", false),
            ("medication", "Paracétamol 500 mg", "Paracétamol 1 g", false),
            ("diagnosis", "Diabète de type 1", "Diabète de type 2", false),
            ("allergy", "Latex", "Iode", false),
        ])
    func keyPartTypos(category: String, a: String, b second: String, same: Bool) {
        var b = ReEntryDetectorTests().builder()
        b.entry("d1", site: "s", system: .dpi, patient: "P", category: category, label: a, at: 0)
        b.entry("u1", site: "s", system: .dui, patient: "P", category: category, text: second, at: 30)
        #expect(groups(b) == (same ? [["d1", "u1"]] : []))
    }
}
