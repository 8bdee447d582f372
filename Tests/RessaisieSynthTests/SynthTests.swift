import Foundation
@testable import RessaisieSynth
import Testing
import TestSupport

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
        let truncated = Noise.apply(.truncation, to: Content(label: "T", text: text), origin: .dpi, xml: false, rng: &rng)
        #expect(truncated.text == "Pansement de l'escarre talonnière refait, plaie")
    }

    @Test("Windows-1252 bytes of French text")
    func windows1252() {
        #expect(ExportText.windows1252("Né(e) œ °C") == [0x4E, 0xE9, 0x28, 0x65, 0x29, 0x20, 0x9C, 0x20, 0xB0, 0x43])
        #expect(ExportText.civil(daysSince2026: 59) == CivilDate(year: 2026, month: 3, day: 1))
        #expect(ExportText.iso(59 * 1440 + 8 * 60 + 5) == "2026-03-01T08:05:00+01:00")
    }
}
