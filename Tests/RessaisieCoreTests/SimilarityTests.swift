import RessaisieCore
import TestSupport
import Testing

/// The noise people add when they retype, one kind at a time: each must still be found as one fact.
@Suite("Similarity: French noise on re-entries")
struct NoiseTests {
    var fingerprinter = ContentFingerprinter()

    mutating func same(_ a: (String, String, String), _ b: (String, String, String)) -> Bool {
        fingerprinter.fingerprint(label: a.0, value: a.1, unit: a.2)
            == fingerprinter.fingerprint(label: b.0, value: b.1, unit: b.2)
    }

    @Test(
        "label variants of one measurement are one concept",
        arguments: [
            ("Température", "T°"), ("Température", "temp."), ("Temp", "TEMPERATURE"), ("TA", "PA"),
            ("TA", "Tension artérielle"), ("FC", "Pouls"), ("FC", "fréquence cardiaque"), ("SpO2", "Sat"),
            ("SpO2", "saturation en oxygène"), ("EVA", "Douleur"), ("Dextro", "GC"), ("Dextro", "Glycémie capillaire"),
            ("Poids", "pds"), ("Douleur (EVA)", "EVA"), ("Glycémie capillaire", "Glyc. cap."), ("FR", "fréq. resp."),
        ])
    mutating func labels(a: String, b: String) {
        #expect(same((a, "12", ""), (b, "12", "")))
    }

    @Test(
        "unit spellings are one unit",
        arguments: [
            ("°C", "C"), ("°C", "Cel"), ("mmHg", "mm Hg"), ("mmHg", "mm[Hg]"), ("/min", "bpm"), ("kg", "KG"),
            ("g/L", "g/l"),
        ])
    mutating func units(a: String, b: String) {
        #expect(same(("x", "1", a), ("x", "1", b)))
    }

    @Test("numbers: decimal comma, trailing zeros, signs, blood pressure with spaces")
    mutating func numbers() {
        #expect(same(("T", "37,50", "°C"), ("T", "37.5", "°C")))
        #expect(same(("TA", "120/80", "mmHg"), ("TA", "120 / 80", "mmHg")))
        #expect(!same(("TA", "120/80", "mmHg"), ("TA", "120/85", "mmHg")))
        #expect(same(("Poids", "060,0", "kg"), ("Poids", "60", "kg")))
        // Blood pressure in centimetres of mercury, as French notes write it.
        #expect(same(("TA", "12/8", ""), ("TA", "120/80", "mmHg")))
        #expect(same(("TA", "13,5/8", ""), ("PA", "135/80", "mmHg")))
        #expect(!same(("Poids", "12/8", ""), ("Poids", "120/80", "")))
    }

    @Test("a unit written in the value, or left out where the concept says it")
    mutating func impliedUnits() {
        #expect(same(("Température", "37,5°C", ""), ("Température", "37.5", "Cel")))
        #expect(same(("Température", "37,5", ""), ("T°", "37.5", "°C")))
        #expect(same(("TA", "120/80 mmHg", ""), ("PA", "120/80", "mm[Hg]")))
        #expect(!same(("Température", "37,5", "°F"), ("Température", "37,5", "°C")))
    }

    @Test("note abbreviations, case, accents, spacing and punctuation")
    mutating func abbreviations() {
        let full = fingerprinter.fingerprint(
            text: "Pansement refait, patient calme, rendez-vous avec le docteur demain.")
        #expect(full == fingerprinter.fingerprint(text: "pst refait pt calme RDV avec le Dr demain"))
        #expect(
            full
                == fingerprinter.fingerprint(
                    text: "PANSEMENT REFAIT ; PATIENT CALME ; RENDEZ VOUS AVEC LE DOCTEUR DEMAIN"))
    }

    @Test("a copy marker opening the text is not content; the same word elsewhere is")
    mutating func copyMarkers() {
        let note = fingerprinter.fingerprint(text: "Chute dans la chambre, pas de plaie.")
        #expect(note == fingerprinter.fingerprint(text: "Recopié : Chute dans la chambre, pas de plaie."))
        #expect(note == fingerprinter.fingerprint(text: "Copie DPI : chute dans la chambre pas de plaie"))
        #expect(note == fingerprinter.fingerprint(text: "Report : Chute dans la chambre, pas de plaie"))
        #expect(note != fingerprinter.fingerprint(text: "Famille : Chute dans la chambre, pas de plaie."))
    }

    @Test("a note's heading is not its content; another category's label is")
    mutating func noteHeadings() {
        let a = fingerprinter.summarize(label: "Transmission ciblée", text: "Refus du repas", textIsContent: true)
        let b = fingerprinter.summarize(label: "Observation", text: "refus du repas", textIsContent: true)
        #expect(a.fingerprint == b.fingerprint)
        let c = fingerprinter.summarize(label: "Allergie", text: "pénicilline")
        let d = fingerprinter.summarize(label: "Intolérance", text: "pénicilline")
        #expect(c.fingerprint != d.fingerprint)
    }

    @Test("routine notes are recognised once normalized")
    func routine() {
        let vocabulary = ClinicalVocabulary.shared
        #expect(vocabulary.isRoutine("RAS"))
        #expect(vocabulary.isRoutine("Rien à signaler."))
        #expect(vocabulary.isRoutine("Nuit calme"))
        #expect(vocabulary.isRoutine("RAS, dort"))
        #expect(vocabulary.isRoutine("Pas de plainte"))
        #expect(!vocabulary.isRoutine("Nuit agitée, chute à 3 h"))
    }

    @Test("the vocabulary gives LOINC codes and canonical units")
    func vocabulary() {
        let vocabulary = ClinicalVocabulary.shared
        #expect(vocabulary.concept(forLabel: "T°")?.loinc == "8310-5")
        #expect(vocabulary.concept(forLabel: "Tension artérielle")?.id == "blood_pressure")
        #expect(vocabulary.canonicalUnit("mm Hg") == "mm[hg]")
        #expect(vocabulary.canonicalUnit("bpm") == "/min")
        #expect(vocabulary.concept(forLabel: "Toilette") == nil)
    }
}

@Suite("Similarity: text sketches")
struct SketchTests {
    func sketch(_ text: String) -> TextSketch? {
        var fingerprinter = ContentFingerprinter()
        return fingerprinter.summarize(text: text, textIsContent: true).sketch
    }

    let note = "Chute dans la chambre vers 14 h, pas de plaie, surveillance neurologique mise en place."

    @Test("identical text: similarity 1; texts under 3 bytes have no sketch")
    func identical() throws {
        let a = try #require(sketch(note))
        #expect(a.jaccard(a) == 1)
        #expect(sketch("Œil") != nil && sketch("Os") == nil)
    }

    @Test("a typo keeps the texts near; a different note of the same length is far")
    func typo() throws {
        let a = try #require(sketch(note))
        let typo = try #require(
            sketch("Chute dans la chambre vers 14 h, pas de palie, surveillance neurologique mise en place."))
        let other = try #require(
            sketch("Refus du petit-déjeuner, a bu deux verres d'eau dans la matinée, fille prévenue."))
        #expect(a.jaccard(typo) >= 0.5)
        #expect(a.jaccard(other) < 0.3)
    }

    @Test(
        "short texts: one typo is the same text, a digit or another word is not",
        arguments: [
            ("Latex", "Lotex", true), ("Latex", "Ltaex", true), ("Latex", "Latx", true),
            ("Sulfamides", "Sulfasides", true),
            ("Diabète de type 2", "Diabote de type 2", true), ("Maladie de Parkinson", "Maladie de Prkinson", true),
            ("Diabète de type 1", "Diabète de type 2", false), ("Pénicilline", "Amoxicilline", false),
            ("Iode", "Inde", false),
            ("Fraises", "Fraises à la crème", false), ("Dose 12 UI", "Dose 21 UI", false),
        ])
    func shortTexts(a: String, b: String, same: Bool) throws {
        let x = try #require(sketch(a)), y = try #require(sketch(b))
        #expect(x.isShort && y.isShort)
        #expect(x.nearlyEqual(y) == same)
    }

    @Test("a short text cut at a word boundary is a truncated copy; a short word prefix is not")
    func shortTruncation() throws {
        let full = try #require(sketch("Lever au fauteuil après")), cut = try #require(sketch("Lever au fauteuil"))
        #expect(full.isShort && cut.isShort && cut.isTruncation(of: full) && full.isTruncation(of: cut))
        let diagnosis = try #require(sketch("Diabète de type 2")), word = try #require(sketch("Diabète"))
        #expect(!word.isTruncation(of: diagnosis))
    }

    @Test("short texts: the same words, some cut short in one, are one text; another word or a number is not")
    func wordTruncation() throws {
        let cut = try #require(sketch("Coxa. droite")), full = try #require(sketch("Coxarthrose droite"))
        #expect(cut.isShort && full.isShort && cut.isWordTruncation(of: full) && full.isWordTruncation(of: cut))
        let other = try #require(sketch("Coxarthrose gauche"))
        #expect(!cut.isWordTruncation(of: other))
        let few = try #require(sketch("Co. droite"))  // fewer than three letters kept
        #expect(!few.isWordTruncation(of: full))
        let dose = try #require(sketch("Insuline 1 UI")), doses = try #require(sketch("Insuline 12 UI"))
        #expect(!dose.isWordTruncation(of: doses))
    }

    @Test("a short text against a long one is compared as MinHash")
    func mixed() throws {
        let long = try #require(sketch("Lever au fauteuil après le déjeuner"))
        let short = try #require(sketch("Lever au fauteuil après le"))
        #expect(!long.isShort && short.isShort && !short.sketched.isShort)
        let sketched = short.sketched
        #expect(sketched.containment(long, jaccard: sketched.jaccard(long)) >= 0.85)
    }

    @Test("words cut short in a long copy: one sketch from five letters on, near below; another note stays far")
    func wordsCutShort() throws {
        let full = "Désorientation temporo-spatiale ce matin, plus marquée que d'habitude, surveillance renforcée."
        let a = try #require(sketch(full))
        // Every word cut after five letters or more: the same shingles.
        let long = try #require(
            sketch("Désorient. temporo-spati. ce matin, plus marqué que d'habit., surveill. renforc."))
        #expect(!long.isShort && long.minima == a.minima && long.shingles == a.shingles)
        // Cut shorter (`dés.`, `marq.`): still near.
        let short = try #require(sketch("Dés. temporo-spat. ce matin, plus marq. que d'hab., surv. renforcée."))
        #expect(a.jaccard(short) >= 0.5)
        let other = try #require(
            sketch("Désaturation nocturne ce matin, oxygène remis à deux litres, médecin prévenu."))
        #expect(a.jaccard(other) < 0.3)
    }

    @Test("a truncated copy is contained in the original")
    func truncated() throws {
        let a = try #require(sketch(note))
        let cut = try #require(sketch("Chute dans la chambre vers 14 h, pas de plaie, surveillance"))
        #expect(a.containment(cut, jaccard: a.jaccard(cut)) >= 0.85)
    }
}

/// Whole detection on hand-built stores: each near-duplicate kind grouped, each hard negative apart (the
/// repeated-fact rules have their own tests in RepeatedFactsTests.swift).
@Suite("Similarity: re-entries and hard negatives")
struct NearDuplicateTests {
    func builder() -> StoreBuilder {
        var builder = StoreBuilder()
        builder.patient("s", .dpi, "P", ins: "I")
        builder.patient("s", .dui, "P", ins: "I")
        builder.patient("s", .dpi, "Q", ins: "J")
        builder.patient("s", .dui, "Q", ins: "J")
        return builder
    }

    func groups(_ builder: StoreBuilder) -> [[String]] {
        let linkage = DeterministicLinker().link(builder.store.patients)
        return StoreBuilder.recordIDs(
            of: ReEntryDetector().detect(in: builder.store, linkage: linkage).groups, in: builder.store)
    }

    let note = "Chute dans la chambre vers 14 h, pas de plaie, surveillance neurologique mise en place."

    @Test(
        "near-identical notes across systems are one fact",
        arguments: [
            "Chute dans la chambre vers 14 h, pas de palie, surveillance neurologique mise en place.",  // typo
            "Chute dans la chambre vers 14 h, pas de plaie, surveillance neurologique",  // truncated
            // marker, abbreviations
            "Recopié du DPI : chute ds la chbre vers 14h pas de plaie surv. neurologique mise en place",
        ])
    func nearDuplicates(copy: String) {
        var b = builder()
        b.entry("d1", site: "s", system: .dpi, patient: "P", category: "note", label: "Transmission", text: note, at: 0)
        b.entry("u1", site: "s", system: .dui, patient: "P", category: "note", label: "Observation", text: copy, at: 45)
        #expect(groups(b) == [["d1", "u1"]])
    }

    @Test("near-identical notes that say another number are two facts; a copy cut before a number is one")
    func numbers() {
        var b = builder()
        b.entry(
            "d1", site: "s", system: .dpi, patient: "P", category: "note",
            text: "Sortie prévue dans 3 jours, ordonnance remise au patient et à la famille. À revoir demain matin.",
            at: 0)
        b.entry(
            "u1", site: "s", system: .dui, patient: "P", category: "note",
            text: "Sortie prévue dans 5 jours, ordonnance remise au patient et à la famille.", at: 60)
        #expect(groups(b).isEmpty)
        b.entry(
            "u2", site: "s", system: .dui, patient: "P", category: "note",
            text: "Sortie prévue dans 3 jours, ordonnance remise au patient et à la famille.", at: 90)
        #expect(groups(b) == [["d1", "u2"]])
    }

    @Test("two patients with the same text, or the same text in another category, stay apart")
    func otherPatientOrCategory() {
        var b = builder()
        b.entry("d1", site: "s", system: .dpi, patient: "P", category: "note", text: note, at: 0)
        b.entry("u1", site: "s", system: .dui, patient: "Q", category: "note", text: note, at: 10)
        b.entry("u2", site: "s", system: .dui, patient: "P", category: "care_plan", text: note, at: 20)
        #expect(groups(b).isEmpty)
    }

    @Test("a different note of the same patient the same day is another fact")
    func differentNote() {
        var b = builder()
        b.entry("d1", site: "s", system: .dpi, patient: "P", category: "note", text: note, at: 0)
        b.entry(
            "u1", site: "s", system: .dui, patient: "P", category: "note",
            text: "Chute dans le couloir vers 18 h, hématome du bras gauche, médecin prévenu.", at: 240)
        #expect(groups(b).isEmpty)
    }

    @Test("a different value or the same value beyond the window is another fact")
    func valueAndWindow() {
        var b = builder()
        b.entry("d1", site: "s", system: .dpi, patient: "P", label: "Poids", value: "61,5", unit: "kg", at: 0)
        b.entry("u1", site: "s", system: .dui, patient: "P", label: "pds", value: "61,8", unit: "kg", at: 30)
        b.entry("u2", site: "s", system: .dui, patient: "P", label: "pds", value: "61,5", unit: "kg", at: 73 * 60)
        #expect(groups(b).isEmpty)
    }
}

@Suite("Similarity: sketches in the store")
struct StoredSketchTests {
    func sketch(_ text: String) -> TextSketch {
        var fingerprinter = ContentFingerprinter()
        return fingerprinter.summarize(text: text, textIsContent: true).sketch!
    }

    func entry(_ at: Int64, fingerprint: UInt64? = nil) -> Entry {
        Entry(
            recordedAt: at, fingerprint: fingerprint ?? UInt64(at), recordID: 0, patient: 0, site: 0, category: 0,
            system: .dpi)
    }

    @Test("sketches follow their entries through merging and the removal of duplicate record ids")
    func followEntries() {
        let texts = [
            "Premier texte assez long pour un sketch", "Deuxième texte assez long pour un sketch",
            "Troisième texte assez long pour un sketch",
        ]
        var batch = EntryStore(deduplicatingRecordIDs: false)
        _ = batch.site(named: "s")
        _ = batch.category(named: "note")
        _ = batch.file(named: "export.csv")
        for (index, id) in ["a", "b", "a", "c", "d"].enumerated() {
            let text: String? =
                switch index {
                case 0: texts[0]
                case 2: texts[1]
                case 3: texts[2]
                default: nil
                }
            // The second "a" carries the first one's content: the same record exported again.
            let content: UInt64 = index == 2 ? 0 : UInt64(index)
            Array(id.utf8).withUnsafeBytes {
                _ = batch.add(entry(Int64(index), fingerprint: content), recordID: $0, sketch: text.map(sketch))
            }
        }
        var store = EntryStore(deduplicatingRecordIDs: false)
        store.merge(EntryStore(deduplicatingRecordIDs: false))
        store.merge(batch)
        let removed = store.removeRepublishedRecords().republished
        #expect(removed.count == 1)  // the second "a", whose sketch goes with it
        #expect(store.entries.map(\.recordedAt) == [0, 1, 3, 4])
        #expect(store.sketch(of: 0) == sketch(texts[0]).withEntry(0))
        #expect(store.sketch(of: 1) == nil)
        #expect(store.sketch(of: 2) == sketch(texts[2]).withEntry(2))
        #expect(store.sketch(of: 3) == nil)
        #expect(store.sketches.count == 2)
    }
}

extension TextSketch {
    func withEntry(_ entry: UInt32) -> TextSketch {
        var copy = self
        copy.entry = entry
        return copy
    }
}
