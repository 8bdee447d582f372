/// One line of `truth-pathways.csv`: two entries of two sites, a fact typed at the first and typed again at
/// the second (`re_entry`), or a hard negative across sites that must not be counted as one.
struct PathwayTruthRow: Equatable {
    enum Kind: String, CaseIterable {
        /// The same fact, typed at the hospital, then at the EHPAD after the patient's discharge.
        case reEntry = "re_entry"
        /// A shared patient, the same category, another fact (another diagnosis, another value).
        case sharedPatientOtherFact = "shared_patient_other_fact"
        /// Two different patients, one at each site, with the same text.
        case twoPatientsSameText = "two_patients_same_text"
    }

    var kind: Kind
    var fromSite: Int
    var fromEntry: Int
    var toSite: Int
    var toEntry: Int
}

extension AuditSynthesizer {
    /// Categories a receiving organization re-types from a discharge letter.
    static let pathwayCategories: [Category] = [.medication, .allergy, .diagnosis, .carePlan, .note, .vitalSign]

    /// Each hospital (site 0, 3, 6…) discharges some patients to the EHPAD after it (site 1, 4, 7…): the
    /// EHPAD knows them under its own ids (with the identity noise of any system; the INS when recorded), the
    /// hospital typed three to six facts in the week before the discharge, and the EHPAD re-types about two
    /// thirds of them within four days after it (with re-typing noise, sometimes into a second system too).
    /// Hard negatives: a shared patient with another fact of the same category at each site, and two
    /// different patients with the same text at the two sites.
    static func sharePatients(_ generators: inout [SiteGenerator], rng: inout SeededGenerator, nextFact: inout Int)
        -> [PathwayTruthRow]
    {
        var rows: [PathwayTruthRow] = []
        for h in stride(from: 0, to: generators.count - 1, by: 3) {
            let e = h + 1
            var hospital = generators[h], ehpad = generators[e]
            let ownPersons = ehpad.site.persons.count
            let candidates = hospital.site.persons.count
            let wanted = min(max(12, candidates / 8), candidates / 2, 400)
            var chosen = Set<Int>()
            while chosen.count < wanted { chosen.insert(rng.int(0...(candidates - 1))) }
            func fact() -> Int {
                defer { nextFact += 1 }
                return nextFact
            }
            for person in chosen.sorted() {
                let here = ehpad.admit(hospital.site.persons[person], rng: &rng)
                let discharge = (firstDay + rng.int(8...(days - 12))) * minutesPerDay
                for _ in 0..<rng.int(3...6) {
                    let category = rng.pick(pathwayCategories)
                    let from = hospital.systems(of: person, carrying: category)
                    let to = ehpad.systems(of: here, carrying: category)
                    guard !from.isEmpty, !to.isEmpty else { continue }
                    let content = hospital.content(for: category, person: person)
                    let recorded = discharge - rng.int(0...7) * minutesPerDay + rng.int(8 * 60...19 * 60)
                    let effective = hospital.effectiveTime(for: category, recorded: recorded)
                    let original = hospital.add(
                        rng.pick(from), person, at: recorded, effective: effective, category, content, fact: fact())
                    guard rng.chance(0.65) else { continue }
                    let at = max(
                        discharge + rng.int(0...4) * minutesPerDay + rng.int(8 * 60...20 * 60),
                        recorded + rng.int(30...240))
                    let system = rng.pick(to)
                    let (copy, noise) = retyped(content, category, origin: hospital.site.systems[from[0]].system, &rng)
                    let ehpadFact = fact()
                    let reEntry = ehpad.add(
                        system, here, at: at, effective: effective, category, copy, fact: ehpadFact, noise: noise,
                        retyped: true)
                    rows.append(
                        PathwayTruthRow(kind: .reEntry, fromSite: h, fromEntry: original, toSite: e, toEntry: reEntry))
                    // Sometimes typed again at the EHPAD too: a per-site re-entry, not a second one across sites.
                    let others = to.filter { $0 != system }
                    if !others.isEmpty, rng.chance(0.25) {
                        let (again, noise) = retyped(copy, category, origin: ehpad.site.systems[system].system, &rng)
                        _ = ehpad.add(
                            rng.pick(others), here, at: at + rng.int(5...180), effective: effective, category, again,
                            fact: ehpadFact, noise: noise, reEntry: true)
                        ehpad.site.reEnteredFacts += 1
                    }
                }
                // A shared patient, the same category, another fact at each site.
                if rng.chance(0.9) {
                    let category = rng.pick(pathwayCategories)
                    let from = hospital.systems(of: person, carrying: category)
                    let to = ehpad.systems(of: here, carrying: category)
                    guard !from.isEmpty, !to.isEmpty else { continue }
                    let first = hospital.content(for: category, person: person)
                    var other =
                        category == .vitalSign ? ehpad.vital(first.vital) : ehpad.content(for: category, person: here)
                    // Another fact: not one the hospital has for this patient (nor, for a measure, its value).
                    func known(_ content: Content) -> Bool {
                        content == first
                            || (category != .vitalSign && hospital.stableContents[person].contains(content.text))
                            || (category == .vitalSign && content.value == first.value)
                    }
                    for _ in 0..<12 where known(other) {
                        other = category == .vitalSign ? ehpad.vital(first.vital) : ehpad.anyContent(for: category)
                    }
                    guard !known(other) else { continue }
                    let recorded = discharge - rng.int(0...5) * minutesPerDay + rng.int(8 * 60...19 * 60)
                    let at = max(discharge + rng.int(0...4) * minutesPerDay + rng.int(8 * 60...20 * 60), recorded + 60)
                    let a = hospital.add(
                        rng.pick(from), person, at: recorded,
                        effective: hospital.effectiveTime(for: category, recorded: recorded), category, first,
                        fact: fact())
                    let b = ehpad.add(
                        rng.pick(to), here, at: at, effective: ehpad.effectiveTime(for: category, recorded: at),
                        category,
                        other, fact: fact())
                    rows.append(
                        PathwayTruthRow(kind: .sharedPatientOtherFact, fromSite: h, fromEntry: a, toSite: e, toEntry: b)
                    )
                }
            }
            // Two different patients, one at each site, with the same text.
            let unshared = (0..<candidates).filter { !chosen.contains($0) }
            for _ in 0..<max(12, chosen.count) where !unshared.isEmpty && ownPersons > 0 {
                let q = rng.pick(unshared), r = rng.int(0...(ownPersons - 1))
                let category: Category = rng.pick([.note, .diagnosis, .carePlan])
                let from = hospital.systems(of: q, carrying: category), to = ehpad.systems(of: r, carrying: category)
                guard !from.isEmpty, !to.isEmpty else { continue }
                let content =
                    category == .note
                    ? Content(label: "Transmission ciblée", text: hospital.freshNoteText(for: [q]))
                    : hospital.content(for: category, person: q)
                let t = hospital.randomTime()
                guard t + 5 * minutesPerDay < (firstDay + days) * minutesPerDay else { continue }
                let a = hospital.add(rng.pick(from), q, at: t, effective: nil, category, content, fact: fact())
                let b = ehpad.add(
                    rng.pick(to), r, at: t + rng.int(1...4) * minutesPerDay + rng.int(0...120), effective: nil,
                    category,
                    content, fact: fact())
                rows.append(
                    PathwayTruthRow(kind: .twoPatientsSameText, fromSite: h, fromEntry: a, toSite: e, toEntry: b))
            }
            generators[h] = hospital
            generators[e] = ehpad
        }
        return rows
    }

    /// A copy of `content` as someone re-types it: most often with one or two kinds of noise.
    static func retyped(_ content: Content, _ category: Category, origin: SynthSystem, _ rng: inout SeededGenerator)
        -> (Content, [NoiseKind])
    {
        var copy = content
        var noise: [NoiseKind] = []
        guard rng.chance(0.8) else { return (copy, noise) }
        var kinds = Noise.kinds(for: content, category: category)
        for _ in 0..<min(kinds.count, rng.chance(0.7) ? 1 : 2) {
            let kind = kinds.remove(at: rng.int(0...(kinds.count - 1)))
            copy = Noise.apply(kind, to: copy, origin: origin, xml: false, rng: &rng)
            noise.append(kind)
        }
        return (copy, noise)
    }
}

extension SiteGenerator {
    /// Adds `person`, known to one or two of the site's systems; its index here.
    mutating func admit(_ person: Person, rng: inout SeededGenerator) -> Int {
        let number = site.persons.count
        site.persons.append(person)
        let systems = site.systems.count
        let known = min(systems, 1 + rng.weighted([0.4, 0.6]))
        var order = Array(0..<systems)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.int(0...i)) }
        var identities = [LocalIdentity?](repeating: nil, count: systems)
        for system in order.prefix(known) {
            identities[system] = localIdentity(of: person, number: number, system: system)
        }
        site.identities.append(identities)
        stableContents.append([])
        return number
    }

    /// Appends an entry of fact `fact` (a new fact of the site unless `reEntry`); its index. `retyped`: typed from
    /// another site's record or another category, with the system's re-typing habits (`SynthEntry.isRetyped`).
    mutating func add(
        _ system: Int, _ person: Int, at: Int, effective: Int?, _ category: Category, _ content: Content, fact: Int,
        noise: [NoiseKind] = [], reEntry: Bool = false, retyped: Bool = false
    ) -> Int {
        if !reEntry { site.facts += 1 }
        var entry = SynthEntry(
            system: system, person: person, recordedAt: at, effectiveAt: effective, author: author(for: category),
            category: category, content: content, fact: fact, noise: noise, isReEntry: reEntry)
        entry.isRetyped = retyped
        site.entries.append(entry)
        return site.entries.count - 1
    }
}
