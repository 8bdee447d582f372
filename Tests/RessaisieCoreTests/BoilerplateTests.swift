import RessaisieCore
import Testing

/// Words made of random syllables: a marker vocabulary that no table of the tool can know.
struct Syllables {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func word(_ syllables: Int = 3) -> String {
        let onsets = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "ch", "tr"]
        let vowels = ["a", "e", "i", "o", "u", "ou", "ai"]
        return (0..<syllables).map { _ in onsets[Int(next() % 16)] + vowels[Int(next() % 7)] }.joined()
    }
}

private func words(_ text: String) -> [UInt8] { Array(Boilerplate.foldedWords(text).utf8) }

/// What is left of `text` (folded into words) once `boilerplate` is stripped from it.
private func stripped(_ boilerplate: Boilerplate, _ text: String) -> String {
    words(text).withUnsafeBytes { String(decoding: boilerplate.strip($0), as: UTF8.self) }
}

@Suite("Boilerplate: phrases learned from the data and set aside")
struct BoilerplateTests {
    /// One site: the DPI holds plain texts; the DUI re-types some of them behind a marker of its own and
    /// after a trailing tag, and types others of its own.
    static func learner(marker: String, tag: String, contents: [String]) -> BoilerplateLearner {
        var learner = BoilerplateLearner()
        for (index, content) in contents.enumerated() {
            words(content).withUnsafeBytes { learner.observe(site: "s", system: "DPI", field: .text, words: $0) }
            let retyped = index % 2 == 0 ? "\(marker) : \(content)" : "\(content) (\(tag))"
            words(retyped).withUnsafeBytes { learner.observe(site: "s", system: "DUI", field: .text, words: $0) }
        }
        return learner
    }

    static func contents(_ random: inout Syllables, count: Int) -> [String] {
        (0..<count).map { _ in
            (0..<(3 + Int(random.next() % 5))).map { _ in random.word(Int(1 + random.next() % 3)) }.joined(
                separator: " ")
        }
    }

    @Test(
        "a marker and a tag never seen before are learned, with the systems they come from",
        arguments: [1, 2, 3] as [UInt64])
    func unseenMarker(seed: UInt64) {
        var random = Syllables(state: seed)
        let marker = "\(random.word().capitalized) \(random.word(2))", tag = "\(random.word(2)) \(random.word())"
        let learned = Self.learner(marker: marker, tag: tag, contents: Self.contents(&random, count: 80)).learned()
        let leading = learned.filter { $0.position == .leading }.map(\.text)
        let trailing = learned.filter { $0.position == .trailing }.map(\.text)
        #expect(leading == [Boilerplate.foldedWords(marker)])
        #expect(trailing == [Boilerplate.foldedWords(tag)])
        #expect(learned.allSatisfy { $0.systems == ["DUI"] && $0.site == "s" && $0.source == .learned })
        #expect(learned.allSatisfy { $0.occurrences == 40 })
    }

    @Test("first words that are content are not learned: what they lead is never a field of its own")
    func contentIsNotBoilerplate() {
        var random = Syllables(state: 7)
        var learner = BoilerplateLearner()
        let acts = ["Pansement", "Toilette", "Aérosol", "Lever", "Injection"]
        for index in 0..<200 {
            // Acts followed by many different remarks, in two systems.
            let text = "\(acts[index % acts.count]) \(random.word()) \(random.word(2))"
            for system in ["DPI", "DUI"] {
                words(text).withUnsafeBytes { learner.observe(site: "s", system: system, field: .text, words: $0) }
            }
        }
        // A routine note followed by other words, and a drug name with its many doses (digits: content).
        for index in 0..<100 {
            words("RAS \(random.word()) \(random.word())").withUnsafeBytes {
                learner.observe(site: "s", system: "DPI", field: .text, words: $0)
            }
            words("Paracétamol \(index) mg").withUnsafeBytes {
                learner.observe(site: "s", system: "DPI", field: .label, words: $0)
            }
            words("\(random.word())").withUnsafeBytes {
                learner.observe(site: "s", system: "DPI", field: .text, words: $0)
            }
        }
        #expect(learner.learned().isEmpty)
    }

    @Test("a phrase that is often a whole field (a drug name, a heading typed alone) is content")
    func aloneIsContent() {
        var random = Syllables(state: 11)
        let contents = Self.contents(&random, count: 60)
        var learner = Self.learner(marker: "Vorkel", tag: "tag tag", contents: contents)
        for _ in 0..<20 {
            words("Vorkel").withUnsafeBytes { learner.observe(site: "s", system: "DUI", field: .text, words: $0) }
        }
        #expect(!learner.learned().map(\.text).contains("vorkel"))
    }

    @Test("learners of several files add up to one")
    func merge() {
        var random = Syllables(state: 5)
        let contents = Self.contents(&random, count: 80)
        let whole = Self.learner(marker: "Zibou lato", tag: "kra mou", contents: contents)
        var split = Self.learner(marker: "Zibou lato", tag: "kra mou", contents: Array(contents[..<40]))
        split.merge(Self.learner(marker: "Zibou lato", tag: "kra mou", contents: Array(contents[40...])))
        #expect(split.learned().map(\.text) == whole.learned().map(\.text))
        #expect(!whole.learned().isEmpty)
    }

    @Test("stripping: the longest phrase first, at both ends, two at most, never the whole field")
    func strip() {
        let boilerplate = Boilerplate(phrases: [
            .init(text: "report", position: .leading), .init(text: "Report du DPI -", position: .leading),
            .init(text: "[Équipe B]", position: .leading), .init(text: "(cf. dossier)", position: .trailing),
        ])
        #expect(stripped(boilerplate, "Report du DPI - Patient algique") == "patient algique")
        #expect(stripped(boilerplate, "Report : patient algique") == "patient algique")
        #expect(stripped(boilerplate, "[Équipe B] Report du DPI : patient algique (cf. dossier)") == "patient algique")
        #expect(stripped(boilerplate, "Reporter le soin") == "reporter le soin")
        // something always remains: the shorter phrase only
        #expect(stripped(boilerplate, "Report du DPI") == "du dpi")
        #expect(stripped(boilerplate, "cf dossier") == "cf dossier")
        #expect(stripped(.none, "Report du DPI - x") == "report du dpi x")
    }

    @Test("a vetoed phrase is listed apart and not stripped")
    func veto() {
        let boilerplate = Boilerplate(
            phrases: [
                .init(text: "vu avec", position: .leading, source: .learned),
                .init(text: "transmis par", position: .leading),
            ],
            vetoes: ["Vu avec"])
        #expect(boilerplate.phrases.map(\.text) == ["transmis par"])
        #expect(boilerplate.vetoed.map(\.text) == ["vu avec"])
        #expect(stripped(boilerplate, "vu avec le médecin") == "vu avec le medecin")
    }

    @Test("with the phrases set aside, a wrapped re-entry has its original's fingerprint, in the text and in the label")
    func fingerprints() {
        let boilerplate = Boilerplate(phrases: [
            .init(text: "Bliro kavé :", position: .leading), .init(text: "(trouvi)", position: .trailing),
        ])
        var plain = ContentFingerprinter(), aware = ContentFingerprinter(boilerplate: boilerplate)
        let original = aware.fingerprint(label: "Transmission", text: "Patient douloureux, antalgique donné")
        #expect(
            aware.fingerprint(label: "Transmission", text: "Bliro kavé : Patient douloureux, antalgique donné (trouvi)")
                == original)
        #expect(
            plain.fingerprint(label: "Transmission", text: "Bliro kavé : Patient douloureux, antalgique donné")
                != original)
        // In a label: the concept is found under the marker.
        #expect(
            aware.fingerprint(label: "Bliro kavé : Temp.", value: "37,5")
                == aware.fingerprint(label: "Température", value: "37.5"))
        #expect(
            aware.fingerprint(label: "Bliro kavé : Temp.", value: "37,5")
                != aware.fingerprint(label: "Bliro kavé : Temp.", value: "38"))
    }
}

@Suite("Boilerplate: headings and routine notes learned from the data")
struct LearnedHeadingTests {
    @Test("a heading a system puts on most of its fields is learned even where no plain copy was seen")
    func heading() {
        var random = Syllables(state: 21)
        let heading = "\(random.word()) \(random.word(2))"
        var learner = BoilerplateLearner()
        for _ in 0..<200 {
            let content = (0..<4).map { _ in random.word(2) }.joined(separator: " ")
            Array(Boilerplate.foldedWords("<\(heading)> \(content)").utf8).withUnsafeBytes {
                learner.observe(site: "s", system: "DPI", field: .text, words: $0)
            }
        }
        #expect(learner.learned().map(\.text) == [Boilerplate.foldedWords(heading)])
    }

    @Test(
        "a short text written again and again for the same persons is routine; one many persons each have once is not")
    func routineNotesPerPerson() {
        var learner = BoilerplateLearner()
        var random = Syllables(state: 5)
        for index in 0..<400 {
            // Each person's care plan holds `Bas de contention le matin` once; `Nuit calme` is written on
            // every shift for the same few persons.
            let (note, person) =
                index % 10 == 0
                ? ("Bas de contention le matin", "P\(index)")
                : index % 10 == 1
                    ? ("Vouli tramou.", "Q\(index % 4)")
                    : ((0..<6).map { _ in random.word() }.joined(separator: " "), "R\(index)")
            Array(Boilerplate.foldedWords(note).utf8).withUnsafeBytes { words in
                Array(person.utf8).withUnsafeBytes {
                    learner.observeNote(site: "s", system: "DUI", words: words, person: $0)
                }
            }
        }
        #expect(learner.routineNotes(.none) == ["vouli tramou"])
        // Learned from two files, the persons add up.
        var first = BoilerplateLearner(), second = BoilerplateLearner()
        for index in 0..<40 {
            Array(Boilerplate.foldedWords("Bas de contention le matin").utf8).withUnsafeBytes { words in
                Array("P\(index)".utf8).withUnsafeBytes {
                    if index % 2 == 0 {
                        first.observeNote(site: "s", system: "DUI", words: words, person: $0)
                    } else {
                        second.observeNote(site: "s", system: "DUI", words: words, person: $0)
                    }
                }
            }
        }
        first.merge(second)
        #expect(first.routineNotes(.none).isEmpty)
    }

    @Test("a short note a system carries again and again is a routine note; one with a number never is")
    func routineNotes() {
        var learner = BoilerplateLearner()
        var random = Syllables(state: 9)
        for index in 0..<400 {
            let note =
                index % 20 == 0
                ? "Pas de pla."
                : index % 20 == 1 ? "Glyc 12 ok" : (0..<6).map { _ in random.word() }.joined(separator: " ")
            Array(Boilerplate.foldedWords(note).utf8).withUnsafeBytes {
                learner.observeNote(site: "s", system: "DUI", words: $0)
            }
        }
        let boilerplate = Boilerplate.none
        #expect(learner.routineNotes(boilerplate) == ["pas de pla"])
        var fingerprinter = ContentFingerprinter(
            boilerplate: boilerplate.with(routineNotes: learner.routineNotes(boilerplate)))
        #expect(fingerprinter.summarize(label: "Transmission", text: "Pas de pla.", textIsContent: true).isRoutine)
        var plain = ContentFingerprinter()
        #expect(!plain.summarize(label: "Transmission", text: "Vouli tramou.", textIsContent: true).isRoutine)
        var learnedOther = BoilerplateLearner()
        for _ in 0..<20 {
            Array(Boilerplate.foldedWords("Vouli tramou.").utf8).withUnsafeBytes {
                learnedOther.observeNote(site: "s", system: "DUI", words: $0)
            }
        }
        var aware = ContentFingerprinter(
            boilerplate: boilerplate.with(routineNotes: learnedOther.routineNotes(boilerplate)))
        #expect(aware.summarize(label: "Transmission", text: "Vouli tramou.", textIsContent: true).isRoutine)
        // Cut short, a learned routine note is still routine.
        #expect(aware.summarize(label: "Transmission", text: "Vou. tram.", textIsContent: true).isRoutine)
    }

    @Test("a routine note cut short (Pas de pla., Bonne jou.) is routine; other words, counts or digits are not")
    func routineCutShort() {
        var plain = ContentFingerprinter()
        let routine = { (text: String) in
            plain.summarize(label: "Transmission", text: text, textIsContent: true).isRoutine
        }
        #expect(routine("Pas de plainte") && routine("Pas de pla.") && routine("Bonne jou.") && routine("Nuit cal."))
        #expect(!routine("Pas de pl4"))
        #expect(!routine("Pas de"))  // fewer words: another note
        #expect(!routine("Pas de plaie infectée"))  // more words
        #expect(!routine("Pas de pluie"))  // not the routine word's first letters
        #expect(!routine("Pas d p"))  // a word cut to one letter
    }

    @Test("a routine note stays one when a learned phrase is one of its words (`jour` ending `3 fois par jour`)")
    func routineUnderLearnedPhrase() {
        // A system whose texts end in `par jour` so often that `jour` was learned as a trailing phrase.
        var fingerprinter = ContentFingerprinter(
            boilerplate: Boilerplate(phrases: [.init(text: "jour", position: .trailing)]))
        let summary = { (text: String) in
            fingerprinter.summarize(label: "Transmission", text: text, textIsContent: true)
        }
        #expect(summary("Bonne jour.").isRoutine && summary("Bonne journée").isRoutine)
        // A note that is no routine note is still compared without the phrase.
        #expect(!summary("Hydratation 1,5 l par jour").isRoutine)
        #expect(summary("Hydratation 1,5 l par jour").fingerprint == summary("Hydratation 1,5 l par").fingerprint)
        // A routine text beside a label that is content is not a routine note (`Toilette : RAS`).
        var measure = ContentFingerprinter()
        #expect(!measure.summarize(label: "Toilette", text: "RAS").isRoutine)
    }
}

@Suite("Boilerplate: learned in rounds, and judged by a content's opening")
struct BoilerplateRoundsTests {
    static func observe(_ learner: inout BoilerplateLearner, _ system: String, _ text: String) {
        Array(Boilerplate.foldedWords(text).utf8).withUnsafeBytes {
            learner.observe(site: "s", system: system, field: .text, words: $0)
        }
    }

    @Test("behind every system's own heading, a copy marker is learned: the heading lets what it wraps stand alone")
    func markerBehindHeadings() {
        var random = Syllables(state: 33)
        let headingA = random.word(), headingB = "\(random.word()) \(random.word(2))"
        let marker = "\(random.word(2)) \(random.word())"
        var learner = BoilerplateLearner()
        for index in 0..<240 {
            let content = (0..<5).map { _ in random.word(2) }.joined(separator: " ")
            Self.observe(&learner, "DPI", "<\(headingA)> \(content)")  // every DPI field under its heading
            // The DUI types its own under its heading, and re-types a third of the DPI's behind a marker too.
            let own = (0..<5).map { _ in random.word(2) }.joined(separator: " ")
            Self.observe(&learner, "DUI", "\(headingB) | \(own)")
            if index % 3 == 0 { Self.observe(&learner, "DUI", "\(headingB) | \(marker) > \(content)") }
        }
        let learned = Set(learner.learned().filter { $0.position == .leading }.map(\.text))
        let chain = Boilerplate.foldedWords("\(headingB) \(marker)")
        #expect(learned.contains(Boilerplate.foldedWords(headingA)))
        #expect(learned.contains(Boilerplate.foldedWords(headingB)))
        #expect(learned.contains(chain))
        // Stripped, the re-typed field is its original's content.
        let boilerplate = Boilerplate(phrases: learner.learned())
        let original = "<\(headingA)> kalou tribou sanpa", copy = "\(headingB) | \(marker) > kalou tribou sanpa"
        #expect(stripped(boilerplate, original) == stripped(boilerplate, copy))
    }

    @Test("a marker whose copies end differently (a closing phrase, a cut) is learned from their openings")
    func openings() {
        var random = Syllables(state: 44)
        let marker = "\(random.word()) \(random.word(2))"
        var learner = BoilerplateLearner()
        for index in 0..<200 {
            let content = (0..<6).map { _ in random.word(2) }.joined(separator: " ")
            Self.observe(&learner, "DPI", content)
            // Every copy ends otherwise than its original: never the same field after the marker.
            if index % 2 == 0 {
                Self.observe(&learner, "DUI", "\(marker) : \(content) \(random.word()) \(random.word())")
            }
        }
        #expect(learner.learned().map(\.text) == [Boilerplate.foldedWords(marker)])
    }

    @Test("the endings of contents are never learned from openings: per os after many drugs stays content")
    func noTrailingFromOpenings() {
        var random = Syllables(state: 55)
        var learner = BoilerplateLearner()
        for index in 0..<300 {
            let drug = "\(random.word()) \(index % 40 + 1) mg"
            Self.observe(&learner, "DPI", "\(drug) per os")
            Self.observe(&learner, "DUI", "\(drug) per os le matin")
        }
        #expect(!learner.learned().contains { $0.position == .trailing })
    }

    @Test("a label of boilerplate alone (a heading label and a copy marker) is left out of the whole content")
    func labelOfBoilerplateAlone() {
        let boilerplate = Boilerplate(phrases: [
            .init(text: "Sumon", position: .leading), .init(text: "Glixvus gisto -", position: .trailing),
        ])
        var f = ContentFingerprinter(boilerplate: boilerplate)
        let plain = f.summarize(
            label: "Furosémide 40 mg", value: "", unit: "", text: "per os, le matin", keyPart: true
        ).fingerprint
        let wrapped = f.summarize(
            label: "Sumon Glixvus gisto -", value: "", unit: "",
            text: "Furosémide 40 mg per os, le matin Glixvus gisto -",
            keyPart: true
        ).fingerprint
        #expect(plain == wrapped)
        // Without other content, such a label is kept: the entry says something.
        #expect(
            f.summarize(label: "Sumon Glixvus gisto -", value: "", unit: "", text: "").fingerprint
                != f.summarize(label: "Autre", value: "", unit: "", text: "").fingerprint)
    }
}
