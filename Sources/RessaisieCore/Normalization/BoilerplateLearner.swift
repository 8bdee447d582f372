/// Learns an establishment's boilerplate from its own exports: the leading and trailing phrases that a
/// system puts in front of (or after) many *different* contents, in labels and in texts.
///
/// Fed with the folded words of each field of a sample of rows (per site and system), it keeps for every
/// candidate phrase (the first 1–4 words of a field, the last 1–3) how often it is seen, and for those
/// seen a few times: a 64-bit bitmap of the contents that follow it and of the words that come right
/// after it (distinct counts by linear counting), a few of those contents, and how often the phrase is a
/// field on its own. A phrase is boilerplate when:
///
/// - it wraps at least `minimumOccurrences` fields and at least `minimumContents` different contents,
///   followed by at least `minimumNextWords` different words (`recopie du` is always followed by `dpi`:
///   only `recopie du dpi` qualifies);
/// - **what it wraps also stands on its own elsewhere on the site** (in any system, without the phrase),
///   for at least `minimumEvidence` of the contents kept and `evidenceShare` of them: a copy marker wraps
///   a content that was typed plain in the original system, whereas a first word that is content
///   (`pansement réalisé`, `toilette réalisée`) leaves words that are never a field of their own;
/// - it is rarely a whole field itself (`RAS`, a drug name: content, never boilerplate), has no digit (a
///   dose, a date, a room number are content), and is not a routine note or a label the vocabulary knows.
public struct BoilerplateLearner: Sendable {
    /// Thresholds of the decision (see the type's documentation).
    public struct Settings: Sendable {
        public var maxLeadingWords = 4
        public var maxTrailingWords = 3
        public var minimumOccurrences = 8
        public var minimumContents = 6
        public var minimumNextWords = 3
        public var minimumEvidence = 3
        public var evidenceShare = 0.2
        /// Largest share of the phrase's occurrences as a whole field.
        public var maxAloneShare = 0.1
        /// A heading: in front of this share of a system's fields at least, before this many contents and
        /// next words at least.
        public var headingShare = 0.3
        public var headingContents = 24
        public var headingNextWords = 8
        /// A routine note: a short note seen this many times at least in one system, and in this share of
        /// its notes.
        public var routineMinimum = 10
        public var routineShare = 0.002
        public init() {}
    }

    public var settings: Settings
    /// Fields observed.
    public private(set) var fieldsObserved = 0

    /// Count of each candidate (key: scope, field, position, phrase) and of each field on its own (key:
    /// scope, field, whole field), saturating.
    private var counts: [UInt64: UInt32] = [:]
    /// Candidates seen `promoteAt` times or more: what follows them.
    private var stats: [UInt64: Candidate] = [:]
    /// Every whole field of the sample, per site and field (after the phrases it may start with).
    private var wholes = Set<UInt64>()
    /// Every field of the sample less its first one to `wrappedWords` words, keyed by site, field, the
    /// words taken off and the rest: a content stands alone elsewhere also when it is only wrapped there in
    /// a phrase learned as boilerplate (every system of a site may put its heading on every field).
    private var wrapped = Set<UInt64>()
    static let wrappedWords = 3
    /// Site and system of each scope hash.
    private var scopes: [UInt64: Scope] = [:]
    /// Fields observed per scope and kind of field.
    private var fieldsPerScope: [UInt64: Int] = [:]

    static let promoteAt: UInt32 = 3
    static let reservoirSize = 24

    struct Scope: Sendable, Hashable {
        var site: String
        var system: String
    }

    /// What a candidate phrase wraps: the hash of the whole rest of the field, and of its first
    /// `openingWords` words (0 when it has fewer).
    struct Rest: Sendable, Equatable {
        var whole: UInt64
        var opening: UInt64
    }

    /// Words of a field's opening: a content wrapped in a phrase here and standing alone elsewhere often
    /// differs at its end (a note's closing words, a trailing tag, a copy cut short), rarely at its start.
    static let openingWords = 4

    struct Candidate: Sendable {
        var scope: UInt64
        var site: UInt64
        var field: Boilerplate.Field
        var position: Boilerplate.Position
        var phrase: UInt64
        var text: String
        var contents: UInt64 = 0
        var nextWords: UInt64 = 0
        var reservoir: [Rest] = []
    }

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// Records one field of a row: `words` are its folded words (one space between words). `counted`:
    /// false for another view of a field already observed (its words less some), which adds candidates
    /// and examples but no whole field. `standsAlone`: false for a field beside the entry's content
    /// (the text of a measure), whose being a phrase alone says nothing of the phrase.
    public mutating func observe(
        site: String, system: String, field: Boilerplate.Field, words: UnsafeRawBufferPointer, counted: Bool = true,
        standsAlone: Bool = true
    ) {
        guard !words.isEmpty else { return }
        if counted { fieldsObserved += 1 }
        let (siteHash, scope) = scopeHashes(site: site, system: system)
        let fieldSalt = Self.fieldSalt(field)
        if counted {
            fieldsPerScope[scope ^ fieldSalt, default: 0] += 1
            let whole = Boilerplate.hash(words, 0, words.count)
            wholes.insert(Self.mix(siteHash ^ fieldSalt, whole))
            let opening = Self.openingHash(words, 0..<words.count)
            if opening != 0 { wholes.insert(Self.mix(siteHash ^ fieldSalt ^ Self.openingSalt, opening)) }
            if standsAlone { bump(Self.mix(scope ^ fieldSalt, whole ^ 0x414C_4F4E_45)) }  // the field on its own
        }
        defer {
            if counted { noteWrapped(words, site: siteHash ^ fieldSalt) }
        }

        // Word boundaries: the spaces after the first words and before the last ones.
        var spaces: [Int] = []
        var index = 0
        while index < words.count {
            if words[index] == 0x20 { spaces.append(index) }
            index += 1
        }
        guard !spaces.isEmpty else { return }
        let count = words.count
        for k in 1...min(settings.maxLeadingWords, spaces.count) {
            let phraseEnd = spaces[k - 1]
            let nextEnd = k < spaces.count ? spaces[k] : count
            consider(
                words, phrase: 0..<phraseEnd, rest: phraseEnd + 1..<count, neighbour: phraseEnd + 1..<nextEnd,
                scope: scope, site: siteHash, field: field, position: .leading, salt: fieldSalt)
        }
        for k in 1...min(settings.maxTrailingWords, spaces.count) {
            let phraseStart = spaces[spaces.count - k]
            let previousStart = spaces.count - k - 1 >= 0 ? spaces[spaces.count - k - 1] + 1 : 0
            consider(
                words, phrase: phraseStart + 1..<count, rest: 0..<phraseStart, neighbour: previousStart..<phraseStart,
                scope: scope, site: siteHash, field: field, position: .trailing, salt: fieldSalt)
        }
    }

    static let openingSalt: UInt64 = 0x4F50_454E_494E_47

    /// The site and system of the last field (rows come file by file: one pair for long runs), and their hashes.
    private var lastScope: (site: String, system: String, siteHash: UInt64, scope: UInt64)?

    /// The hash of a site, and of the scope of a site and system (filed in `scopes` when first seen).
    private mutating func scopeHashes(site: String, system: String) -> (site: UInt64, scope: UInt64) {
        if let last = lastScope, last.site == site, last.system == system { return (last.siteHash, last.scope) }
        let siteHash = Self.mix(StableHasher.hash(site), 0x5349_5445)
        let scope = Self.mix(siteHash, StableHasher.hash(system))
        if scopes[scope] == nil { scopes[scope] = Scope(site: site, system: system) }
        lastScope = (site, system, siteHash, scope)
        return (siteHash, scope)
    }

    /// Hash of the first `openingWords` words of `words[range]`, or 0 when it has fewer.
    static func openingHash(_ words: UnsafeRawBufferPointer, _ range: Range<Int>) -> UInt64 {
        var spaces = 0, index = range.lowerBound
        while index < range.upperBound {
            if words[index] == 0x20 {
                spaces += 1
                if spaces == openingWords { return Boilerplate.hash(words, range.lowerBound, index) | 1 }
            }
            index += 1
        }
        return 0
    }

    /// Files `words` less its first words (`wrapped`).
    private mutating func noteWrapped(_ words: UnsafeRawBufferPointer, site: UInt64) {
        var taken = 0, index = 0
        while index < words.count, taken < Self.wrappedWords {
            guard words[index] == 0x20 else {
                index += 1
                continue
            }
            taken += 1
            let phrase = Boilerplate.hash(words, 0, index)
            let rest = Boilerplate.hash(words, index + 1, words.count)
            wrapped.insert(Self.wrappedKey(site: site, phrase: phrase, rest: rest))
            index += 1
        }
    }

    @inline(__always)
    static func wrappedKey(site: UInt64, phrase: UInt64, rest: UInt64) -> UInt64 {
        mix(mix(site, phrase ^ 0x5752_4150), rest)
    }

    private mutating func consider(
        _ words: UnsafeRawBufferPointer, phrase: Range<Int>, rest: Range<Int>, neighbour: Range<Int>, scope: UInt64,
        site: UInt64, field: Boilerplate.Field, position: Boilerplate.Position, salt: UInt64
    ) {
        for index in phrase where words[index] >= 0x30 && words[index] <= 0x39 { return }  // digits are content
        let phraseHash = Boilerplate.hash(words, phrase.lowerBound, phrase.upperBound)
        let key = Self.mix(scope ^ salt ^ (position == .leading ? 0x4C45_4144 : 0x5452_4149), phraseHash)
        let seen = bump(key)
        guard seen >= Self.promoteAt else { return }
        let restHash = Boilerplate.hash(words, rest.lowerBound, rest.upperBound)
        let neighbourHash = Boilerplate.hash(words, neighbour.lowerBound, neighbour.upperBound)
        // One lookup of the candidate, updated in place.
        let slot: Dictionary<UInt64, Candidate>.Index
        if let known = stats.index(forKey: key) {
            slot = known
        } else {
            stats[key] = Candidate(
                scope: scope, site: site, field: field, position: position, phrase: phraseHash,
                text: String(decoding: UnsafeRawBufferPointer(rebasing: words[phrase]), as: UTF8.self))
            slot = stats.index(forKey: key)!
        }
        Self.update(
            &stats.values[slot], words: words, rest: rest, restHash: restHash, neighbour: neighbour,
            neighbourHash: neighbourHash, position: position)
    }

    /// What one more field tells of a candidate phrase (updated in place: no copy of its text and examples).
    private static func update(
        _ candidate: inout Candidate, words: UnsafeRawBufferPointer, rest: Range<Int>, restHash: UInt64,
        neighbour: Range<Int>, neighbourHash: UInt64, position: Boilerplate.Position
    ) {
        candidate.contents |= 1 << (restHash >> 58)
        // Words next to the phrase count for its diversity only when they are words: a drug followed by
        // its many doses is one content, not a heading before many.
        if !neighbour.isEmpty, words[neighbour.lowerBound] > 0x39 {
            candidate.nextWords |= 1 << (neighbourHash >> 58)
        }
        if candidate.reservoir.count < reservoirSize, !candidate.reservoir.contains(where: { $0.whole == restHash }) {
            // Only what follows a leading phrase is judged by its opening: what precedes a trailing one
            // shares its opening with every copy of the content, phrase or not.
            let opening = position == .leading ? openingHash(words, rest) : 0
            candidate.reservoir.append(Rest(whole: restHash, opening: opening))
        }
    }

    @discardableResult
    private mutating func bump(_ key: UInt64) -> UInt32 {
        Self.increment(&counts[key, default: 0])  // one lookup, in place
    }

    /// Adds one to a saturating count and returns it.
    private static func increment(_ count: inout UInt32) -> UInt32 {
        if count != .max { count += 1 }
        return count
    }

    /// Adds what another learner saw (another file of the same audit).
    public mutating func merge(_ other: BoilerplateLearner) {
        fieldsObserved += other.fieldsObserved
        for (key, value) in other.counts {
            let (sum, overflow) = counts[key, default: 0].addingReportingOverflow(value)
            counts[key] = overflow ? .max : sum
        }
        for (key, candidate) in other.stats {
            guard var mine = stats[key] else {
                stats[key] = candidate
                continue
            }
            mine.contents |= candidate.contents
            mine.nextWords |= candidate.nextWords
            for rest in candidate.reservoir
            where mine.reservoir.count < Self.reservoirSize && !mine.reservoir.contains(rest) {
                mine.reservoir.append(rest)
            }
            stats[key] = mine
        }
        wholes.formUnion(other.wholes)
        wrapped.formUnion(other.wrapped)
        scopes.merge(other.scopes) { first, _ in first }
        fieldsPerScope.merge(other.fieldsPerScope, uniquingKeysWith: +)
        notesPerScope.merge(other.notesPerScope, uniquingKeysWith: +)
        for pair in other.notePersonPairs where notePersonPairs.insert(pair).inserted {
            notePersons[pair.note, default: 0] += 1
        }
        notes.merge(other.notes) { (count: $0.count + $1.count, text: $0.text) }
    }

    /// Short notes (at most `routineMaxWords` words), counted per site and system: a note a system carries
    /// again and again **for the same persons** is a routine note (`RAS`, `Nuit calme`, and each system's
    /// own, `Pas de pla.`), written on every shift; a short text many persons each have once (`Bas de
    /// contention le matin` in care plans) is a fact about each of them.
    private var notes: [UInt64: (count: Int, text: String)] = [:]
    private var notesPerScope: [UInt64: Int] = [:]
    /// (note, person) pairs seen; `notePersons` counts the persons of each note.
    private var notePersonPairs: Set<NotePerson> = []
    private var notePersons: [UInt64: Int] = [:]
    private struct NotePerson: Hashable, Sendable {
        var note: UInt64
        var person: UInt64
    }
    static let routineMaxWords = 5
    /// A routine note is written at least this many times per person who has it, on average.
    static let routineTimesPerPerson = 1.5

    /// Records the words of a note's text (as compared: a shipped copy marker removed) and the person's
    /// identifier in the export (empty when unknown: then every such note counts as one person's, and only
    /// how often it is written decides).
    public mutating func observeNote(
        site: String, system: String, words: UnsafeRawBufferPointer,
        person: UnsafeRawBufferPointer = .init(start: nil, count: 0)
    ) {
        let scope = scopeHashes(site: site, system: system).scope
        notesPerScope[scope, default: 0] += 1
        var spaces = 0
        for byte in words {
            if byte == 0x20 { spaces += 1 }
            if byte >= 0x30 && byte <= 0x39 { return }  // a number makes it a fact of its own
        }
        guard spaces < Self.routineMaxWords, words.count < 48 else { return }
        let key = Self.mix(scope, StableHasher.hash(words))
        if let known = notes[key] {
            notes[key]!.count = known.count + 1
        } else {
            notes[key] = (1, String(decoding: words, as: UTF8.self))
        }
        let personHash = person.isEmpty ? 0 : StableHasher.hash(person)
        if notePersonPairs.insert(NotePerson(note: key, person: personHash)).inserted {
            notePersons[key, default: 0] += 1
        }
    }

    /// The routine notes: short notes seen at least `routineMinimum` times in one system and in at least
    /// `routineShare` of its notes, written as `boilerplate` compares them.
    public func routineNotes(_ boilerplate: Boilerplate, vocabulary: ClinicalVocabulary = .shared) -> [String] {
        var seen = Set<String>()
        var texts: [String] = []
        for (key, note) in notes where note.count >= settings.routineMinimum {
            // Written again and again for the same persons, not once for each of many.
            guard Double(note.count) >= Self.routineTimesPerPerson * Double(notePersons[key] ?? note.count) else {
                continue
            }
            let scope = notesPerScope.first { Self.mix($0.key, StableHasher.hash(note.text)) == key }
            guard let total = scope?.value, Double(note.count) >= settings.routineShare * Double(total) else {
                continue
            }
            let words = Array(note.text.utf8).withUnsafeBytes { raw -> String in
                var expanded: [UInt8] = []
                vocabulary.appendWords(boilerplate.strip(raw), expanding: true, to: &expanded)
                return String(decoding: expanded, as: UTF8.self)
            }
            guard !words.isEmpty, !vocabulary.isRoutine(words), seen.insert(words).inserted else { continue }
            texts.append(words)
        }
        return texts.sorted()
    }

    /// Distinct values behind a 64-bit bitmap of their hashes (linear counting).
    static func distinct(_ bitmap: UInt64) -> Int {
        let set = bitmap.nonzeroBitCount
        if set >= 64 { return 64 * 4 }
        return Int((-64.0 * log(1.0 - Double(set) / 64.0)).rounded())
    }

    /// The phrases that pass the decision, in a stable order (site, system, field, position, text);
    /// `vocabulary` rules out routine notes and known labels.
    public func learned(vocabulary: ClinicalVocabulary = .shared) -> [Boilerplate.Phrase] {
        // Rounds: a phrase learned in one round (a heading on every field of a system) lets the contents it
        // wraps stand alone in the next, so that what comes after it there (a copy marker behind the
        // heading) finds its evidence. Until a round learns nothing new, three rounds at most.
        var accepted: [UInt64: Candidate] = [:]
        var leadingBySite: [UInt64: [UInt64]] = [:]  // site ^ field salt → leading phrases learned
        for _ in 0..<3 {
            var added = false
            for (key, candidate) in stats where accepted[key] == nil {
                let salt = Self.fieldSalt(candidate.field)
                let wrappers = leadingBySite[candidate.site ^ salt] ?? []
                let standsAlone = { (rest: Rest) in
                    wholes.contains(Self.mix(candidate.site ^ salt, rest.whole))
                        || (rest.opening != 0
                            && wholes.contains(Self.mix(candidate.site ^ salt ^ Self.openingSalt, rest.opening)))
                        || wrappers.contains {
                            $0 != candidate.phrase
                                && wrapped.contains(
                                    Self.wrappedKey(site: candidate.site ^ salt, phrase: $0, rest: rest.whole))
                        }
                }
                guard passes(candidate, key: key, standsAlone: standsAlone, vocabulary: vocabulary) else { continue }
                accepted[key] = candidate
                added = true
            }
            guard added else { break }
            leadingBySite = [:]
            for candidate in accepted.values where candidate.position == .leading {
                leadingBySite[candidate.site ^ Self.fieldSalt(candidate.field), default: []].append(candidate.phrase)
            }
        }
        var bySystem: [String: Boilerplate.Phrase] = [:]
        for (key, candidate) in accepted {
            let occurrences = Int(counts[key] ?? 0)
            let contents = Self.distinct(candidate.contents)
            let scope = scopes[candidate.scope] ?? Scope(site: "", system: "")
            // One line per site, field, position and phrase; its systems listed.
            let id = [scope.site, candidate.field.rawValue, candidate.position.rawValue, candidate.text].joined(
                separator: "\u{1F}")
            if var known = bySystem[id] {
                known.systems.append(scope.system)
                known.occurrences += occurrences
                known.distinctContents = max(known.distinctContents, contents)
                bySystem[id] = known
            } else {
                bySystem[id] = Boilerplate.Phrase(
                    text: candidate.text, position: candidate.position, field: candidate.field, source: .learned,
                    site: scope.site, systems: [scope.system], occurrences: occurrences, distinctContents: contents)
            }
        }
        return bySystem.values.map { phrase in
            var phrase = phrase
            phrase.systems.sort()
            return phrase
        }.sorted { a, b in
            (a.site, a.field.rawValue, a.position.rawValue, a.text) < (
                b.site, b.field.rawValue, b.position.rawValue, b.text
            )
        }
    }

    static func fieldSalt(_ field: Boilerplate.Field) -> UInt64 { field == .label ? 0x4C41_4245_4C : 0x5445_5854 }

    /// Whether `candidate` (filed under `key`) is boilerplate; `standsAlone` tells whether a content it
    /// wraps is seen elsewhere on the site without it.
    private func passes(
        _ candidate: Candidate, key: UInt64, standsAlone: (Rest) -> Bool, vocabulary: ClinicalVocabulary
    ) -> Bool {
        let fieldSalt = Self.fieldSalt(candidate.field)
        let occurrences = Int(counts[key] ?? 0)
        guard occurrences >= settings.minimumOccurrences else { return false }
        let contents = Self.distinct(candidate.contents)
        guard contents >= settings.minimumContents, Self.distinct(candidate.nextWords) >= settings.minimumNextWords
        else { return false }
        let alone = Int(counts[Self.mix(candidate.scope ^ fieldSalt, candidate.phrase ^ 0x414C_4F4E_45)] ?? 0)
        guard Double(alone) <= settings.maxAloneShare * Double(occurrences) else { return false }
        let evidence = candidate.reservoir.filter(standsAlone).count
        let supported =
            evidence >= settings.minimumEvidence
            && Double(evidence) >= settings.evidenceShare * Double(candidate.reservoir.count)
        // A heading a system puts on most of its fields, before contents of every kind, is boilerplate
        // even where no plain copy of those contents was seen (the other systems' copies are noisy).
        let fields = fieldsPerScope[candidate.scope ^ fieldSalt] ?? 0
        let heading =
            Double(occurrences) >= settings.headingShare * Double(fields)
            && contents >= settings.headingContents
            && Self.distinct(candidate.nextWords) >= settings.headingNextWords
        guard supported || heading else { return false }
        return !Self.isContent(candidate.text, vocabulary)
    }

    /// A routine note or a label the vocabulary knows is content, never boilerplate.
    static func isContent(_ text: String, _ vocabulary: ClinicalVocabulary) -> Bool {
        var copy = text
        return copy.withUTF8 { bytes in
            let raw = UnsafeRawBufferPointer(bytes)
            return vocabulary.routineTexts.contains(StableHasher.hash(raw))
                || vocabulary.conceptByLabel.contains(StableHasher.hash(raw))
        }
    }

    @inline(__always)
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var x = (a ^ (b &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9
        x ^= x >> 31
        return x &* 0x94D0_49BB_1331_11EB ^ (x >> 29)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Musl)
    import Musl
#endif
