/// Phrases that an establishment's systems put around what staff type — copy markers (`Report du DPI -`),
/// headings, team or shift tags (`[Équipe B]`), a trailing `(cf. dossier)` — set aside before content is
/// compared, so that a re-entry wrapped in them still matches its original.
///
/// Phrases are folded words (`TextFolding.foldWords`: lowercase, accents and punctuation removed, one
/// space between words). They come from two sources: learned from the audit's own exports
/// (`BoilerplateLearner`) and added by the analyst in the settings file; the analyst can also veto a
/// learned phrase. A phrase is only ever stripped when something is left after it.
public struct Boilerplate: Sendable {
    /// Where a phrase stands in the field.
    public enum Position: String, Sendable, Codable, CaseIterable {
        case leading, trailing
    }

    /// Which field a phrase was found in (it is set aside in both).
    public enum Field: String, Sendable, Codable, CaseIterable {
        case label, text
    }

    /// Where a phrase comes from.
    public enum Source: String, Sendable, Codable {
        case learned, configured
    }

    /// One phrase, as the method section lists it.
    public struct Phrase: Sendable, Equatable, Codable {
        /// Folded words of the phrase.
        public var text: String
        public var position: Position
        /// Field it was learned in (configured phrases: `text`).
        public var field: Field
        public var source: Source
        /// Site and systems it was learned on (empty for configured phrases).
        public var site: String
        public var systems: [String]
        /// Times it was seen in front of (or after) other content in the learning sample.
        public var occurrences: Int
        /// Distinct contents it was seen with (an estimate).
        public var distinctContents: Int

        public init(
            text: String, position: Position, field: Field = .text, source: Source = .configured, site: String = "",
            systems: [String] = [], occurrences: Int = 0, distinctContents: Int = 0
        ) {
            self.text = text
            self.position = position
            self.field = field
            self.source = source
            self.site = site
            self.systems = systems
            self.occurrences = occurrences
            self.distinctContents = distinctContents
        }
    }

    /// Every phrase in force, learned and configured, in a stable order.
    public let phrases: [Phrase]
    /// Learned phrases the analyst vetoed (listed, not applied).
    public let vetoed: [Phrase]
    /// Routine notes learned from the audit (a short note a system carries again and again): normalized
    /// words, as the method section lists them, and their hashes.
    public let routineNotes: [String]
    let routineHashes: HashSlots

    /// Whether normalized note words are a routine note learned from this audit.
    @inline(__always)
    public func isLearnedRoutine(_ words: UnsafeRawBufferPointer) -> Bool {
        !routineNotes.isEmpty && routineHashes.contains(StableHasher.hash(words))
    }

    /// The learned routine notes' words, for notes cut short.
    let routineWords: [[UInt8]]

    private let leading: HashSlots
    private let trailing: HashSlots
    /// First word of each leading phrase, last word of each trailing one: one look-up rules most fields out.
    private let leadingFirstWords: HashSlots
    private let trailingLastWords: HashSlots
    private let maxLeadingWords: Int
    private let maxTrailingWords: Int

    /// No phrase: content is compared as it is (after the shipped copy markers).
    public static let none = Boilerplate(phrases: [])

    public var isEmpty: Bool { phrases.isEmpty }

    /// The same phrases with these routine notes.
    public func with(routineNotes: [String]) -> Boilerplate {
        Boilerplate(phrases: phrases + vetoed, vetoes: vetoed.map(\.text), routineNotes: routineNotes)
    }

    /// Phrases in force: `phrases` less those whose folded text is in `vetoes` (folded here too).
    public init(phrases: [Phrase], vetoes: [String] = [], routineNotes: [String] = []) {
        self.routineNotes = routineNotes
        routineWords = routineNotes.map { Array($0.utf8) }
        routineHashes = HashSlots(routineNotes.map { (Self.wordsHash($0), 0) })
        let vetoed = Set(vetoes.map { Self.foldedWords($0) }.filter { !$0.isEmpty })
        var kept: [Phrase] = []
        var refused: [Phrase] = []
        for var phrase in phrases {
            phrase.text = Self.foldedWords(phrase.text)
            guard !phrase.text.isEmpty else { continue }
            if vetoed.contains(phrase.text) {
                refused.append(phrase)
                continue
            }
            kept.append(phrase)
        }
        self.phrases = kept
        self.vetoed = refused
        var leadingPairs: [(UInt64, Int)] = [], trailingPairs: [(UInt64, Int)] = []
        var firstWords: [(UInt64, Int)] = [], lastWords: [(UInt64, Int)] = []
        var maxLeading = 0, maxTrailing = 0
        for phrase in kept {
            let words = phrase.text.split(separator: " ")
            let hash = Self.hash(phrase.text)
            switch phrase.position {
            case .leading:
                leadingPairs.append((hash, words.count))
                firstWords.append((Self.hash(String(words[0])), 1))
                maxLeading = max(maxLeading, words.count)
            case .trailing:
                trailingPairs.append((hash, words.count))
                lastWords.append((Self.hash(String(words[words.count - 1])), 1))
                maxTrailing = max(maxTrailing, words.count)
            }
        }
        leading = HashSlots(leadingPairs)
        trailing = HashSlots(trailingPairs)
        leadingFirstWords = HashSlots(firstWords)
        trailingLastWords = HashSlots(lastWords)
        maxLeadingWords = maxLeading
        maxTrailingWords = maxTrailing
    }

    /// Most phrases stripped from each end of one field (a team tag, then a copy marker).
    static let maxStrips = 2

    /// `words` (folded, one space between words) without the phrases in force at its start and end,
    /// the longest first; never empty when `words` is not.
    @inline(__always)
    public func strip(_ words: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        if words.isEmpty || (maxLeadingWords == 0 && maxTrailingWords == 0) { return words }
        var start = 0, end = words.count
        if maxLeadingWords > 0 {
            for _ in 0..<Self.maxStrips {
                guard let next = strippedLeading(words, start, end) else { break }
                start = next
            }
        }
        if maxTrailingWords > 0 {
            for _ in 0..<Self.maxStrips {
                guard let next = strippedTrailing(words, start, end) else { break }
                end = next
            }
        }
        return UnsafeRawBufferPointer(rebasing: words[start..<end])
    }

    /// Whether `words` (what `strip` left of a field) is itself a phrase in force: the field held
    /// nothing but boilerplate (`Sumon Glixvus gisto -`: a system's heading label and its copy marker).
    public func isPhrase(_ words: UnsafeRawBufferPointer) -> Bool {
        guard !words.isEmpty, maxLeadingWords > 0 || maxTrailingWords > 0 else { return false }
        let hash = Self.hash(words, 0, words.count)
        return leading.contains(hash) || trailing.contains(hash)
    }

    /// Start of what follows a leading phrase of `words[start..<end]`, or nil.
    private func strippedLeading(_ words: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int? {
        var space = start
        while space < end, words[space] != 0x20 { space += 1 }
        guard space < end, leadingFirstWords.contains(Self.hash(words, start, space)) else { return nil }
        // Ends of the candidate phrases (each followed by at least one word), shortest first.
        var ends: [Int] = [space]
        while ends.count < maxLeadingWords {
            var next = ends[ends.count - 1] + 1
            while next < end, words[next] != 0x20 { next += 1 }
            guard next < end else { break }
            ends.append(next)
        }
        for phraseEnd in ends.reversed() where leading.contains(Self.hash(words, start, phraseEnd)) {
            return phraseEnd + 1
        }
        return nil
    }

    /// End of what precedes a trailing phrase of `words[start..<end]`, or nil.
    private func strippedTrailing(_ words: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int? {
        var space = end - 1
        while space >= start, words[space] != 0x20 { space -= 1 }
        guard space >= start, trailingLastWords.contains(Self.hash(words, space + 1, end)) else { return nil }
        var starts: [Int] = [space]
        while starts.count < maxTrailingWords {
            var previous = starts[starts.count - 1] - 1
            while previous >= start, words[previous] != 0x20 { previous -= 1 }
            guard previous >= start else { break }
            starts.append(previous)
        }
        for phraseStart in starts.reversed() where trailing.contains(Self.hash(words, phraseStart + 1, end)) {
            return phraseStart
        }
        return nil
    }

    @inline(__always)
    static func hash(_ words: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> UInt64 {
        StableHasher.hash(UnsafeRawBufferPointer(rebasing: words[start..<end]), seed: 0x424F_494C)
    }

    static func hash(_ text: String) -> UInt64 {
        var copy = text
        return copy.withUTF8 { StableHasher.hash(UnsafeRawBufferPointer($0), seed: 0x424F_494C) }
    }

    static func wordsHash(_ words: String) -> UInt64 {
        var copy = words
        return copy.withUTF8 { StableHasher.hash(UnsafeRawBufferPointer($0)) }
    }

    /// The folded words of a phrase as an analyst types it (`Report du DPI -` → `report du dpi`).
    public static func foldedWords(_ text: String) -> String {
        let input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: TextFolding.maximumFoldedCount(input.count))
        let count = input.withUnsafeBytes { bytes in
            output.withUnsafeMutableBufferPointer { TextFolding.foldWords(bytes, writingTo: $0.baseAddress!).count }
        }
        return String(decoding: output[0..<count], as: UTF8.self)
    }
}
