import Foundation
import RessaisieCore
import RessaisieIngest
import TestSupport
import Testing

@testable import RessaisieSynth

@Suite("Synthetic audit with random habits")
struct HabitsTests {
    func random(seed: UInt64, sites: Int = 3, entries: Int = 3000) -> SynthSettings {
        SynthSettings(sites: sites, entries: entries, seed: seed, habits: .random)
    }

    /// Every file under `folder`, by relative path.
    func files(under folder: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder)!
        while let relative = enumerator.nextObject() as? String {
            var isFolder: ObjCBool = false
            let path = folder + "/" + relative
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
                out[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
            }
        }
        return out
    }

    /// The folded words of marker phrases, trailing tags, headings and free-text labels drawn for `settings`.
    func habitWords(_ settings: SynthSettings) -> Set<String> {
        var words = Set<String>()
        for site in AuditSynthesizer(settings: settings).sites() {
            for system in site.habits!.systems {
                let phrases = [system.marker, system.trailingTag, system.heading ?? "", system.freeTextLabel]
                for phrase in phrases {
                    for word in phrase.split(whereSeparator: { !$0.isLetter }) {
                        words.insert(word.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil))
                    }
                }
            }
        }
        return words
    }

    @Test("the same seed writes the same bytes; another seed other exports")
    func deterministic() throws {
        let folder = try TemporaryFolder("ressaisie-habits")
        defer { folder.remove() }
        _ = try SynthAudit.write(random(seed: 21), to: folder.file("a"))
        _ = try SynthAudit.write(random(seed: 21), to: folder.file("b"))
        _ = try SynthAudit.write(random(seed: 22), to: folder.file("c"))
        let a = try files(under: folder.file("a")), b = try files(under: folder.file("b")),
            c = try files(under: folder.file("c"))
        #expect(a.count > 10)
        #expect(a == b)
        #expect(a["truth.csv"] != c["truth.csv"])
        let summary = String(decoding: a["synth-summary.json"]!, as: UTF8.self)
        #expect(summary.contains("\"habits\": \"random\""))
        #expect(summary.contains("\"medication_layout\""))
    }

    @Test(
        "--habits fixed writes the bytes it wrote before habits existed, notes fresh per person (seed 4, 8000 entries)")
    func fixedPinned() throws {
        let folder = try TemporaryFolder("ressaisie-habits")
        defer { folder.remove() }
        _ = try SynthAudit.write(SynthSettings(sites: 3, entries: 8000, seed: 4), to: folder.file("a"))
        let files = try files(under: folder.file("a"))
        // FNV-1a 64 over each file's relative path, a NUL and its bytes, in path order; the value is the one the
        // synthesizer gave before `--habits` (commit 59d1a89), then since a person's notes never repeat one
        // observation with another closing detail (`freshNoteText`: 481 files, 0xCEB0_07C4_07EC_BA39 before), then
        // since a person whose random draws are spent gets the observations not yet used (485 files,
        // 0xE34E_3754_A046_B217 before).
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for path in files.keys.sorted() {
            for byte in Array(path.utf8) + [0] + Array(files[path]!) { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        }
        #expect(files.count == 503)
        #expect(hash == 0x0C10_5B99_18C5_4DD1)
    }

    @Test("two seeds draw different marker vocabularies")
    func vocabularies() {
        let one = habitWords(random(seed: 1)), two = habitWords(random(seed: 2))
        #expect(one.count >= 20 && two.count >= 20)
        #expect(one.intersection(two).count <= 2)
    }

    @Test("marker words are not words of the matcher's copy markers or abbreviations")
    func notShippedWords() throws {
        var shipped = Set<String>()
        for name in ["copy_markers.tsv", "abbreviations.tsv"] {
            let path = PackagePaths.root + "/Sources/RessaisieCore/Vocabulary/Resources/" + name
            for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            where !line.hasPrefix("#") {
                for word in line.split(whereSeparator: { !$0.isLetter }) {
                    shipped.insert(word.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil))
                }
            }
        }
        #expect(shipped.contains("recopie") && shipped.contains("pansement"))
        for seed: UInt64 in 1...20 {
            let words = habitWords(random(seed: seed))
            #expect(words.isDisjoint(with: shipped), "seed \(seed): \(words.intersection(shipped))")
        }
    }

    @Test("truth tags cover every habit and both kinds of copy; copies keep their source's fact")
    func tagsCoverKinds() throws {
        let folder = try TemporaryFolder("ressaisie-habits")
        defer { folder.remove() }
        let settings = random(seed: 5, sites: 12, entries: 24_000)
        let out = folder.file("audit")
        _ = try SynthAudit.write(settings, to: out)
        let tags = try EvaluationFiles.tags(path: out + "/" + SynthAudit.tagsFileName)
        let roles = Set(tags.map(\.copyKind))
        #expect(roles == ["", "republished", "interface_copy"])
        let habits = Set(tags.filter(\.isReEntry).flatMap(\.noise))
        for kind in HabitKind.allCases {
            #expect(habits.contains(kind.rawValue), "no re-entry tagged \(kind.rawValue)")
        }

        var sites = AuditSynthesizer(settings: settings).sites()
        var sameID = 0
        for index in sites.indices {
            SynthAudit.assignRecordIDs(&sites[index])
            for entry in sites[index].entries {
                guard let kind = entry.copy, let source = entry.copyOf.map({ sites[index].entries[$0] }) else {
                    continue
                }
                #expect(entry.fact == source.fact && entry.content == source.content && entry.author == source.author)
                #expect(entry.recordedAt == source.recordedAt)
                switch kind {
                case .interfaceCopy:
                    #expect(entry.system != source.system && (1...30).contains(entry.recordedSecond))
                case .republished:
                    #expect(entry.system == source.system && entry.documentAt! >= source.recordedAt + 7 * 1440)
                    #expect(entry.sameRecordID == (entry.recordID == source.recordID))
                    if entry.sameRecordID { sameID += 1 }
                }
            }
        }
        #expect(sameID > 0)
    }

    @Test("read back: every truth entry once; same-id republications are kept once and counted, none rejected")
    func readBack() throws {
        let folder = try TemporaryFolder("ressaisie-habits")
        defer { folder.remove() }
        let settings = random(seed: 8, sites: 3, entries: 4000)
        let out = folder.file("audit")
        let summary = try SynthAudit.write(settings, to: out)
        let loaded = try AuditLoader(pseudonymizer: .ephemeral(), options: IngestOptions()).load(paths: [out])
        let sameID = AuditSynthesizer(settings: settings).sites().reduce(0) {
            $0 + $1.entries.filter(\.sameRecordID).count
        }
        #expect(sameID > 0)
        #expect(loaded.quality.rejections.isEmpty)
        #expect(loaded.quality.republished == sameID)
        #expect(loaded.quality.reusedRecordIDs == 0)
        #expect(loaded.store.count == summary.entries)
        let truth = try String(contentsOfFile: out + "/truth.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(truth.count == summary.entries)
    }

    @Test("key typos change one letter and never a digit; truncations are the same for the same word")
    func keyTypoAndTruncation() {
        var rng = SeededGenerator(seed: 3)
        for _ in 0..<200 {
            let typo = SiteGenerator.keyTypo(in: "Diabète de type 2", rng: &rng)
            #expect(typo != "Diabète de type 2" && typo.hasSuffix(" 2") && typo.filter(\.isNumber) == "2")
            #expect(abs(typo.count - "Diabète de type 2".count) <= 1)
        }
        let text = "surveillance de la température et surveillance du pansement"
        let cut = SiteGenerator.truncated(text, letters: 4, share: 1, salt: 9)
        #expect(cut == "surv. de la temp. et surv. du pans.")
        let some = SiteGenerator.truncated(text, letters: 4, share: 0.5, salt: 9).split(separator: " ")
        #expect(some[0] == some[5])
    }
}

@Suite("Random habits on what the pathways and the copies across categories type")
struct HabitsOnCopiesTests {
    @Test("a system's heading is on every entry it holds, the pathways' and the cross-category copies' too")
    func headingsOnCopies() {
        var checked = 0, retyped = 0
        for seed: UInt64 in [1, 2, 3, 4] {
            let settings = SynthSettings(
                sites: 3, entries: 3000, seed: seed, habits: .random, sharedPatients: true, crossCategory: true)
            for site in AuditSynthesizer(settings: settings).fullAudit().sites {
                for (index, habits) in site.habits!.systems.enumerated() {
                    guard let heading = habits.heading else { continue }
                    // Software copies carry their source system's heading.
                    for entry in site.entries where entry.system == index && entry.copy == nil {
                        let field = entry.content.text.isEmpty ? entry.content.label : entry.content.text
                        #expect(field.hasPrefix(heading))
                        checked += 1
                        if entry.isRetyped { retyped += 1 }
                    }
                }
            }
        }
        #expect(checked > 0)
        #expect(retyped > 0)
    }

    @Test("what a site re-types from another site or category carries its systems' copy markers, as a re-entry does")
    func markersOnRetyped() {
        var marked = 0, retyped = 0
        for seed: UInt64 in [1, 2, 3, 4] {
            let settings = SynthSettings(
                sites: 3, entries: 3000, seed: seed, habits: .random, sharedPatients: true, crossCategory: true)
            for site in AuditSynthesizer(settings: settings).fullAudit().sites {
                for entry in site.entries where entry.isRetyped {
                    retyped += 1
                    let marker = site.habits!.systems[entry.system].marker
                    if entry.content.text.contains(marker) || entry.content.label.contains(marker) { marked += 1 }
                }
            }
        }
        #expect(retyped > 0)
        #expect(marked > 0)
    }
}
