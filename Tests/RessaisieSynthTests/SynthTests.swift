import Foundation
import RessaisieIngest
import TestSupport
import Testing

@testable import RessaisieSynth

@Suite("Synthetic audit")
struct SynthTests {
    @Test("INS keys are valid: 97 − (13 digits mod 97)")
    func insKeys() {
        let sites = AuditSynthesizer(settings: SynthSettings(sites: 1, entries: 2000, seed: 7)).sites()
        let ins = sites[0].persons.compactMap(\.ins)
        #expect(!ins.isEmpty)
        for value in ins {
            #expect(value.count == 15)
            let body = Int(value.prefix(13))!, key = Int(value.suffix(2))!
            #expect(key == 97 - body % 97)
        }
        let share = Double(ins.count) / Double(sites[0].persons.count)
        #expect(share > 0.45 && share < 0.75)
    }

    @Test("re-entries stay within 72 hours of their fact's first entry; hard negatives and noise are present")
    func lagsAndKinds() {
        let sites = AuditSynthesizer(settings: SynthSettings(sites: 3, entries: 12_000, seed: 3)).sites()
        var first: [Int: Int] = [:]
        var noise = Set<NoiseKind>()
        for site in sites {
            for entry in site.entries {
                noise.formUnion(entry.noise)
                if let start = first[entry.fact] {
                    #expect(entry.recordedAt - start >= 0 && entry.recordedAt - start <= 72 * 60)
                } else {
                    first[entry.fact] = entry.recordedAt
                }
            }
        }
        #expect(noise == Set(NoiseKind.allCases))
        let negatives = Set(sites.flatMap { $0.hardNegatives.filter { $0.value > 0 }.map(\.key) })
        #expect(negatives == Set(HardNegativeKind.allCases))
        let entries = sites.reduce(0) { $0 + $1.entries.count }
        #expect(entries >= 12_000 && entries < 12_100)
    }

    @Test("typos change one letter; truncation keeps about 70 % of the words")
    func noise() {
        var rng = SeededGenerator(seed: 1)
        let text = "Pansement de l'escarre talonnière refait, plaie propre, bourgeonnante."
        for _ in 0..<50 {
            let typo = Noise.typo(in: text, rng: &rng)
            #expect(typo != text)
            #expect(abs(typo.count - text.count) <= 1)
        }
        let truncated = Noise.apply(
            .truncation, to: Content(label: "T", text: text), origin: .dpi, xml: false, rng: &rng)
        #expect(truncated.text == "Pansement de l'escarre talonnière refait, plaie")
    }

    @Test("a person with more notes than the vocabulary has observations gets fresh ones until none is left")
    func notesStayFresh() {
        var generator = SiteGenerator(
            index: 0, rng: SeededGenerator(seed: 9), nextFact: 0,
            systems: [SiteSystem(system: .dpi, format: .canonicalCSV)])
        generator.stableContents = [[]]
        // 24 observations, 12 random retries each: random draws alone repeat some once most are taken. The
        // observations with numbers are new facts with other numbers, so 100 notes need no repeat.
        var observations = Set<String>()
        for number in 0..<100 {
            let note = generator.freshNote(for: [0])
            #expect(note.text.hasPrefix(note.observation))
            #expect(observations.insert(note.observation).inserted, "note \(number) repeats \(note.observation)")
        }
        let withoutNumbers = SynthVocabulary.noteTemplates.filter { !$0.contains("{") }
        #expect(withoutNumbers.allSatisfy(observations.contains))
    }

    @Test("a person's daily medication series never give one drug twice at one time: that would be one fact")
    func dailySeriesStayDistinct() {
        var generator = Self.onePersonSite(seed: 3)
        // 300 series of 3 to 5 days for one person over the synth's period: drawn alone, drugs and days repeat.
        for _ in 0..<300 { generator.hardNegative(.dailyMedication) }
        var seen = Set<String>()
        for entry in generator.site.entries {
            #expect(entry.negative == .dailyMedication)
            let key = "\(entry.content.label)|\(entry.effectiveAt ?? -1)"
            #expect(seen.insert(key).inserted, "\(key) given twice")
        }
        #expect(generator.site.entries.count > 300)
    }

    @Test("a measure taken again always has another value: the same value twice would be one fact")
    func repeatedMeasuresDiffer() {
        var generator = Self.onePersonSite(seed: 5)
        for _ in 0..<400 { generator.hardNegative(.repeatedMeasure) }
        let entries = generator.site.entries
        #expect(entries.count >= 700 && entries.count % 2 == 0)
        for pair in stride(from: 0, to: entries.count - 1, by: 2) {
            #expect(entries[pair].content.label == entries[pair + 1].content.label)
            #expect(entries[pair].content.value != entries[pair + 1].content.value)
        }
    }

    @Test("a person's routine notes are one series a day: two on one shift would be one fact")
    func routineSeriesOnePerDay() {
        var generator = Self.onePersonSite(seed: 6)
        for _ in 0..<200 { generator.hardNegative(.routineNote) }
        var shifts = Set<Int>()
        for entry in generator.site.entries {
            #expect(entry.negative == .routineNote)
            // 06:30, 14:30 and 22:30, up to 40 minutes late: one entry per shift.
            #expect(shifts.insert((entry.recordedAt - 6 * 60 - 30) / (8 * 60)).inserted)
        }
        #expect(generator.site.entries.count > 100)
    }

    /// A site of one system and one person, for the hard negatives drawn again and again for that person.
    static func onePersonSite(seed: UInt64) -> SiteGenerator {
        var generator = SiteGenerator(
            index: 0, rng: SeededGenerator(seed: seed), nextFact: 0,
            systems: [SiteSystem(system: .dpi, format: .canonicalCSV)])
        generator.makePersons(count: 1)
        generator.makeAuthors()
        return generator
    }

    @Test("Windows-1252 bytes of French text")
    func windows1252() {
        #expect(ExportText.windows1252("Né(e) œ °C") == [0x4E, 0xE9, 0x28, 0x65, 0x29, 0x20, 0x9C, 0x20, 0xB0, 0x43])
        #expect(ExportText.civil(daysSince2026: 59) == CalendarDay(year: 2026, month: 3, day: 1))
        #expect(ExportText.iso(59 * 1440 + 8 * 60 + 5) == "2026-03-01T08:05:00+01:00")
    }
}

@Suite("Synthetic audit as the readers see it")
struct SynthReadBackTests {
    @Test("every truth entry is read exactly once, with its category, and nothing is rejected")
    func truthMatchesExports() throws {
        let folder = try TemporaryFolder("ressaisie-synth")
        defer { folder.remove() }
        let settings = SynthSettings(sites: 3, entries: 3000, seed: 11)
        let out = folder.file("audit")
        let summary = try SynthAudit.write(settings, to: out)

        let loaded = try AuditLoader(pseudonymizer: .ephemeral(), options: IngestOptions()).load(paths: [out])
        #expect(loaded.quality.rejections.isEmpty)
        #expect(loaded.quality.entriesWithoutPatientLink == 0)
        #expect(Set(loaded.quality.encodings.values) == ["windows-1252"])
        let store = loaded.store
        var read: [String: Int] = [:]
        var categoryOf: [String: String] = [:]
        for entry in store.entries {
            let key = "\(store.sites[Int(entry.site)])|\(store.system(of: entry).name)|\(store.recordID(of: entry))"
            read[key, default: 0] += 1
            categoryOf[key] = store.categories[Int(entry.category)]
        }
        #expect(read.values.allSatisfy { $0 == 1 })

        let truth = try String(contentsOfFile: out + "/truth.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(truth.count == summary.entries)
        #expect(truth.count == store.count)
        let keys = truth.map { line in line.split(separator: ",").prefix(3).joined(separator: "|") }
        #expect(Set(keys) == Set(read.keys))
        // The tags file lists the same entries, in the same order, with the same facts.
        let tags = try String(contentsOfFile: out + "/" + SynthAudit.tagsFileName, encoding: .utf8).split(
            separator: "\n"
        ).dropFirst()
        #expect(
            tags.map { $0.split(separator: "\t", omittingEmptySubsequences: false).prefix(4).joined(separator: ",") }
                == truth.map(String.init))

        // The categories the readers find are the ones generated, whatever the format.
        var sites = AuditSynthesizer(settings: settings).sites()
        var mismatches = 0
        for index in sites.indices {
            SynthAudit.assignRecordIDs(&sites[index])
            for entry in sites[index].entries {
                let key = "\(sites[index].name)|\(sites[index].systems[entry.system].system.rawValue)|\(entry.recordID)"
                if categoryOf[key] != entry.category.rawValue { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("a non-empty output folder is refused")
    func notEmpty() throws {
        let folder = try TemporaryFolder("ressaisie-synth")
        defer { folder.remove() }
        try folder.write("audit/x.txt", "x")
        #expect(throws: SynthAudit.WriteError.notEmpty(path: folder.file("audit"))) {
            try SynthAudit.write(SynthSettings(sites: 1, entries: 100, seed: 1), to: folder.file("audit"))
        }
    }
}
