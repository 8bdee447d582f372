import Foundation

/// Kinds of writing habit (`--habits random`) a re-entry carries, on itself or on its fact's first entry.
/// Written in `truth-tags.tsv`'s noise column, so that `evaluate` gives the share found per habit.
enum HabitKind: String, CaseIterable {
    case markerInText = "marker_in_text", markerInLabel = "marker_in_label", trailingTag = "trailing_tag"
    case heading, fieldSplit = "field_split", allergyComment = "allergy_comment"
    case siteAbbreviation = "site_abbreviation", wordTruncation = "word_truncation", keyTypo = "key_typo"
    case dateOnlyTime = "date_only_time", effectiveIsRecorded = "effective_is_recorded"
    case noEffectiveTime = "no_effective_time"

    /// Habits of a whole system (every entry of it), as opposed to habits of a re-typing: a pair of entries
    /// is touched by them when either side carries them.
    var isSystemWide: Bool {
        switch self {
        case .markerInText, .markerInLabel, .trailingTag, .allergyComment, .keyTypo: false
        default: true
        }
    }
}

/// How a system lays out a drug administration.
enum MedicationLayout: String, CaseIterable {
    /// Drug in the label, dose in the value, unit in the unit (what `--habits fixed` writes).
    case split
    /// `Paracétamol 1 g` in the label; no value.
    case doseInLabel = "dose_in_label"
    /// Everything in the free text, under the system's own label.
    case freeText = "free_text"
}

/// The writing habits of one system of a site, drawn from the site's generator.
struct SystemHabits {
    /// The copy marker its professionals put on what they re-type (`Vadrou kesi :`, `[Tobral]`…).
    var marker: String
    var markerAfter: Bool
    /// Shares of its re-entries with the marker on the text, on the label, and with the trailing tag.
    var markerInText: Double
    var markerInLabel: Double
    var trailingTag: String
    var trailingRate: Double
    /// A heading put on every entry of the system (first entries too), or none.
    var heading: String?
    var medication: MedicationLayout
    /// The label of drug administrations written as free text.
    var freeTextLabel: String
    /// The diagnosis in the label (and no text) rather than in the text under a fixed label.
    var diagnosisInLabel: Bool
    /// Share of re-typed allergies with a comment added (`Latex — vodir kamasse`).
    var allergyComment: Double
    /// Whether the system's professionals use the site's abbreviations.
    var abbreviates: Bool
    /// Words cut to this many letters and a dot (`surveil.`), for a share of the words, always the same ones.
    var truncation: Int?
    var truncationShare: Double
    var truncationSalt: UInt64
    /// Share of its re-entries with one typo in the key part (drug, allergen, diagnosis).
    var keyTypo: Double
    /// Recorded times written as a date only (`2026-03-12`).
    var dateOnly: Bool
    /// The effective time written as the recorded time.
    var effectiveIsRecorded: Bool
    /// No effective time at all.
    var noEffective: Bool
    /// Share of its statements exported again in a later document (CDA, FHIR), and of those the share
    /// under the same record id.
    var republish: Double
    var republishSameID: Double
}

/// An interface that copies entries of one system into another (indices in the site's systems).
struct InterfaceCopyHabit {
    var from: Int
    var to: Int
    var share: Double
}

/// The habits of a site: one `SystemHabits` per system, the abbreviations its staff use, its interfaces.
struct SiteHabits {
    var systems: [SystemHabits]
    var abbreviations: [(String, String)]
    var interfaces: [InterfaceCopyHabit]

    static func draw(systems: [SiteSystem], rng: inout SeededGenerator) -> SiteHabits {
        let abbreviations = SynthVocabulary.abbreviations.filter { _ in rng.chance(0.5) }
        var drawn: [SystemHabits] = []
        for system in systems {
            let documents = system.format == .cda || system.format == .fhir
            let marker = PseudoWords.marker(rng: &rng)
            drawn.append(
                SystemHabits(
                    marker: marker,
                    markerAfter: rng.chance(0.25),
                    markerInText: rng.pick([0.05, 0.2, 0.5, 0.8, 0.95]),
                    markerInLabel: rng.pick([0, 0.05, 0.2, 0.5]),
                    trailingTag: "(" + PseudoWords.word(rng: &rng) + " " + PseudoWords.word(rng: &rng) + ")",
                    trailingRate: rng.pick([0, 0, 0.1, 0.3]),
                    heading: rng.chance(0.35) ? PseudoWords.heading(rng: &rng) : nil,
                    medication: rng.pick(MedicationLayout.allCases),
                    freeTextLabel: PseudoWords.word(rng: &rng).capitalized,
                    diagnosisInLabel: rng.chance(0.4),
                    allergyComment: rng.pick([0, 0.2, 0.5]),
                    abbreviates: rng.chance(0.5),
                    truncation: rng.chance(0.4) ? rng.int(3...5) : nil,
                    truncationShare: 0.2 + 0.5 * rng.unit(),
                    truncationSalt: rng.next(),
                    keyTypo: rng.pick([0, 0.05, 0.15]),
                    dateOnly: system.format != .vendorCSV && rng.chance(0.25),
                    effectiveIsRecorded: rng.chance(0.2),
                    noEffective: rng.chance(0.15),
                    republish: documents && rng.chance(0.6) ? 0.05 + 0.25 * rng.unit() : 0,
                    republishSameID: rng.unit()))
        }
        var interfaces: [InterfaceCopyHabit] = []
        for from in systems.indices {
            for to in systems.indices where to != from && rng.chance(0.25) {
                interfaces.append(InterfaceCopyHabit(from: from, to: to, share: 0.05 + 0.3 * rng.unit()))
            }
        }
        return SiteHabits(systems: drawn, abbreviations: abbreviations, interfaces: interfaces)
    }

    /// The habits as JSON members of the site's summary.
    func json(systems siteSystems: [SiteSystem], copies: [CopyKind: Int], sameRecordID: Int, quoted: (String) -> String)
        -> String
    {
        func number(_ value: Double) -> String { String(format: "%.3f", value) }
        let systemsJSON = zip(siteSystems, systems).map { system, habits in
            let members: [(String, String)] = [
                ("system", quoted(system.system.rawValue)),
                ("marker", quoted(habits.marker)), ("marker_after", String(habits.markerAfter)),
                ("marker_in_text", number(habits.markerInText)), ("marker_in_label", number(habits.markerInLabel)),
                ("trailing_tag", quoted(habits.trailingTag)), ("trailing_tag_rate", number(habits.trailingRate)),
                ("heading", habits.heading.map(quoted) ?? "null"),
                ("medication_layout", quoted(habits.medication.rawValue)),
                ("free_text_label", quoted(habits.freeTextLabel)),
                ("diagnosis_in_label", String(habits.diagnosisInLabel)),
                ("allergy_comment", number(habits.allergyComment)),
                ("abbreviates", String(habits.abbreviates)),
                ("truncation_letters", habits.truncation.map(String.init) ?? "null"),
                ("truncation_share", number(habits.truncationShare)), ("key_typo", number(habits.keyTypo)),
                ("date_only_recorded_time", String(habits.dateOnly)),
                ("effective_is_recorded", String(habits.effectiveIsRecorded)),
                ("no_effective_time", String(habits.noEffective)),
                ("republish", number(habits.republish)), ("republish_same_record_id", number(habits.republishSameID)),
            ]
            return "{" + members.map { "\(quoted($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
        }
        let interfacesJSON = interfaces.map {
            "{\"from\": \(quoted(siteSystems[$0.from].system.rawValue)), \"to\": \(quoted(siteSystems[$0.to].system.rawValue)), \"share\": \(number($0.share))}"
        }
        return "{\n        \"abbreviations\": ["
            + abbreviations.map { quoted($0.0 + " → " + $0.1) }.joined(separator: ", ") + "],\n"
            + "        \"systems\": [\n          " + systemsJSON.joined(separator: ",\n          ") + "\n        ],\n"
            + "        \"interfaces\": [" + interfacesJSON.joined(separator: ", ") + "],\n"
            + "        \"copies\": {\"republished\": \(copies[.republished] ?? 0), \"republished_same_record_id\": \(sameRecordID), "
            + "\"interface_copy\": \(copies[.interfaceCopy] ?? 0)}\n      }"
    }
}

/// Pseudo-words from random syllables: no list the matcher ships (or any French word list) is used, so a
/// matcher cannot know the markers and headings made of them.
enum PseudoWords {
    static let onsets = [
        "b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "tr", "gl", "pl", "kr", "st", "ch",
    ]
    static let vowels = ["a", "e", "i", "o", "u", "ou", "ai", "y", "é"]
    static let codas = ["", "", "", "n", "r", "l", "s", "k", "x"]

    /// A lower-case pseudo-word of two or three syllables, at least five letters.
    static func word(rng: inout SeededGenerator) -> String {
        while true {
            var word = ""
            for _ in 0..<rng.int(2...3) { word += rng.pick(onsets) + rng.pick(vowels) + rng.pick(codas) }
            if word.count >= 5 { return word }
        }
    }

    /// A copy marker: `Vadrou kesi :`, `[Tobral]`, `Vadrou kesi -`, `Tobral/kesi >`.
    static func marker(rng: inout SeededGenerator) -> String {
        let first = word(rng: &rng).capitalized
        switch rng.int(0...3) {
        case 0: return "\(first) \(word(rng: &rng)) :"
        case 1: return "[\(first)]"
        case 2: return "\(first) \(word(rng: &rng)) -"
        default: return "\(first)/\(word(rng: &rng)) >"
        }
    }

    /// A heading a system puts on every entry: a team or shift tag (`ÉQUIPE`-like, in pseudo-words).
    static func heading(rng: inout SeededGenerator) -> String {
        switch rng.int(0...2) {
        case 0: return word(rng: &rng).uppercased() + " " + word(rng: &rng).capitalized + " |"
        case 1: return "<" + word(rng: &rng).capitalized + ">"
        default: return word(rng: &rng).capitalized + " · " + word(rng: &rng)
        }
    }
}

extension SiteGenerator {
    /// Draws the site's habits and rewrites its entries with them: layouts, abbreviations, truncations,
    /// typos in the key part, markers, headings and time stamps; then adds interface copies and
    /// republications (same fact, tagged as copies). Uses a generator forked from the site's, after
    /// the entries are drawn, so that `--habits fixed` draws exactly what it always drew.
    mutating func applyRandomHabits() {
        var rng = self.rng.fork()
        let habits = SiteHabits.draw(systems: site.systems, rng: &rng)
        site.habits = habits
        let count = site.entries.count
        var firstOf: [Int: Int] = [:]
        var applied = [[HabitKind]](repeating: [], count: count)
        for index in 0..<count {
            var entry = site.entries[index]
            let system = habits.systems[entry.system]
            var done: [HabitKind] = []
            var content = entry.content
            if entry.isReEntry || entry.isRetyped, rng.chance(system.keyTypo),
                [.medication, .allergy, .diagnosis].contains(entry.category)
            {
                if entry.category == .medication {
                    content.label = Self.keyTypo(in: content.label, rng: &rng)
                } else {
                    content.text = Self.keyTypo(in: content.text, rng: &rng)
                }
                done.append(.keyTypo)
            }
            if entry.isReEntry || entry.isRetyped, entry.category == .allergy, rng.chance(system.allergyComment) {
                content.text += " — " + PseudoWords.word(rng: &rng) + " " + PseudoWords.word(rng: &rng)
                done.append(.allergyComment)
            }
            if system.abbreviates, !content.text.isEmpty {
                var text = content.text
                for (word, short) in habits.abbreviations where text.contains(word) {
                    text = text.replacingOccurrences(of: word, with: short)
                }
                if text != content.text {
                    content.text = text
                    done.append(.siteAbbreviation)
                }
            }
            if let letters = system.truncation, !content.text.isEmpty {
                let text = Self.truncated(
                    content.text, letters: letters, share: system.truncationShare, salt: system.truncationSalt)
                if text != content.text {
                    content.text = text
                    done.append(.wordTruncation)
                }
            }
            switch entry.category {
            case .medication where system.medication != .split:
                let dose = [content.value, content.unit].filter { !$0.isEmpty }.joined(separator: " ")
                if system.medication == .doseInLabel {
                    content.label += " " + dose
                } else {
                    content.text = [content.label, dose, content.text].filter { !$0.isEmpty }.joined(separator: " ")
                    content.label = system.freeTextLabel
                }
                content.value = ""
                content.unit = ""
                done.append(.fieldSplit)
            case .diagnosis where system.diagnosisInLabel:
                content.label = content.text
                content.text = ""
                done.append(.fieldSplit)
            default: break
            }
            if entry.isReEntry || entry.isRetyped {
                func mark(_ text: String) -> String {
                    system.markerAfter ? text + " " + system.marker : system.marker + " " + text
                }
                if !content.text.isEmpty, rng.chance(system.markerInText) {
                    content.text = mark(content.text)
                    done.append(.markerInText)
                }
                if rng.chance(system.markerInLabel) {
                    content.label = mark(content.label)
                    done.append(.markerInLabel)
                }
                if rng.chance(system.trailingRate) {
                    if content.text.isEmpty {
                        content.label += " " + system.trailingTag
                    } else {
                        content.text += " " + system.trailingTag
                    }
                    done.append(.trailingTag)
                }
            }
            if let heading = system.heading {
                if content.text.isEmpty {
                    content.label = heading + " " + content.label
                } else {
                    content.text = heading + " " + content.text
                }
                done.append(.heading)
            }
            if entry.effectiveAt != nil, system.noEffective {
                entry.effectiveAt = nil
                done.append(.noEffectiveTime)
            } else if entry.effectiveAt != nil, system.effectiveIsRecorded {
                entry.effectiveAt = entry.recordedAt
                done.append(.effectiveIsRecorded)
            }
            if system.dateOnly { done.append(.dateOnlyTime) }
            entry.content = content
            applied[index] = done
            if let first = firstOf[entry.fact] {
                if entry.isReEntry {
                    let kinds = Set(done).union(applied[first].filter(\.isSystemWide))
                    entry.habits = HabitKind.allCases.filter { kinds.contains($0) }
                }
            } else {
                firstOf[entry.fact] = index
            }
            site.entries[index] = entry
        }
        addInterfaceCopies(habits, count: count, rng: &rng)
        addRepublications(habits, count: site.entries.count, rng: &rng)
    }

    /// Entries an interface copied from one system into another: same content and author, 1–30 s later.
    mutating func addInterfaceCopies(_ habits: SiteHabits, count: Int, rng: inout SeededGenerator) {
        for interface in habits.interfaces {
            for index in 0..<count {
                let source = site.entries[index]
                guard source.system == interface.from, site.identities[source.person][interface.to] != nil,
                    site.systems[interface.to].format.carries(source.category), rng.chance(interface.share)
                else { continue }
                var copy = source
                copy.system = interface.to
                copy.recordedSecond = rng.int(1...30)
                copy.isReEntry = false
                copy.noise = []
                copy.habits = []
                copy.negative = nil
                copy.copy = .interfaceCopy
                copy.copyOf = index
                site.entries.append(copy)
            }
        }
    }

    /// Statements of document-based systems exported again in a later document, under their record id or
    /// a new one (same content, author and recorded time).
    mutating func addRepublications(_ habits: SiteHabits, count: Int, rng: inout SeededGenerator) {
        for index in 0..<count {
            let source = site.entries[index]
            let system = habits.systems[source.system]
            guard system.republish > 0, source.copy == nil, rng.chance(system.republish) else { continue }
            var copy = source
            copy.isReEntry = false
            copy.noise = []
            copy.habits = []
            copy.negative = nil
            copy.copy = .republished
            copy.copyOf = index
            copy.sameRecordID = rng.chance(system.republishSameID)
            copy.documentAt = source.recordedAt + rng.int(7...20) * AuditSynthesizer.minutesPerDay
            site.entries.append(copy)
        }
    }

    /// One letter substituted, inserted, deleted or two swapped, in a word of four letters or more of
    /// `text` (letters only: a digit is never touched).
    static func keyTypo(in text: String, rng: inout SeededGenerator) -> String {
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map { Array($0) }
        let candidates = words.indices.filter { words[$0].count >= 4 && words[$0].allSatisfy(\.isLetter) }
        guard !candidates.isEmpty else { return text }
        let index = rng.pick(candidates)
        var word = words[index]
        let position = rng.int(1...(word.count - 2))
        let letters = Array("aeioulnrstcm")
        switch rng.int(0...3) {
        case 0:
            var replacement = rng.pick(letters)
            if replacement == word[position] { replacement = replacement == "e" ? "a" : "e" }
            word[position] = replacement
        case 1:
            word.insert(rng.pick(letters), at: position)
        case 2:
            word.remove(at: position)
        default:
            if word[position] == word[position + 1] {
                word.remove(at: position)
            } else {
                word.swapAt(position, position + 1)
            }
        }
        words[index] = word
        return words.map { String($0) }.joined(separator: " ")
    }

    /// `text` with the system's truncated words: those of at least `letters` + 3 letters that the salted hash
    /// puts in the system's share, cut to `letters` letters and a dot (always the same words).
    static func truncated(_ text: String, letters: Int, share: Double, salt: UInt64) -> String {
        text.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            guard word.count >= letters + 3, word.allSatisfy(\.isLetter) else { return String(word) }
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ salt
            for byte in word.lowercased().utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
            var mixer = SeededGenerator(seed: hash)
            return mixer.unit() < share ? String(word.prefix(letters)) + "." : String(word)
        }.joined(separator: " ")
    }
}
