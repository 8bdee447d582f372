import Foundation

/// Builds a synthetic multi-site audit: persons known to several systems under different local ids
/// (with the identity noise of real exports), facts typed one to four times across and within systems
/// (with French re-typing noise), and hard negatives: distinct facts that look alike.
///
/// Deterministic for a seed: one `SeededGenerator` per site, forked from the seed, no clock, no
/// iteration over dictionaries.
struct AuditSynthesizer {
    let settings: SynthSettings

    /// First day of facts and the number of days they span: 5 January to mid-March 2026, so that every
    /// re-entry and every beyond-the-window copy stays before the change to summer time (+01:00 throughout).
    static let firstDay = 4
    static let days = 70
    static let minutesPerDay = 1440
    /// Re-entries come within this many minutes of the first entry of their fact.
    static let window = 70 * 60

    func sites() -> [SynthSite] { audit().sites }

    /// The sites, the pathways' truth, and with `SynthSettings.crossCategory` the truth of the facts re-typed
    /// into another category and of the hard negatives of that kind.
    func fullAudit() -> (sites: [SynthSite], pathways: [PathwayTruthRow], crossCategory: [CrossCategoryTruthRow]) {
        let (generators, pathways, crossCategory) = generate(crossCategory: settings.crossCategory)
        return (generators.map(\.site), pathways, crossCategory)
    }

    /// The sites and, with `SynthSettings.sharedPatients`, the truth of the facts re-typed from one site to
    /// another and of the hard negatives across sites.
    func audit() -> (sites: [SynthSite], pathways: [PathwayTruthRow]) {
        let (generators, pathways, _) = generate(crossCategory: false)
        return (generators.map(\.site), pathways)
    }

    /// The site generators after the sites, the pathways and (`crossCategory`) the facts re-typed into another
    /// category, with their truths. With `--habits random`, each site's habits are applied last, so that what
    /// the pathways and the copies across categories typed carries them too (a system's heading, layout and
    /// time stamps on every entry of it; its re-typing habits on what was re-typed).
    func generate(crossCategory withCopies: Bool) -> (
        generators: [SiteGenerator], pathways: [PathwayTruthRow], crossCategory: [CrossCategoryTruthRow]
    ) {
        var root = SeededGenerator(seed: settings.seed)
        let count = max(1, settings.sites)
        let perSite = max(20, settings.entries / count)
        var nextFact = 0
        var generators: [SiteGenerator] = []
        for index in 0..<count {
            var generator = SiteGenerator(
                index: index, rng: root.fork(), nextFact: nextFact,
                systems: Self.layout(
                    ofSite: index, otherSystems: settings.otherSystems && (index % 3 == 1 || count == 1)))
            generator.populate(entries: perSite)
            nextFact = generator.nextFact
            generators.append(generator)
        }
        var pathways: [PathwayTruthRow] = []
        if settings.sharedPatients {
            // Its own generator, forked after every site's: the sites' own draws are those of an audit without.
            var rng = root.fork()
            pathways = Self.sharePatients(&generators, rng: &rng, nextFact: &nextFact)
        }
        var crossCategory: [CrossCategoryTruthRow] = []
        if withCopies {
            // Its own generator, forked after the others: an audit without the option is byte-identical.
            var rng = root.fork()
            crossCategory =
                Self.crossCategoryCopies(&generators, rng: &rng, nextFact: &nextFact)
                + Self.sameWordsInTwoCategories(generators.map(\.site))
        }
        if settings.habits == .random {
            for index in generators.indices { generators[index].applyRandomHabits() }
        }
        return (generators, pathways, crossCategory)
    }

    /// The systems of site `index` and their formats; `otherSystems`: with the spreadsheet (`Excel`) and the
    /// typed-up paper log (`Cahier de transmissions`) too.
    static func layout(ofSite index: Int, otherSystems: Bool = false) -> [SiteSystem] {
        let workarounds =
            otherSystems
            ? [SiteSystem(system: .excel, format: .canonicalCSV), SiteSystem(system: .paperLog, format: .canonicalCSV)]
            : []
        return standardLayout(ofSite: index) + workarounds
    }

    static func standardLayout(ofSite index: Int) -> [SiteSystem] {
        switch index % 3 {
        case 0:
            [
                SiteSystem(system: .dpi, format: .cda), SiteSystem(system: .dui, format: .canonicalCSV),
                SiteSystem(system: .sip, format: .fhir),
            ]
        case 1:
            [SiteSystem(system: .dui, format: .vendorCSV), SiteSystem(system: .dpi, format: .canonicalCSV)]
        default:
            [
                SiteSystem(system: .sip, format: .fhir), SiteSystem(system: .dpi, format: .canonicalCSV),
                SiteSystem(system: .dui, format: .vendorCSV),
            ]
        }
    }

    static func siteName(_ index: Int) -> String {
        let names = SynthVocabulary.siteNames
        return index < names.count ? names[index] : "\(names[index % names.count])-\(index / names.count + 1)"
    }
}

/// Generates one site.
struct SiteGenerator {
    var site: SynthSite
    var rng: SeededGenerator
    var nextFact: Int
    let index: Int
    /// Pairs of persons with the same names (different birth dates and INS).
    var homonyms: [(Int, Int)] = []
    /// Authors by profession.
    var authorsByProfession: [[Int]] = []
    /// Per person, the allergies, diagnoses, care plan items and notes already drawn: drawn again for the
    /// same person, they would be the same fact (or an untagged look-alike), not another one.
    var stableContents: [Set<String>] = []

    init(index: Int, rng: SeededGenerator, nextFact: Int, systems: [SiteSystem]) {
        self.index = index
        self.rng = rng
        self.nextFact = nextFact
        site = SynthSite(name: AuditSynthesizer.siteName(index), systems: systems)
    }

    mutating func populate(entries target: Int) {
        makePersons(count: min(20000, max(40, target / 25)))
        makeAuthors()
        site.entries.reserveCapacity(target + 8)
        let negatives = HardNegativeKind.allCases
        while site.entries.count < target {
            if rng.chance(0.10) {
                hardNegative(rng.pick(negatives))
            } else {
                positiveFact()
            }
        }
    }

    // MARK: People

    mutating func makePersons(count: Int) {
        let systems = site.systems.count
        for number in 0..<count {
            var person: Person
            if number > 0, rng.chance(0.02) {
                // A homonym of the previous person: same names, another birth date and INS.
                let other = site.persons[number - 1]
                person = newPerson(sex: other.sex)
                person.birthName = other.birthName
                person.givenNames = other.givenNames
                homonyms.append((number - 1, number))
                site.homonymPairs += 1
            } else {
                person = newPerson(sex: rng.chance(0.55) ? "F" : "M")
            }
            site.persons.append(person)
            // Known to 1–3 systems.
            let known = min(systems, 1 + rng.weighted([0.25, 0.50, 0.25]))
            var order = Array(0..<systems)
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.int(0...i)) }
            var identities = [LocalIdentity?](repeating: nil, count: systems)
            for system in order.prefix(known) {
                identities[system] = localIdentity(of: person, number: number, system: system)
            }
            site.identities.append(identities)
        }
        stableContents = Array(repeating: [], count: count)
    }

    mutating func newPerson(sex: String) -> Person {
        var given = rng.pick(sex == "F" ? SynthVocabulary.givenFemale : SynthVocabulary.givenMale)
        if rng.chance(0.25) {
            given += " " + rng.pick(sex == "F" ? SynthVocabulary.secondGivenFemale : SynthVocabulary.secondGivenMale)
        }
        let year = rng.int(1924...1995)
        let month = rng.int(1...12)
        let day = rng.int(1...28)
        var ins: String?
        if rng.chance(0.6) {
            let body = String(
                format: "%d%02d%02d%02d%03d%03d", sex == "M" ? 1 : 2, year % 100, month,
                rng.int(1...95), rng.int(1...450), rng.int(1...999))
            let key = 97 - Int(body)! % 97
            ins = body + String(format: "%02d", key)
        }
        return Person(
            sex: sex, birthName: rng.pick(SynthVocabulary.birthNames), givenNames: given,
            birthDate: CalendarDay(year: year, month: month, day: day), ins: ins)
    }

    /// How system `system` knows `person`: its own id and the identity as typed there.
    mutating func localIdentity(of person: Person, number: Int, system: Int) -> LocalIdentity {
        let scrambled = (number * 7919 + system * 104_729 + index * 15_485_863) % 900_000 + 100_000
        let id: String
        switch site.systems[system].system {
        case .dpi: id = "IPP\(scrambled)"
        case .dui: id = "R-\(scrambled)"
        case .sip: id = "P\(scrambled)"
        case .excel: id = "XL\(scrambled)"
        case .paperLog: id = "C\(scrambled)"
        }
        var birthName = person.birthName
        var given = person.givenNames
        var birthDate = person.birthDate
        func count(_ kind: IdentityNoise) { site.identityNoise[IdentityNoise.allCases.firstIndex(of: kind)!] += 1 }
        if given.contains(" "), rng.chance(0.5) {
            given = String(given.split(separator: " ")[0])
            count(.secondGivenNameDropped)
        }
        if given.contains("-") {
            switch rng.weighted([0.55, 0.30, 0.15]) {
            case 1:
                given = given.replacingOccurrences(of: "-", with: " ")
                count(.compoundGivenName)
            case 2:
                given = String(given.split(separator: "-")[0])
                count(.compoundGivenName)
            default: break
            }
        }
        if rng.chance(0.25) {
            birthName = birthName.folding(options: .diacriticInsensitive, locale: nil)
            given = given.folding(options: .diacriticInsensitive, locale: nil)
            count(.accentsDropped)
        }
        if site.systems[system].format == .vendorCSV || rng.chance(0.3) {
            birthName = birthName.uppercased()
            if rng.chance(0.5) { given = given.uppercased() }
            count(.upperCase)
        }
        if rng.chance(0.03) {
            let typo = Noise.typo(in: birthName, rng: &rng)
            if typo != birthName { count(.birthNameTypo) }
            birthName = typo
        }
        if rng.chance(0.02), birthDate.day <= 12, birthDate.day != birthDate.month {
            birthDate = CalendarDay(year: birthDate.year, month: birthDate.day, day: birthDate.month)
            count(.dayMonthSwapped)
        }
        let ins = person.ins != nil && rng.chance(0.85) ? person.ins : nil
        if person.ins != nil, ins == nil { count(.insNotRecorded) }
        return LocalIdentity(
            patientID: id, ins: ins, birthName: birthName, givenNames: given, birthDate: birthDate, sex: person.sex)
    }

    mutating func makeAuthors() {
        let perProfession = max(2, site.persons.count / 60)
        for profession in Profession.allCases {
            var ids: [Int] = []
            for _ in 0..<perProfession {
                ids.append(site.authors.count)
                site.authors.append(
                    Author(
                        id: String(format: "1%02d%08d", index % 100, site.authors.count * 7 + rng.int(0...6)),
                        profession: profession))
            }
            authorsByProfession.append(ids)
        }
    }

    mutating func author(for category: Category) -> Int {
        let profession = rng.pick(Profession.writers(of: category))
        return rng.pick(authorsByProfession[Profession.allCases.firstIndex(of: profession)!])
    }

    // MARK: Facts

    func systems(of person: Int, carrying category: Category) -> [Int] {
        site.identities[person].indices.filter {
            site.identities[person][$0] != nil && site.systems[$0].format.carries(category)
        }
    }

    mutating func newFact() -> Int {
        defer { nextFact += 1 }
        site.facts += 1
        return nextFact
    }

    static let categoryWeights: [Double] = [30, 25, 12, 3, 4, 6, 7, 5, 8]

    /// A random time of day on a random day of the period, in minutes.
    mutating func randomTime() -> Int {
        let day = AuditSynthesizer.firstDay + rng.int(0...(AuditSynthesizer.days - 1))
        return day * AuditSynthesizer.minutesPerDay + rng.int(7 * 60...21 * 60 + 30)
    }

    mutating func effectiveTime(for category: Category, recorded: Int) -> Int? {
        switch category {
        case .vitalSign, .medication, .activity: recorded - rng.int(5...90)
        case .appointment: (recorded / 1440 + rng.int(2...8)) * 1440 + rng.int(8...17) * 60 + rng.pick([0, 15, 30, 45])
        default: nil
        }
    }

    /// One fact, typed once or re-entered up to three times, with noise on the copies.
    mutating func positiveFact() {
        let person = rng.int(0...(site.persons.count - 1))
        let known = site.identities[person].indices.filter { site.identities[person][$0] != nil }
        let first = rng.pick(known)
        var category = Category.allCases[rng.weighted(Self.categoryWeights)]
        while !site.systems[first].format.carries(category) {
            category = Category.allCases[rng.weighted(Self.categoryWeights)]
        }
        let content = self.content(for: category, person: person)
        let targets = systems(of: person, carrying: category)
        var multiplicity = 1 + rng.weighted([0.68, 0.23, 0.06, 0.03])
        // A person known to one system is re-typed there less often than across systems.
        if targets.count < 2, rng.chance(0.5) { multiplicity = 1 }
        let fact = newFact()
        let recorded = randomTime()
        let effective = effectiveTime(for: category, recorded: recorded)
        let firstAuthor = author(for: category)
        site.entries.append(
            SynthEntry(
                system: first, person: person, recordedAt: recorded, effectiveAt: effective, author: firstAuthor,
                category: category, content: content, fact: fact))
        guard multiplicity > 1 else { return }
        site.reEnteredFacts += 1
        var lags: [Int] = (1..<multiplicity).map { _ in lag() }
        lags.sort()
        var previous = first
        var previousAt = recorded
        var used = [first]
        for lag in lags {
            // Mostly to a system that does not have the fact yet; sometimes again in the same one, minutes later.
            let fresh = targets.filter { !used.contains($0) }
            let others = targets.filter { $0 != previous }
            let system =
                !fresh.isEmpty && rng.chance(0.88)
                ? rng.pick(fresh)
                : !others.isEmpty && rng.chance(0.5) ? rng.pick(others) : previous
            used.append(system)
            // Within the same system a copy comes minutes after the previous entry; elsewhere, after its lag.
            let at =
                system == previous
                ? min(previousAt + rng.int(2...45), recorded + AuditSynthesizer.window) : recorded + lag
            previousAt = at
            var copy = content
            var noise: [NoiseKind] = []
            if rng.chance(0.8) {
                var kinds = Noise.kinds(for: content, category: category)
                let count = min(kinds.count, rng.chance(0.7) ? 1 : 2)
                for _ in 0..<count {
                    let kind = kinds.remove(at: rng.int(0...(kinds.count - 1)))
                    copy = Noise.apply(
                        kind, to: copy, origin: site.systems[first].system,
                        xml: site.systems[system].format == .fhir || site.systems[system].format == .cda, rng: &rng)
                    noise.append(kind)
                }
            }
            site.entries.append(
                SynthEntry(
                    system: system, person: person, recordedAt: at, effectiveAt: effective,
                    author: rng.chance(0.35) ? firstAuthor : author(for: category), category: category, content: copy,
                    fact: fact, noise: noise, isReEntry: true))
            previous = system
        }
    }

    /// Minutes between a fact's first entry and a re-entry: mostly within hours, some the next days.
    mutating func lag() -> Int {
        switch rng.weighted([0.55, 0.30, 0.15]) {
        case 0: rng.int(2...120)
        case 1: rng.int(121...24 * 60)
        default: rng.int(24 * 60...AuditSynthesizer.window)
        }
    }

    // MARK: Contents

    mutating func vital(_ kind: Int? = nil) -> Content {
        let kind = kind ?? rng.int(0...(SynthVocabulary.vitals.count - 1))
        let vital = SynthVocabulary.vitals[kind]
        let value: String
        switch kind {
        case 0: value = ExportText.decimal(360 + rng.int(0...29), 1)
        case 1: value = String(rng.int(52...112))
        case 2: value = "\(rng.int(10...17) * 10 + rng.pick([0, 0, 5]))/\(rng.int(5...9) * 10 + rng.pick([0, 0, 5]))"
        case 3: value = String(rng.int(88...100))
        case 4: value = ExportText.decimal(400 + rng.int(0...600), 1)
        case 5: value = ExportText.decimal(70 + rng.int(0...180), 2)
        case 6: value = String(rng.int(0...9))
        default: value = String(rng.int(12...28))
        }
        return Content(label: vital.label, value: value, unit: vital.unit, vital: kind)
    }

    mutating func noteText() -> String { note().text }

    /// A note: one of the vocabulary's observations with its numbers drawn (`observation`, what makes it one
    /// fact) and one of its closing details.
    mutating func note() -> (observation: String, text: String) {
        note(from: rng.pick(SynthVocabulary.noteTemplates))
    }

    mutating func note(from template: String) -> (observation: String, text: String) {
        let observation = drawNumbers(template)
        return (observation, observation + drawNumbers(rng.pick(SynthVocabulary.noteDetails)))
    }

    mutating func drawNumbers(_ template: String) -> String {
        template.replacingOccurrences(of: "{h}", with: String(rng.int(7...22)))
            .replacingOccurrences(of: "{n}", with: String(rng.int(2...9)))
            .replacingOccurrences(of: "{m}", with: String(format: "%02d", rng.int(0...59)))
    }

    /// A note whose observation none of `persons` has had yet, then remembered for each of them: two
    /// notes of one person that say the same observation with another closing detail would be one fact
    /// to any reader (and a copy with a closing phrase added looks just so), so a hard negative or a new
    /// fact never is one. After a few random draws, the observations not yet used are tried in turn (a
    /// person with many notes has used most of them); an observation with numbers is another fact with
    /// other numbers. Only when every draw is taken does an observation repeat.
    mutating func freshNoteText(for persons: [Int]) -> String { freshNote(for: persons).text }

    mutating func freshNote(for persons: [Int]) -> (observation: String, text: String) {
        let isUsed = { (observation: String, contents: [Set<String>]) in
            persons.contains { contents[$0].contains(Self.noteKey(observation)) }
        }
        var (observation, text) = note()
        for _ in 0..<12 where isUsed(observation, stableContents) { (observation, text) = note() }
        if isUsed(observation, stableContents) {
            search: for _ in 0..<4 {
                for template in SynthVocabulary.noteTemplates.shuffled(using: &rng) {
                    (observation, text) = note(from: template)
                    if !isUsed(observation, stableContents) { break search }
                }
            }
        }
        for person in persons { stableContents[person].insert(Self.noteKey(observation)) }
        return (observation, text)
    }

    /// How a note's observation is remembered among a person's stable contents.
    static func noteKey(_ template: String) -> String { "\u{1F}note\u{1F}" + template }

    mutating func content(for category: Category, person: Int) -> Content {
        if category == .note {
            return Content(label: rng.pick(SynthVocabulary.noteLabels), text: freshNoteText(for: [person]))
        }
        var content = anyContent(for: category)
        guard [.allergy, .diagnosis, .carePlan].contains(category) else { return content }
        // A person with many facts has drawn most of a short list: draw until one is new to them.
        for _ in 0..<64 where stableContents[person].contains(content.text) { content = anyContent(for: category) }
        stableContents[person].insert(content.text)
        return content
    }

    mutating func anyContent(for category: Category) -> Content {
        switch category {
        case .vitalSign:
            return vital()
        case .note:
            return Content(label: rng.pick(SynthVocabulary.noteLabels), text: noteText())
        case .medication:
            let drug = rng.pick(SynthVocabulary.drugs)
            return Content(label: drug.name, value: drug.dose, unit: drug.unit, text: drug.route)
        case .allergy:
            return Content(label: "Allergie", text: rng.pick(SynthVocabulary.allergies))
        case .diagnosis:
            return Content(label: "Diagnostic", text: rng.pick(SynthVocabulary.diagnoses))
        case .appointment:
            let text =
                "Consultation \(rng.pick(SynthVocabulary.specialties)) le \(rng.int(1...28))/\(rng.int(1...4)) à \(rng.int(8...17)) h \(String(format: "%02d", rng.pick([0, 15, 30, 45])))"
            return Content(label: "Rendez-vous", text: text)
        case .carePlan:
            return Content(
                label: "Plan de soins",
                text: rng.pick(SynthVocabulary.carePlans).replacingOccurrences(of: "{n}", with: String(rng.int(2...7))))
        case .administrative:
            let (label, template) = rng.pick(SynthVocabulary.administrative)
            let two = { (rng: inout SeededGenerator) in String(format: "%02d", rng.int(0...99)) }
            var text = template.replacingOccurrences(of: "{g}", with: rng.pick(SynthVocabulary.givenFemale))
                .replacingOccurrences(of: "{b}", with: rng.pick(SynthVocabulary.birthNames).uppercased())
            for key in ["{a}", "{c}", "{d}", "{e}"] { text = text.replacingOccurrences(of: key, with: two(&rng)) }
            text = text.replacingOccurrences(of: "{day}", with: String(rng.int(1...28)))
                .replacingOccurrences(of: "{month}", with: String(format: "%02d", rng.int(1...3)))
            return Content(label: label, text: text)
        case .activity:
            let (label, value, unit, text) = rng.pick(SynthVocabulary.activities)
            return Content(label: label, value: value, unit: unit, text: text)
        }
    }

    // MARK: Hard negatives

    /// Adds a singleton fact.
    mutating func single(
        _ system: Int, _ person: Int, at: Int, effective: Int?, _ category: Category, _ content: Content
    ) {
        site.entries.append(
            SynthEntry(
                system: system, person: person, recordedAt: at, effectiveAt: effective, author: author(for: category),
                category: category, content: content, fact: newFact()))
    }

    mutating func hardNegative(_ kind: HardNegativeKind) {
        let before = site.entries.count
        defer { for index in before..<site.entries.count { site.entries[index].negative = kind } }
        let person = rng.int(0...(site.persons.count - 1))
        let known = site.identities[person].indices.filter { site.identities[person][$0] != nil }
        let t = randomTime()
        switch kind {
        case .repeatedMeasure:
            // The same measurement taken again hours later, with another value.
            let first = vital()
            var second = vital(first.vital)
            // Another value (a pain score of 6 twice, one effective time lost, would be one fact to anyone).
            for _ in 0..<8 where second.value == first.value { second = vital(first.vital) }
            if second.value == first.value { return }
            let effective = t - rng.int(5...30)
            let later = effective + rng.int(4...8) * 60
            single(rng.pick(known), person, at: t, effective: effective, .vitalSign, first)
            single(rng.pick(known), person, at: later + rng.int(5...40), effective: later, .vitalSign, second)
        case .differentValue:
            // Same measure, same time, another value (another device, a correction typed as new).
            let first = vital()
            var second = vital(first.vital)
            var tries = 0
            while second.value == first.value, tries < 5 {
                second = vital(first.vital)
                tries += 1
            }
            if second.value == first.value { return }
            let effective = t - rng.int(5...30)
            single(rng.pick(known), person, at: t, effective: effective, .vitalSign, first)
            single(rng.pick(known), person, at: t + rng.int(10...180), effective: effective, .vitalSign, second)
        case .routineNote:
            // "RAS" on each shift of the same patient.
            let text = rng.pick(SynthVocabulary.routineNotes)
            let system = rng.pick(known)
            let day = t / 1440 * 1440
            // One series a day for a person: two would put the same note on one shift twice (one fact).
            guard stableContents[person].insert("routine|\(day)").inserted else { return }
            for shift in 0..<rng.int(2...3) {
                single(
                    system, person, at: day + 6 * 60 + 30 + shift * 8 * 60 + rng.int(0...40), effective: nil, .note,
                    Content(label: "Transmission", text: text))
            }
        case .dailyMedication:
            // The same drug given every day at 08:00, each administration its own fact.
            let targets = systems(of: person, carrying: .medication)
            guard let system = targets.first else { return }
            var drug = rng.pick(SynthVocabulary.drugs)
            let day = t / 1440, days = rng.int(3...5)
            // A drug this person is not given at 08:00 on those days yet: a second series of the same drug
            // over the same days would be the same administrations typed twice (a re-entry, not two facts).
            func key(_ name: String, _ offset: Int) -> String { "daily|\(name)|\(day + offset)" }
            for _ in 0..<64 where (0..<days).contains(where: { stableContents[person].contains(key(drug.name, $0)) }) {
                drug = rng.pick(SynthVocabulary.drugs)
            }
            guard !(0..<days).contains(where: { stableContents[person].contains(key(drug.name, $0)) }) else { return }
            for offset in 0..<days {
                stableContents[person].insert(key(drug.name, offset))
                let effective = (day + offset) * 1440 + 8 * 60
                single(
                    system, person, at: effective + rng.int(3...35), effective: effective, .medication,
                    Content(label: drug.name, value: drug.dose, unit: drug.unit, text: drug.route))
            }
        case .twoPatientsSameText:
            let other = rng.int(0...(site.persons.count - 1))
            guard other != person else { return }
            let system = rng.pick(known)
            guard site.identities[other][system] != nil else { return }
            let text = Content(label: "Transmission ciblée", text: freshNoteText(for: [person, other]))
            single(system, person, at: t, effective: nil, .note, text)
            single(system, other, at: t + rng.int(1...60), effective: nil, .note, text)
        case .beyondWindow:
            // The same content for the same patient, but after the 72 h window: a new fact.
            let category: Category = rng.pick([.note, .vitalSign, .carePlan])
            let content =
                category == .note
                ? Content(label: "Transmission", text: freshNoteText(for: [person]))
                : category == .vitalSign ? vital() : self.content(for: .carePlan, person: person)
            let effective = category == .vitalSign ? t - 10 : nil
            let later = rng.int(74...120) * 60
            single(rng.pick(known), person, at: t, effective: effective, category, content)
            single(rng.pick(known), person, at: t + later, effective: effective.map { $0 + later }, category, content)
        case .otherCategory:
            // The same words as a note and as a care plan item.
            let text = content(for: .carePlan, person: person).text
            single(rng.pick(known), person, at: t, effective: nil, .note, Content(label: "Transmission", text: text))
            single(
                rng.pick(known), person, at: t + rng.int(5...240), effective: nil, .carePlan,
                Content(label: "Plan de soins", text: text))
        case .homonyms:
            guard !homonyms.isEmpty else { return }
            let (a, b) = rng.pick(homonyms)
            let systemsA = site.identities[a].indices.filter { site.identities[a][$0] != nil }
            let systemsB = site.identities[b].indices.filter { site.identities[b][$0] != nil }
            let content = rng.chance(0.5) ? vital() : Content(label: "Transmission", text: freshNoteText(for: [a, b]))
            let category: Category = content.vital != nil ? .vitalSign : .note
            let effective = content.vital != nil ? t - 15 : nil
            single(rng.pick(systemsA), a, at: t, effective: effective, category, content)
            single(rng.pick(systemsB), b, at: t + rng.int(5...300), effective: effective, category, content)
        }
        site.hardNegatives[kind, default: 0] += 1
    }
}
