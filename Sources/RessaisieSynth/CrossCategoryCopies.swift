/// One line of `truth-cross-category.csv`: two entries of one site and one person, in two categories: a fact
/// typed in the first and typed again in the second (`re_entry`), or a hard negative that must not be counted
/// as one.
struct CrossCategoryTruthRow: Equatable {
    enum Kind: String, CaseIterable {
        /// The same fact, typed in one category, then again in another (a note summarized in an administrative
        /// record, a care plan item repeated in a note, an activity written again in a note).
        case reEntry = "re_entry"
        /// The same person, the two categories, another fact: words in common, not the fact.
        case samePatientOtherFact = "same_patient_other_fact"
        /// The same person, the same text re-typed in the other category with another number in it.
        case anotherValue = "another_value"
    }

    var kind: Kind
    var site: Int
    var fromEntry: Int
    var toEntry: Int
}

extension AuditSynthesizer {
    /// Where staff re-type a fact into another category (care → management, and back).
    static let crossCategoryPairs: [(Category, Category)] = [
        (.note, .administrative), (.administrative, .note), (.note, .carePlan), (.carePlan, .note),
        (.activity, .note), (.note, .activity), (.carePlan, .activity), (.activity, .carePlan),
    ]

    /// At each site, about one person in ten (at least 12) has two to four facts typed in one category and
    /// re-typed, most of them (70 %), in another within two days (with re-typing noise), and hard negatives:
    /// another fact of the person in the other category, and the fact re-typed with another number.
    static func crossCategoryCopies(
        _ generators: inout [SiteGenerator], rng: inout SeededGenerator, nextFact: inout Int
    ) -> [CrossCategoryTruthRow] {
        var rows: [CrossCategoryTruthRow] = []
        func fact() -> Int {
            defer { nextFact += 1 }
            return nextFact
        }
        for s in generators.indices {
            var site = generators[s]
            let persons = site.site.persons.count
            guard persons > 0 else { continue }
            let wanted = min(max(12, persons / 10), persons)
            var chosen = Set<Int>()
            while chosen.count < wanted { chosen.insert(rng.int(0...(persons - 1))) }
            for person in chosen.sorted() {
                for _ in 0..<rng.int(2...4) {
                    let (a, b) = rng.pick(crossCategoryPairs)
                    let from = site.systems(of: person, carrying: a), to = site.systems(of: person, carrying: b)
                    guard !from.isEmpty, !to.isEmpty else { continue }
                    let content = site.content(for: a, person: person)
                    let recorded = site.randomTime()
                    guard recorded + 3 * minutesPerDay < (firstDay + days) * minutesPerDay else { continue }
                    let original = site.add(
                        rng.pick(from), person, at: recorded, effective: nil, a, content, fact: fact())
                    let at = recorded + rng.int(20...(48 * 60))
                    if rng.chance(0.7) {
                        let (copy, noise) = retyped(
                            site.relabeled(content, as: b), b, origin: site.site.systems[from[0]].system, &rng)
                        let entry = site.add(
                            rng.pick(to), person, at: at, effective: nil, b, copy, fact: fact(), noise: noise,
                            retyped: true)
                        rows.append(CrossCategoryTruthRow(kind: .reEntry, site: s, fromEntry: original, toEntry: entry))
                    } else if let changed = anotherNumber(in: content.text, &rng) {
                        var copy = site.relabeled(content, as: b)
                        copy.text = changed
                        let entry = site.add(
                            rng.pick(to), person, at: at, effective: nil, b, copy, fact: fact(), retyped: true)
                        rows.append(
                            CrossCategoryTruthRow(kind: .anotherValue, site: s, fromEntry: original, toEntry: entry))
                    }
                    // Another fact of the person, typed in the other category around the same time.
                    guard rng.chance(0.5) else { continue }
                    let other = site.content(for: a, person: person)
                    guard other.text != content.text else { continue }
                    let entry = site.add(
                        rng.pick(to), person, at: recorded + rng.int(20...(48 * 60)), effective: nil, b,
                        site.relabeled(other, as: b), fact: fact())
                    rows.append(
                        CrossCategoryTruthRow(
                            kind: .samePatientOtherFact, site: s, fromEntry: original, toEntry: entry))
                }
            }
            generators[s] = site
        }
        return rows
    }

    /// The per-site hard negatives `other_category` (the same words typed as a note, then as a care plan item of
    /// the person within four hours): two facts for the per-category figures, but across categories a note
    /// repeating a care plan item, one fact typed again: `re_entry` rows of the cross-category truth.
    static func sameWordsInTwoCategories(_ sites: [SynthSite]) -> [CrossCategoryTruthRow] {
        var rows: [CrossCategoryTruthRow] = []
        for (s, site) in sites.enumerated() {
            for index in site.entries.indices.dropLast() {
                let (a, b) = (site.entries[index], site.entries[index + 1])
                guard a.negative == .otherCategory, b.negative == .otherCategory, a.category == .note,
                    b.category == .carePlan, a.person == b.person
                else { continue }
                rows.append(CrossCategoryTruthRow(kind: .reEntry, site: s, fromEntry: index, toEntry: index + 1))
            }
        }
        return rows
    }

    /// The text with its first number replaced by another; nil when it has none.
    static func anotherNumber(in text: String, _ rng: inout SeededGenerator) -> String? {
        let characters = Array(text)
        guard let start = characters.firstIndex(where: \.isNumber) else { return nil }
        var end = start
        while end < characters.count, characters[end].isNumber { end += 1 }
        let number = Int(String(characters[start..<end])) ?? 0
        let replacement = String(number + rng.int(1...5))
        return String(characters[..<start]) + replacement + String(characters[end...])
    }
}

extension SiteGenerator {
    /// A fact's content as typed in another category: its words in that category's usual field (a note's or a
    /// care plan's text, an administrative or activity record's label and text).
    mutating func relabeled(_ content: Content, as category: Category) -> Content {
        let words = [content.label, content.value + content.unit, content.text].filter { !$0.isEmpty }
        let text =
            content.vital == nil && [Category.activity, .administrative].contains(categoryOf(content))
            ? words.joined(separator: " ") : content.text
        switch category {
        case .note: return Content(label: rng.pick(SynthVocabulary.noteLabels), text: text)
        case .carePlan: return Content(label: "Plan de soins", text: text)
        case .administrative: return Content(label: rng.pick(SynthVocabulary.administrative).0, text: text)
        default: return Content(label: rng.pick(SynthVocabulary.activities).0, text: text)
        }
    }

    /// Whether content was drawn for an activity or administrative record (their label says the fact).
    func categoryOf(_ content: Content) -> Category? {
        if SynthVocabulary.activities.contains(where: { $0.0 == content.label }) { return .activity }
        if SynthVocabulary.administrative.contains(where: { $0.0 == content.label }) { return .administrative }
        return nil
    }
}
