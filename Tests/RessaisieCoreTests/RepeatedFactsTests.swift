import RessaisieCore
import TestSupport
import Testing

/// The repeated-fact rules of `RepeatedFacts` (Sources/RessaisieCore/Matching/RepeatedFacts.swift), one test
/// per rule on bare entries: what each rule keeps apart, and what it lets through.
@Suite("Repeated facts: the rules one by one")
struct RepeatedFactRuleTests {
    let rules = RepeatedFacts(window: 72 * 3600, routineWindow: 4 * 3600, sameSystemRepeatGap: 8 * 3600)
    static let hour: Int64 = 3600
    static let unknown = RepeatedFacts.EffectiveTimes(Entry.noTime, Entry.noTime)

    /// An entry typed `hours` after the epoch (times only matter as differences).
    func entry(
        _ hours: Double, _ system: SystemID = .dpi, effective: Int64 = Entry.noTime, author: UInt32 = Entry.noID,
        flags: Entry.Flags = []
    ) -> Entry {
        Entry(
            recordedAt: Int64((hours * 3600).rounded()), effectiveAt: effective, fingerprint: 1, recordID: 0,
            patient: 0, author: author,
            site: 0, category: 0, system: system, flags: flags)
    }

    @Test("1. two known effective times that differ are two facts; one unknown or both equal say nothing")
    func differentEffectiveTimes() {
        typealias Times = RepeatedFacts.EffectiveTimes
        #expect(RepeatedFacts.differentEffectiveTimes(Times(0, 8 * Self.hour)))
        #expect(!RepeatedFacts.differentEffectiveTimes(Times(0, 0)))
        #expect(!RepeatedFacts.differentEffectiveTimes(Times(Entry.noTime, 8 * Self.hour)))
        #expect(!RepeatedFacts.differentEffectiveTimes(Self.unknown))
        #expect(Times(5, 5).shared && !Times(5, 6).shared && !Times(Entry.noTime, Entry.noTime).shared)
    }

    @Test("2. a day stands for any of its times: beyond the window when its last second is")
    func dayBeyondWindow() {
        let typed = entry(14)
        // Filed under the day three days later: 58 to 82 h away, not within 72 h; two days later, at most 58 h.
        #expect(rules.dayBeyondWindow(typed, entry(72, .dui, flags: .recordedDay)))
        #expect(!rules.dayBeyondWindow(typed, entry(48, .dui, flags: .recordedDay)))
        // Times to the second: the pairs' window is the detector's business, not this rule's.
        #expect(!rules.dayBeyondWindow(typed, entry(100, .dui)))
        #expect(RepeatedFacts.largestGap(typed, entry(72, .dui, flags: .recordedDay)) == 82 * Self.hour - 1)
    }

    @Test("3. one author at one second in one system is one act of recording; not without an author or a second")
    func oneActOfRecording() {
        let a = entry(10, author: 7)
        #expect(RepeatedFacts.oneActOfRecording(a, entry(10, author: 7)))
        #expect(!RepeatedFacts.oneActOfRecording(a, entry(10, author: 8)))  // a colleague
        #expect(!RepeatedFacts.oneActOfRecording(a, entry(10, .dui, author: 7)))  // another system
        #expect(!RepeatedFacts.oneActOfRecording(a, entry(10 + 1.0 / 3600, author: 7)))  // a second later
        #expect(!RepeatedFacts.oneActOfRecording(entry(10), entry(10)))  // no author
        // A day, or a day given the effective time's time of day: coinciding seconds are no typing seconds.
        #expect(!RepeatedFacts.oneActOfRecording(a, entry(10, author: 7, flags: .recordedTimeFromEffective)))
        #expect(
            !RepeatedFacts.oneActOfRecording(
                entry(0, author: 7, flags: .recordedDay), entry(0, author: 7, flags: .recordedDay)))
    }

    @Test("4. a routine note is one fact within 4 h, or with one effective time; never with a day alone")
    func routineNoteOfAnotherShift() {
        let night = entry(6, .dui, flags: .routine)
        // copied within the shift
        #expect(!rules.routineNoteOfAnotherShift(night, entry(7, flags: .routine), Self.unknown))
        // the next night
        #expect(rules.routineNoteOfAnotherShift(night, entry(30, .dui, flags: .routine), Self.unknown))
        #expect(rules.routineNoteOfAnotherShift(night, entry(11, flags: .routine), Self.unknown))  // 5 h later
        let shared = RepeatedFacts.EffectiveTimes(0, 0)
        #expect(!rules.routineNoteOfAnotherShift(night, entry(30, .dui, flags: .routine), shared))
        // A day alone: no gap to its own day's times, but no shift either.
        #expect(
            rules.routineNoteOfAnotherShift(
                entry(0, .dui, flags: [.routine, .recordedDay]), entry(14, flags: .routine), Self.unknown))
        // Not a routine note: the rule says nothing.
        #expect(!rules.routineNoteOfAnotherShift(entry(6), entry(30, .dui), Self.unknown))
        #expect(RepeatedFacts.gap(entry(0, flags: .recordedDay), entry(14)) == 0)
    }

    @Test("5. in a recurring category, one system more than 8 h apart: two measurements or administrations")
    func repeatedInOneSystem() {
        let morning = entry(8)
        #expect(rules.repeatedInOneSystem(morning, entry(32), Self.unknown, recurring: true))  // the next day
        #expect(rules.repeatedInOneSystem(morning, entry(20), Self.unknown, recurring: true))  // 12 h later
        #expect(!rules.repeatedInOneSystem(morning, entry(8.05), Self.unknown, recurring: true))  // a double entry
        #expect(!rules.repeatedInOneSystem(morning, entry(32, .dui), Self.unknown, recurring: true))  // transcribed
        #expect(!rules.repeatedInOneSystem(morning, entry(32), Self.unknown, recurring: false))  // a note, an allergy
        // One shared effective time makes it one fact; so do effective times on both (rule 1 judges them).
        let at = 8 * Self.hour
        #expect(
            !rules.repeatedInOneSystem(
                entry(8, effective: at), entry(32), RepeatedFacts.EffectiveTimes(at, at), recurring: true))
        #expect(
            !rules.repeatedInOneSystem(entry(8, effective: at), entry(32, effective: at), Self.unknown, recurring: true)
        )
    }

    @Test("6. two groups of a recurring category never hold one system's entries more than 8 h apart")
    func chainsRecurringFacts() {
        typealias Spans = RepeatedFacts.SystemSpans
        // The DPI's 08:00 dose copied into the DUI at 20:00; the DPI's next-day dose at 08:00.
        let copied = Spans(entry(8)).merged(Spans(entry(20, .dui)))
        let nextDay = Spans(entry(32))
        #expect(copied.longestSpan == 0 && copied.merged(nextDay).longestSpan == 24 * Self.hour)
        #expect(rules.chainsRecurringFacts(copied, nextDay, Self.unknown, recurring: true))
        #expect(!rules.chainsRecurringFacts(copied, Spans(entry(22, .dui)), Self.unknown, recurring: true))
        #expect(!rules.chainsRecurringFacts(copied, nextDay, Self.unknown, recurring: false))
        #expect(!rules.chainsRecurringFacts(copied, nextDay, RepeatedFacts.EffectiveTimes(0, 0), recurring: true))
    }

    @Test("together: no rule keeps them apart; the groups' spans asked for only where rule 6 can apply")
    func mayJoin() {
        var asked = 0
        func spans() -> (RepeatedFacts.SystemSpans, RepeatedFacts.SystemSpans) {
            asked += 1
            return (RepeatedFacts.SystemSpans(entry(8)), RepeatedFacts.SystemSpans(entry(9, .dui)))
        }
        #expect(rules.mayJoin(entry(8), entry(9, .dui), Self.unknown, recurring: true, spans: spans))
        #expect(asked == 1)
        #expect(rules.mayJoin(entry(8), entry(9, .dui), Self.unknown, recurring: false, spans: spans))
        #expect(
            rules.mayJoin(entry(8), entry(9, .dui), RepeatedFacts.EffectiveTimes(0, 0), recurring: true, spans: spans))
        #expect(asked == 1)
        #expect(
            !rules.mayJoin(entry(8), entry(9, .dui), RepeatedFacts.EffectiveTimes(0, 1), recurring: false, spans: spans)
        )
        #expect(!rules.mayJoin(entry(8), entry(32), Self.unknown, recurring: true, spans: spans))
        #expect(!rules.mayJoin(entry(8, author: 1), entry(8, author: 1), Self.unknown, recurring: false, spans: spans))
        #expect(RepeatedFacts(ReEntryDetector()) == rules)
    }
}

/// The same rules through whole detection, on hand-built stores.
@Suite("Repeated facts in detection")
struct RepeatedFactDetectionTests {
    /// One person known to DPI, DUI and SIP, another to DPI and DUI (linked by INS).
    func builder() -> StoreBuilder {
        var builder = StoreBuilder()
        builder.patient("s", .dpi, "P", ins: "I")
        builder.patient("s", .dui, "P", ins: "I")
        builder.patient("s", .sip, "P", ins: "I")
        builder.patient("s", .dpi, "Q", ins: "J")
        builder.patient("s", .dui, "Q", ins: "J")
        return builder
    }

    func detect(_ builder: StoreBuilder) -> ReEntryDetector.Detection {
        ReEntryDetector().detect(in: builder.store, linkage: DeterministicLinker().link(builder.store.patients))
    }

    func groups(_ builder: StoreBuilder) -> [[String]] {
        StoreBuilder.recordIDs(of: detect(builder).groups, in: builder.store)
    }

    // Rule 1.
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

    // Rule 2 (and rule 4 for a routine note with a day alone).
    @Test("a day-precision time matches any time of that day, and only that day")
    func dayPrecision() {
        var b = builder()
        // Typed at 14:00 and filed under its day elsewhere: no gap. A day stands for any of its times, so
        // the window must hold however far apart they could be: two days later is 34 to 58 h away (inside
        // a 60 h window), three days later 58 to 82 h (not inside a 72 h one).
        b.entry("d1", site: "s", system: .dpi, patient: "P", category: "note", text: "Chute sans gravité", at: 14 * 60)
        b.entry(
            "u1", site: "s", system: .dui, patient: "P", category: "note", text: "Chute sans gravité", at: 0,
            flags: .recordedDay)
        b.entry(
            "s1", site: "s", system: .sip, patient: "P", category: "note", text: "Chute sans gravité", at: 3 * 24 * 60,
            flags: .recordedDay)
        #expect(groups(b) == [["u1", "d1"]])
        var c3 = builder()
        c3.entry("d1", site: "s", system: .dpi, patient: "P", category: "note", text: "Chute sans gravité", at: 14 * 60)
        c3.entry(
            "s1", site: "s", system: .sip, patient: "P", category: "note", text: "Chute sans gravité", at: 2 * 24 * 60,
            flags: .recordedDay)
        let within = ReEntryDetector(window: 60 * 3600).detect(
            in: c3.store, linkage: DeterministicLinker().link(c3.store.patients))
        #expect(StoreBuilder.recordIDs(of: within.groups, in: c3.store) == [["d1", "s1"]])
        let narrow = ReEntryDetector(window: 50 * 3600).detect(
            in: c3.store, linkage: DeterministicLinker().link(c3.store.patients))
        #expect(narrow.groups.isEmpty)
        // A routine note without a time of day cannot be told from another shift's: never joined.
        var c = builder()
        c.entry("d1", site: "s", system: .dpi, patient: "P", category: "note", text: "RAS", at: 14 * 60)
        c.entry("u1", site: "s", system: .dui, patient: "P", category: "note", text: "RAS", at: 0, flags: .recordedDay)
        c.entry(
            "u2", site: "s", system: .dui, patient: "P", category: "note", text: "RAS", at: 0, author: "A",
            flags: .recordedDay)
        #expect(detect(c).groups.isEmpty)
    }

    // Rule 3.
    @Test("one author at one second in one system is one act of recording, even for near-identical texts")
    func oneActOfRecording() {
        var b = builder()
        b.entry(
            "sec1", site: "s", system: .dpi, patient: "P", category: "note",
            text: "Patient vu en consultation, bilan prescrit ce jour", at: 0, author: "A")
        b.entry(
            "sec2", site: "s", system: .dpi, patient: "P", category: "note",
            text: "Patient vu en consultation, bilan sanguin prescrit ce jour", at: 0, author: "A")
        b.entry(
            "sec3", site: "s", system: .dpi, patient: "P", category: "note",
            text: "Patient vu en consultation; bilan prescrit ce matin", at: 0, author: "A")
        #expect(detect(b).groups.isEmpty)
        #expect(detect(b).republished.isEmpty)  // other content: kept, each an entry
    }

    // Rule 4.
    @Test("a routine note on another shift is another fact; copied within the shift it is one")
    func routineNotes() {
        var b = builder()
        b.entry("u1", site: "s", system: .dui, patient: "P", category: "note", text: "Nuit calme, RAS", at: 6 * 60)
        b.entry("d1", site: "s", system: .dpi, patient: "P", category: "note", text: "nuit calme ras", at: 7 * 60)
        b.entry("u2", site: "s", system: .dui, patient: "P", category: "note", text: "Nuit calme, RAS", at: 30 * 60)
        #expect(groups(b) == [["u1", "d1"]])
    }

    // Rule 4, shared effective time.
    @Test("two routine notes with the same effective time are one fact, however late the copy")
    func routineWithEffectiveTime() {
        var b = builder()
        b.entry("d1", site: "s", system: .dpi, patient: "P", category: "note", text: "Nuit calme", at: 0, effective: 0)
        b.entry(
            "u1", site: "s", system: .dui, patient: "P", category: "note", text: "nuit calme", at: 10 * 60, effective: 0
        )
        b.entry(
            "u2", site: "s", system: .dui, patient: "P", category: "note", text: "nuit calme", at: 11 * 60,
            effective: 600)
        #expect(groups(b) == [["d1", "u1"]])
    }

    // Rule 5.
    @Test("the same drug given every day at 08:00 is a new fact each day, with or without effective times")
    func dailyDrug() {
        var b = builder()
        for day in Int64(0)..<3 {
            let at = day * 24 * 60 + 8 * 60
            b.entry(
                "d\(day)", site: "s", system: .dpi, patient: "P", category: "medication", label: "Paracétamol 1 g",
                value: "1", unit: "g", at: at + 5, effective: at)
            b.entry(
                "u\(day)", site: "s", system: .dui, patient: "P", category: "medication", label: "Paracetamol 1g",
                value: "1", unit: "g", at: at + 7)
        }
        // Each DUI entry without effective time joins its day's DPI entry, never another day's.
        let found = groups(b)
        #expect(found.count == 3)
        #expect(found.allSatisfy { $0.count == 2 && $0[0].dropFirst() == $0[1].dropFirst() })
    }

    // Rule 5.
    @Test("a measurement retaken in the same system hours later is a new fact; a double entry minutes apart is not")
    func sameSystemRepeat() {
        var b = builder()
        b.entry("d1", site: "s", system: .dpi, patient: "P", label: "T°", value: "37,2", at: 8 * 60)
        b.entry(
            "d2", site: "s", system: .dpi, patient: "P", label: "Température", value: "37.2", unit: "°C", at: 8 * 60 + 3
        )
        b.entry("d3", site: "s", system: .dpi, patient: "P", label: "T°", value: "37,2", at: 20 * 60)
        #expect(groups(b) == [["d1", "d2"]])
    }

    // Rule 6.
    @Test("a copy in another system does not join the same drug given on two days in one system")
    func dailyDrugNotChained() {
        var b = builder()
        // Paracétamol at 08:00 on two days in the DPI; the DUI copies the first day's dose at 20:00.
        b.entry(
            "d1", site: "s", system: .dpi, patient: "P", category: "medication", label: "Paracétamol 1 g", at: 8 * 60)
        b.entry(
            "u1", site: "s", system: .dui, patient: "P", category: "medication", label: "Paracétamol 1 g", at: 20 * 60)
        b.entry(
            "d2", site: "s", system: .dpi, patient: "P", category: "medication", label: "Paracétamol 1 g", at: 32 * 60)
        #expect(groups(b) == [["d1", "u1"]])
    }
}
