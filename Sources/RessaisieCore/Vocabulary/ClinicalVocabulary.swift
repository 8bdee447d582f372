/// The shipped French clinical vocabulary that content normalization reads: label variants of common
/// measurements mapped to concepts (with LOINC codes), unit spellings, note abbreviations, routine notes
/// and the words that open a copied text ("Recopié : …").
///
/// The tables are `Vocabulary/Resources/{concepts,units,abbreviations,routine_notes,copy_markers}.tsv`;
/// they are read once into hash tables keyed by the 64-bit hash of the normalized form, so that lookups
/// on the ingest path allocate nothing.
public struct ClinicalVocabulary: Sendable {
    /// A measurement concept: `body_temperature`, `blood_pressure`…
    public struct Concept: Sendable, Equatable {
        public var id: String
        public var loinc: String
        /// Canonical unit assumed when an entry gives none.
        public var defaultUnit: String
    }

    public let concepts: [Concept]
    public let units: [String]
    let conceptByLabel: HashSlots
    let unitByVariant: HashSlots
    /// Abbreviation hash → index in `expansionWords` (normalized words).
    let expansions: HashSlots
    let expansionWords: [[UInt8]]
    /// Per first byte of a word, a bit per length (1…31) of the abbreviations that start with it: most
    /// words are ruled out without hashing.
    let abbreviationShapes: [UInt32]
    let routineTexts: HashSlots
    /// The routine notes' normalized words, for notes cut short (`RoutineNotes.isCutShort`).
    let routineWords: [[UInt8]]
    let copyMarkers: HashSlots

    public static let shared = ClinicalVocabulary()

    init() {
        var concepts: [Concept] = []
        var conceptByLabel: [(UInt64, Int)] = []
        var units: [String] = []
        var unitByVariant: [(UInt64, Int)] = []
        for row in Vocabulary.table(VocabularyData.units) {
            for variant in [row[0]] + row[1].split(separator: "|").map(String.init) {
                unitByVariant.append((Self.hash(Self.unitKey(variant)), units.count))
            }
            units.append(row[0])
        }
        for row in Vocabulary.table(VocabularyData.concepts) {
            for variant in row[3].split(separator: "|") {
                conceptByLabel.append((Self.hash(Self.words(String(variant), expanding: false)), concepts.count))
            }
            concepts.append(Concept(id: row[0], loinc: row[1], defaultUnit: row[2]))
        }
        var expansions: [(UInt64, Int)] = []
        var expansionWords: [[UInt8]] = []
        var shapes = [UInt32](repeating: 0, count: 256)
        for row in Vocabulary.table(VocabularyData.abbreviations) {
            expansions.append((Self.hash(row[0]), expansionWords.count))
            expansionWords.append(Array(row[1].utf8))
            let word = Array(row[0].utf8)
            shapes[Int(word[0])] |= 1 << UInt32(min(word.count, 31))
        }
        self.concepts = concepts
        self.conceptByLabel = HashSlots(conceptByLabel)
        self.units = units
        self.unitByVariant = HashSlots(unitByVariant)
        self.expansions = HashSlots(expansions)
        self.expansionWords = expansionWords
        abbreviationShapes = shapes
        // Routine notes and markers are normalized with the expansions above, as entries will be.
        let partial = ClinicalVocabulary(expansions: self.expansions, words: expansionWords, shapes: shapes)
        let routine = Vocabulary.table(VocabularyData.routine_notes).map { partial.normalizedWords($0[0]) }
        routineTexts = HashSlots(routine.map { (Self.hash($0), 0) })
        routineWords = routine.map { Array($0.utf8) }
        copyMarkers = HashSlots(
            Vocabulary.table(VocabularyData.copy_markers).map { (Self.hash(Self.words($0[0], expanding: false)), 0) })
    }

    private init(expansions: HashSlots, words: [[UInt8]], shapes: [UInt32]) {
        concepts = []
        units = []
        conceptByLabel = HashSlots([])
        unitByVariant = HashSlots([])
        self.expansions = expansions
        expansionWords = words
        abbreviationShapes = shapes
        routineTexts = HashSlots([])
        routineWords = []
        copyMarkers = HashSlots([])
    }

    /// The concept a label names (`T°`, `Temp.`, `tension artérielle`), or nil.
    public func concept(forLabel label: String) -> Concept? {
        conceptByLabel[Self.hash(Self.words(label, expanding: false))].map { concepts[$0] }
    }

    /// The canonical spelling of a unit (`mm Hg` → `mm[hg]`, `bpm` → `/min`), or nil when unknown.
    public func canonicalUnit(_ unit: String) -> String? {
        unitByVariant[Self.hash(Self.unitKey(unit))].map { units[$0] }
    }

    /// Whether a text is a routine note ("RAS", "Nuit calme") once normalized.
    public func isRoutine(_ text: String) -> Bool {
        routineTexts.contains(Self.hash(normalizedWords(text)))
    }

    /// The words of `text` as content normalization sees them: folded, punctuation as spaces,
    /// abbreviations expanded (`Pst refait, pt calme` → `pansement refait patient calme`).
    /// Folded with `TextFolding.foldWords`, as `ContentFingerprinter` folds an entry's text.
    public func normalizedWords(_ text: String) -> String {
        let input = Array(text.utf8)
        var folded = [UInt8](repeating: 0, count: TextFolding.maximumFoldedCount(input.count))
        let count = input.withUnsafeBytes { bytes in
            folded.withUnsafeMutableBufferPointer { TextFolding.foldWords(bytes, writingTo: $0.baseAddress!).count }
        }
        var output: [UInt8] = []
        _ = folded[..<count].withUnsafeBytes { appendWords($0, expanding: true, to: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    // MARK: Building blocks shared with ContentFingerprinter

    /// Whether the byte at `index` of folded text belongs to a word: ASCII letters and digits, and any
    /// character beyond Latin-1's symbols (`°`, `«`, `²`… of U+0080–U+00BF are separators, `µ` excepted).
    @inline(__always)
    static func isWordByte(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Bool {
        let byte = bytes[index]
        if byte < 0x80 { return (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) }
        if byte == 0xC2, index + 1 < bytes.count { return bytes[index + 1] == 0xB5 }
        if byte >= 0x80 && byte < 0xC0, index > 0, bytes[index - 1] == 0xC2 { return bytes[index] == 0xB5 }
        return true
    }

    /// Appends the words of folded `bytes` to `output`, separated by one space; each word found in the
    /// abbreviation table is replaced by its expansion when `expanding`. Returns the number of words read.
    @discardableResult
    func appendWords(_ bytes: UnsafeRawBufferPointer, expanding: Bool, to output: inout [UInt8]) -> Int {
        var words = 0
        var index = 0
        let count = bytes.count
        while index < count {
            while index < count, !Self.isWordByte(bytes, at: index) { index += 1 }
            guard index < count else { break }
            let start = index
            // A word ends at a space or punctuation, and where digits meet letters (`14h`, `1g`, `spo2`).
            let startsWithDigit = bytes[index] >= 0x30 && bytes[index] <= 0x39
            while index < count, Self.isWordByte(bytes, at: index),
                (bytes[index] >= 0x30 && bytes[index] <= 0x39) == startsWithDigit
            {
                index += 1
            }
            guard index > start else { break }
            words += 1
            if !output.isEmpty { output.append(0x20) }
            if startsWithDigit, let fraction = TextFolding.decimalFraction(bytes, at: index) {
                // A decimal number, written the canonical way: `12,0` → `12`, `2,50` → `2.5`.
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
                if fraction.kept > 0 {
                    output.append(UInt8(ascii: "."))
                    output.append(
                        contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index + 1..<index + 1 + fraction.kept]))
                }
                index = fraction.end
                continue
            }
            let word = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
            if expanding, word.count < 32, abbreviationShapes[Int(word[0])] & (1 << UInt32(word.count)) != 0,
                let expansion = expansions[StableHasher.hash(word)]
            {
                output.append(contentsOf: expansionWords[expansion])
            } else {
                output.append(contentsOf: word)
            }
        }
        return words
    }

    /// Whether any word of normalized `words` (one space between words) is an abbreviation to expand.
    func hasExpansion(in words: UnsafeRawBufferPointer) -> Bool {
        var start = 0
        let count = words.count
        while start < count {
            var end = start
            while end < count, words[end] != 0x20 { end += 1 }
            let length = end - start
            if length < 32, abbreviationShapes[Int(words[start])] & (1 << UInt32(length)) != 0,
                expansions.contains(StableHasher.hash(UnsafeRawBufferPointer(rebasing: words[start..<end])))
            {
                return true
            }
            start = end + 1
        }
        return false
    }

    static func hash(_ string: String) -> UInt64 {
        var copy = string
        return copy.withUTF8 { StableHasher.hash(UnsafeRawBufferPointer($0)) }
    }

    /// Words of a string, folded, without expansion (labels and markers as the tables write them).
    static func words(_ string: String, expanding: Bool) -> String {
        var folded: [UInt8] = []
        var copy = string
        copy.withUTF8 { TextFolding.fold(UnsafeRawBufferPointer($0), mode: .text, into: &folded) }
        var output: [UInt8] = []
        let plain = ClinicalVocabulary(expansions: HashSlots([]), words: [], shapes: [])
        _ = folded.withUnsafeBytes { plain.appendWords($0, expanding: false, to: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    /// A unit folded with white space removed (`mm Hg` → `mmhg`).
    static func unitKey(_ string: String) -> String {
        TextFolding.fold(string, mode: .text).filter { $0 != " " }
    }
}
