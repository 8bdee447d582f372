#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Musl)
    import Musl
#endif

/// What content normalization makes of one entry: the fingerprint of its normalized content, the words
/// typed (for the cost model), a sketch of its free text for near-duplicate matching, and whether the
/// text is a routine note.
public struct ContentSummary: Sendable {
    public var fingerprint: UInt64
    public var textWords: UInt16
    public var sketch: TextSketch?
    public var isRoutine: Bool
}

/// Computes the 64-bit fingerprint of what an entry says, once the ways people write the same thing
/// are set aside:
///
/// - labels folded (case, accents, spacing, punctuation) and mapped to a concept when the shipped
///   vocabulary knows them (`T°`, `Temp.`, `Température` → body temperature; `TA`, `PA` → blood pressure);
/// - values as canonical numbers (`37,50` → `37.5`, `120 / 80` → `120/80`), a unit written inside the
///   value split off (`37,5°C`);
/// - units by their canonical spelling (`°C`, `C`, `Cel`; `mmHg`, `mm Hg`, `mm[Hg]`; `bpm`, `/min`), the
///   concept's usual unit when none is given;
/// - free text folded, punctuation as spaces, abbreviations expanded (`pst` → `pansement`), a copy
///   marker opening the text removed (`Recopié du DPI : …`).
///
/// For notes (`textIsContent`), the label is a heading of the system, not content: two systems file the
/// same transmission under different headings. One fingerprinter per thread: it reuses its buffers, so
/// fingerprinting allocates nothing per entry.
public struct ContentFingerprinter: Sendable {
    private var folded = FoldScratch()
    private var words: [UInt8] = []
    private var number: [UInt8] = []
    private let vocabulary: ClinicalVocabulary
    /// Phrases set aside around labels and texts (learned from the audit, or configured).
    private let boilerplate: Boilerplate

    public init(vocabulary: ClinicalVocabulary = .shared, boilerplate: Boilerplate = .none) {
        self.vocabulary = vocabulary
        self.boilerplate = boilerplate
        bloodPressure = vocabulary.concepts.firstIndex { $0.id == "blood_pressure" } ?? -1
        noUnitPart = Self.unitPart(folded: UnsafeRawBufferPointer(start: nil, count: 0), vocabulary)
        defaultUnitParts = vocabulary.concepts.map { concept in
            Array(ClinicalVocabulary.unitKey(concept.defaultUnit).utf8).withUnsafeBytes {
                Self.unitPart(folded: $0, vocabulary)
            }
        }
        words.reserveCapacity(4096)
        number.reserveCapacity(64)
    }

    /// Texts shorter than this (normalized bytes) get no sketch: exact matching is all they need.
    public static let sketchMinimumBytes = 3

    /// The fingerprint, words, sketch and routine flag of one entry's content.
    public mutating func summarize(
        label: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, unit: UnsafeRawBufferPointer,
        text: UnsafeRawBufferPointer, textIsContent: Bool = false, keyPart: Bool = false
    ) -> ContentSummary {
        var hasher = StableHasher(seed: 0x5245_5353_4149_5349)
        folded.reset()

        // Text first, since whether it is empty decides whether a note's label counts: its words, less a
        // copy marker, abbreviations expanded (into `words`, only when there is one to expand).
        let folding = folded.foldWords(text)
        var content = folding.words
        var spaces = 0
        for byte in content where byte == 0x20 { spaces += 1 }
        let textWords = content.isEmpty ? 0 : UInt16(clamping: spaces + 1)
        func isRoutine(_ content: UnsafeRawBufferPointer) -> Bool {
            !content.isEmpty
                && (vocabulary.routineTexts.contains(StableHasher.hash(content))
                    || boilerplate.isLearnedRoutine(content)
                    || RoutineNotes.isCutShort(content, of: vocabulary.routineWords)
                    || RoutineNotes.isCutShort(content, of: boilerplate.routineWords))
        }
        // A routine note as typed stays one whatever a learned phrase takes off it (`Bonne jour.` where `jour`
        // ends many of the system's texts and was learned as a trailing phrase).
        let routineAsTyped = isRoutine(content)
        content = stripped(content, wordsBeforeColon: folding.wordsBeforeColon)
        let minimum = Self.sketchMinimumBytes
        func textParts(_ content: UnsafeRawBufferPointer, textAlone: Bool = true) -> (
            hash: UInt64, routine: Bool, sketch: TextSketch?
        ) {
            (
                StableHasher.hash(content, seed: 0x5445_5854), (textAlone && routineAsTyped) || isRoutine(content),
                content.count >= minimum ? TextSketch(normalizedText: content, head: 0) : nil
            )
        }
        let hasText = !content.isEmpty
        let includesLabel = !(textIsContent && hasText)
        let concept = includesLabel && !label.isEmpty ? labelPart(label).concept : -1

        // Content whose label is no known measure is compared as a whole: label, value, unit and text as
        // one run of words (less boilerplate), so that a fact split differently across the fields (drug and
        // dose in the label here, the dose in the text there, everything in one free-text field elsewhere)
        // gives one fingerprint, and its near-duplicates are compared on all of it.
        if concept < 0 {
            var stream = content
            let composed =
                (includesLabel && !label.isEmpty) || !value.isEmpty || !unit.isEmpty
                || vocabulary.hasExpansion(in: content)
            if composed {
                words.removeAll(keepingCapacity: true)
                if includesLabel && !label.isEmpty {
                    let labelFolding = folded.foldWords(label)
                    let labelWords = stripped(labelFolding.words, wordsBeforeColon: labelFolding.wordsBeforeColon)
                    // A label of boilerplate alone says nothing when there is other content.
                    if content.isEmpty && value.isEmpty || !boilerplate.isPhrase(labelWords) {
                        vocabulary.appendWords(labelWords, expanding: true, to: &words)
                    }
                }
                appendWhole(value: value, unit: unit)
                if !content.isEmpty { vocabulary.appendWords(content, expanding: true, to: &words) }
                stream = words.withUnsafeBytes { folded.copy(boilerplate.strip($0)) }
            }
            hasher.combine(byte: 0x57)  // whole content
            let head = hasher.finalize()
            // Only a text that is the whole content may be a routine note as typed (not `Toilette : RAS`).
            var (textHash, isRoutine, sketch) = textParts(stream, textAlone: !composed)
            if keyPart, stream.count >= TextSketch.shortLimit {
                // A fact named by its key part (allergen, diagnosis, drug and strength) is compared on its
                // first words, kept whole: a comment added after them does not set a copy apart, and a typo
                // in them is tolerated (never on a digit).
                sketch = TextSketch(normalizedText: Self.keyWords(stream), head: 0)
            }
            hasher.combine(textHash)
            sketch?.head = UInt32(truncatingIfNeeded: head)
            if stream.isEmpty { isRoutine = false }
            return ContentSummary(
                fingerprint: hasher.finalize(), textWords: textWords, sketch: sketch, isRoutine: isRoutine)
        }

        var (textHash, isRoutine, sketch) = (UInt64(0), false, TextSketch?.none)
        if vocabulary.hasExpansion(in: content) {
            words.removeAll(keepingCapacity: true)
            vocabulary.appendWords(content, expanding: true, to: &words)
            (textHash, isRoutine, sketch) = words.withUnsafeBytes { textParts($0) }
        } else {
            (textHash, isRoutine, sketch) = textParts(content)
        }

        // The structured part (label, value, unit) of a measure repeats from entry to entry (the same vital
        // signs): what it adds to the hasher is remembered, keyed by its exact bytes.
        let memoSlot = structuredMemo.slot(label: label, value: value, unit: unit)
        if memoSlot >= 0, let remembered = structuredMemo.hasher(at: memoSlot, label: label, value: value, unit: unit) {
            hasher = remembered
        } else {
            structuredPart(label: label, value: value, unit: unit, into: &hasher)
            if memoSlot >= 0 {
                structuredMemo.remember(hasher, at: memoSlot, label: label, value: value, unit: unit)
            }
        }

        let head = hasher.finalize()
        hasher.combine(textHash)
        sketch?.head = UInt32(truncatingIfNeeded: head)
        return ContentSummary(
            fingerprint: hasher.finalize(), textWords: textWords, sketch: sketch, isRoutine: isRoutine)
    }

    /// The first words of `stream` that fit in a short text (cut at a word boundary).
    static func keyWords(_ stream: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var end = TextSketch.shortLimit - 1
        while end > 0, stream[end] != 0x20 { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: stream[0..<(end > 0 ? end : TextSketch.shortLimit - 1)])
    }

    /// Appends to `words` a value as a canonical number when it is one (`37,50` → `37.5`, a unit written
    /// after it kept apart), else its words; then the unit by its canonical spelling (`mm Hg` → `mmHg`).
    private mutating func appendWhole(value: UnsafeRawBufferPointer, unit: UnsafeRawBufferPointer) {
        var unitInValue = UnsafeRawBufferPointer(start: nil, count: 0)
        if !value.isEmpty {
            let foldedValue = folded.fold(value)
            number.removeAll(keepingCapacity: true)
            if let rest = Self.appendMeasure(foldedValue, to: &number) {
                if !words.isEmpty { words.append(0x20) }
                words.append(contentsOf: number)
                unitInValue = rest
            } else {
                vocabulary.appendWords(foldedValue, expanding: true, to: &words)
            }
        }
        let unitText = unit.isEmpty ? unitInValue : folded.fold(unit)
        guard !unitText.isEmpty else { return }
        let compact = unitText.filter { $0 != 0x20 }
        if !words.isEmpty { words.append(0x20) }
        if let known = compact.withUnsafeBytes({ vocabulary.unitByVariant[StableHasher.hash($0)] }) {
            words.append(contentsOf: vocabulary.units[known].utf8)
        } else {
            words.append(contentsOf: compact)
        }
    }

    /// Words less what opens or closes them without being content: a shipped copy marker (`Recopié du DPI
    /// :`), the phrases in force, and a copy marker that only the phrases hid (`<Équipe B> Copie :`).
    /// `wordsBeforeColon` as `TextFolding.foldWords` gives it.
    private func stripped(_ words: UnsafeRawBufferPointer, wordsBeforeColon: Int) -> UnsafeRawBufferPointer {
        var content = words, beforeColon = wordsBeforeColon
        if beforeColon > 0 {
            let without = Self.withoutCopyMarker(content, words: beforeColon, vocabulary)
            if without.count != content.count { (content, beforeColon) = (without, -1) }
        }
        let kept = boilerplate.strip(content)
        guard beforeColon > 0, kept.count != content.count, let base = content.baseAddress,
            let start = kept.baseAddress,
            start > base
        else { return kept }
        // Words the phrases took off the front: a copy marker may come right after them.
        var removed = 0
        for index in 0..<(start - base) where content[index] == 0x20 { removed += 1 }
        guard beforeColon > removed else { return kept }
        let without = Self.withoutCopyMarker(kept, words: beforeColon - removed, vocabulary)
        return without.isEmpty ? kept : boilerplate.strip(without)
    }

    /// Hands the folded words of a row's label and text to `learner`, as `summarize` would compare them
    /// (the text less a shipped copy marker; a note's label only when it has no text); `person`, the row's
    /// patient identifier as exported, tells a routine note (again and again for the same persons) from a
    /// fact many persons have once.
    public mutating func observe(
        label: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, unit: UnsafeRawBufferPointer,
        text: UnsafeRawBufferPointer, textIsContent: Bool, site: String, system: String,
        person: UnsafeRawBufferPointer = .init(start: nil, count: 0), into learner: inout BoilerplateLearner
    ) {
        folded.reset()
        let folding = folded.foldWords(text)
        var content = folding.words
        if folding.wordsBeforeColon > 0 {
            content = Self.withoutCopyMarker(content, words: folding.wordsBeforeColon, vocabulary)
        }
        if textIsContent, !content.isEmpty {
            learner.observeNote(site: site, system: system, words: content, person: person)
        }
        let includesLabel = !(textIsContent && !content.isEmpty) && !label.isEmpty
        var concept = -1
        if includesLabel {
            number.removeAll(keepingCapacity: true)
            vocabulary.appendWords(folded.fold(label), expanding: false, to: &number)
            number.withUnsafeBytes { learner.observe(site: site, system: system, field: .label, words: $0) }
            concept = labelPart(label).concept
        }
        guard concept < 0, includesLabel || !value.isEmpty || !unit.isEmpty else {
            // Beside a measure, a text made of a phrase alone (a heading on every entry) is no sign that
            // the phrase is content.
            learner.observe(site: site, system: system, field: .text, words: content, standsAlone: concept < 0)
            return
        }
        // Compared as a whole (see `summarize`): label, value, unit and text as one run of words. The text's
        // own leading phrase is set aside before the run is composed, so the run is also observed without
        // the text's first one or two words: a heading label (`Pisal`) before a text that opens with a tag
        // (`<Krunpoun> …`) is then seen wrapping contents that stand alone elsewhere.
        words.removeAll(keepingCapacity: true)
        if includesLabel {
            let labelFolding = folded.foldWords(label)
            var labelWords = labelFolding.words
            if labelFolding.wordsBeforeColon > 0 {
                labelWords = Self.withoutCopyMarker(labelWords, words: labelFolding.wordsBeforeColon, vocabulary)
            }
            vocabulary.appendWords(labelWords, expanding: false, to: &words)
        }
        if !value.isEmpty { vocabulary.appendWords(folded.fold(value), expanding: false, to: &words) }
        if !unit.isEmpty { vocabulary.appendWords(folded.fold(unit), expanding: false, to: &words) }
        let prefixCount = words.count
        if !content.isEmpty { vocabulary.appendWords(content, expanding: false, to: &words) }
        words.withUnsafeBytes { learner.observe(site: site, system: system, field: .text, words: $0) }
        guard prefixCount > 0 else { return }
        var textStart = prefixCount + 1
        for _ in 0..<2 {
            while textStart < words.count, words[textStart] != 0x20 { textStart += 1 }
            guard textStart < words.count else { return }
            textStart += 1
            var view = Array(words[0..<prefixCount])
            view.append(0x20)
            view.append(contentsOf: words[textStart...])
            view.withUnsafeBytes {
                learner.observe(site: site, system: system, field: .text, words: $0, counted: false)
            }
        }
    }

    /// Adds a measure's label, value and unit parts to `hasher`.
    private mutating func structuredPart(
        label: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, unit: UnsafeRawBufferPointer,
        into hasher: inout StableHasher
    ) {
        // Label: a concept, or its words.
        let (labelPart, concept) = labelPart(label)
        hasher.combine(labelPart)
        hasher.combine(byte: 0x1F)

        // Value, and a unit written after it.
        let foldedValue = folded.fold(value)
        var unitInValue = UnsafeRawBufferPointer(start: nil, count: 0)
        number.removeAll(keepingCapacity: true)
        if let rest = Self.appendMeasure(foldedValue, to: &number) {
            unitInValue = rest
            if concept >= 0, concept == bloodPressure { Self.centimetresToMillimetres(&number) }
            number.withUnsafeBytes { hasher.combine(bytes: $0) }
        } else {
            number.removeAll(keepingCapacity: true)
            vocabulary.appendWords(foldedValue, expanding: true, to: &number)
            number.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
        hasher.combine(byte: 0x1F)

        // Unit: canonical spelling, else as written (without spaces), else the concept's own.
        if !unit.isEmpty {
            hasher.combine(unitPart(unit))
        } else if !unitInValue.isEmpty {
            hasher.combine(Self.unitPart(folded: unitInValue, vocabulary))
        } else if concept >= 0, !foldedValue.isEmpty {
            hasher.combine(defaultUnitParts[concept])
        } else {
            hasher.combine(noUnitPart)
        }
        hasher.combine(byte: 0x1F)
    }

    private var structuredMemo = StructuredMemo()

    /// One remembered label or unit: the hash of its raw bytes, what it adds to the fingerprint, its
    /// concept (or -1).
    private struct MemoSlot {
        var raw: UInt64 = 0
        var part: UInt64 = 0
        var concept: Int32 = -1
    }

    /// Labels and units repeat from one entry to the next: what each adds to the fingerprint is kept in
    /// a small direct-mapped memo, keyed by the 64-bit hash of the raw bytes.
    private static let memoSize = 256
    private var labelMemo = [MemoSlot](repeating: MemoSlot(), count: ContentFingerprinter.memoSize)
    private var unitMemo = [MemoSlot](repeating: MemoSlot(), count: ContentFingerprinter.memoSize)
    /// What each concept's usual unit adds to the fingerprint.
    private let defaultUnitParts: [UInt64]
    /// Index of the blood-pressure concept (-1 when the vocabulary has none).
    private let bloodPressure: Int
    /// What an absent unit adds to the fingerprint.
    private let noUnitPart: UInt64

    /// What a label adds to the fingerprint: its concept, or the hash of its words (abbreviations expanded).
    private mutating func labelPart(_ raw: UnsafeRawBufferPointer) -> (part: UInt64, concept: Int) {
        let key = StableHasher.hash(raw) | 1
        let slot = Int(truncatingIfNeeded: key >> 32) & (Self.memoSize - 1)
        if labelMemo[slot].raw == key { return (labelMemo[slot].part, Int(labelMemo[slot].concept)) }
        var foldedLabel = folded.fold(raw)
        number.removeAll(keepingCapacity: true)
        vocabulary.appendWords(foldedLabel, expanding: false, to: &number)
        if !boilerplate.isEmpty {
            // The label's words less its boilerplate, then looked up and expanded as any label.
            let words: [UInt8]? = number.withUnsafeBytes { all in
                let kept = boilerplate.strip(all)
                return kept.count == all.count ? nil : Array(kept)
            }
            if let words {
                foldedLabel = words.withUnsafeBytes { folded.copy($0) }
                number = words
            }
        }
        var result: (part: UInt64, concept: Int)
        if let index = vocabulary.conceptByLabel[number.withUnsafeBytes { StableHasher.hash($0) }] {
            result = (0x0100_0000_0000_0000 | UInt64(index), index)
        } else {
            number.removeAll(keepingCapacity: true)
            vocabulary.appendWords(foldedLabel, expanding: true, to: &number)
            result = (number.withUnsafeBytes { StableHasher.hash($0, seed: 0x4C41_4245_4C) }, -1)
        }
        labelMemo[slot] = MemoSlot(raw: key, part: result.part, concept: Int32(result.concept))
        return result
    }

    /// What a unit field adds to the fingerprint (memoized).
    private mutating func unitPart(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        let key = StableHasher.hash(raw) | 1
        let slot = Int(truncatingIfNeeded: key >> 32) & (Self.memoSize - 1)
        if unitMemo[slot].raw == key { return unitMemo[slot].part }
        let part = Self.unitPart(folded: folded.fold(raw), vocabulary)
        unitMemo[slot] = MemoSlot(raw: key, part: part)
        return part
    }

    /// What a folded unit adds: its canonical spelling's index, else the hash of its bytes without spaces.
    static func unitPart(folded unit: UnsafeRawBufferPointer, _ vocabulary: ClinicalVocabulary) -> UInt64 {
        let compact = unit.filter { $0 != 0x20 }
        return compact.withUnsafeBytes { bytes in
            vocabulary.unitByVariant[StableHasher.hash(bytes)].map { 0x0200_0000_0000_0000 | UInt64($0) }
                ?? StableHasher.hash(bytes, seed: 0x554E_4954)
        }
    }

    /// Convenience for tests and small inputs.
    public mutating func summarize(
        label: String = "", value: String = "", unit: String = "", text: String = "", textIsContent: Bool = false,
        keyPart: Bool = false
    ) -> ContentSummary {
        let fields = [label, value, unit, text].map { Array($0.utf8) }
        return fields[0].withUnsafeBytes { l in
            fields[1].withUnsafeBytes { v in
                fields[2].withUnsafeBytes { u in
                    fields[3].withUnsafeBytes { t in
                        summarize(label: l, value: v, unit: u, text: t, textIsContent: textIsContent, keyPart: keyPart)
                    }
                }
            }
        }
    }

    /// Convenience for tests and small inputs.
    public mutating func fingerprint(label: String = "", value: String = "", unit: String = "", text: String = "")
        -> UInt64
    {
        summarize(label: label, value: value, unit: unit, text: text).fingerprint
    }

    /// A blood pressure written in centimetres of mercury, as French notes often do (`12/8`), in
    /// millimetres (`120/80`): both numbers under 30 are multiplied by 10.
    static func centimetresToMillimetres(_ measure: inout [UInt8]) {
        guard let slash = measure.firstIndex(of: UInt8(ascii: "/")) else { return }
        let parts = [measure[..<slash], measure[(slash + 1)...]].map { Double(String(decoding: $0, as: UTF8.self)) }
        guard let systolic = parts[0], let diastolic = parts[1], systolic < 30, diastolic < 30, systolic > 0,
            diastolic > 0
        else { return }
        var scaled: [UInt8] = []
        for (index, value) in [systolic * 10, diastolic * 10].enumerated() {
            if index == 1 { scaled.append(UInt8(ascii: "/")) }
            let text = value == value.rounded() ? String(Int(value)) : String(value)
            var position = 0
            _ = Array(text.utf8).withUnsafeBytes { ValueNormalization.appendNumber($0, at: &position, to: &scaled) }
        }
        measure = scaled
    }

    /// Words less a copy marker that opens them: a known first word (`recopie`, `copie`, `report`…)
    /// and the rest of the `words` words written before a colon (`Recopié du DPI : …`).
    static func withoutCopyMarker(
        _ text: UnsafeRawBufferPointer, words: Int, _ vocabulary: ClinicalVocabulary
    ) -> UnsafeRawBufferPointer {
        let firstEnd = text.firstIndex(of: 0x20) ?? text.count
        guard vocabulary.copyMarkers.contains(StableHasher.hash(UnsafeRawBufferPointer(rebasing: text[..<firstEnd])))
        else {
            return text
        }
        var seen = 0, index = 0
        while index < text.count {
            if text[index] == 0x20 {
                seen += 1
                if seen == words { return UnsafeRawBufferPointer(rebasing: text[(index + 1)...]) }
            }
            index += 1
        }
        return UnsafeRawBufferPointer(start: nil, count: 0)  // nothing after the marker
    }

    /// Appends the canonical form of a measured value (`37,50` → `37.5`; `120 / 80` → `120/80`) and returns
    /// what follows it (a unit, possibly empty); nil, with nothing appended, when `value` does not start
    /// with a number or what follows is not a unit.
    static func appendMeasure(_ value: UnsafeRawBufferPointer, to output: inout [UInt8]) -> UnsafeRawBufferPointer? {
        var index = 0
        guard ValueNormalization.appendNumber(value, at: &index, to: &output) else { return nil }
        var probe = index
        while probe < value.count, value[probe] == 0x20 { probe += 1 }
        if probe < value.count, value[probe] == UInt8(ascii: "/") {
            var second = probe + 1
            while second < value.count, value[second] == 0x20 { second += 1 }
            let mark = output.count
            output.append(UInt8(ascii: "/"))
            if ValueNormalization.appendNumber(value, at: &second, to: &output) {
                index = second
            } else {
                output.removeSubrange(mark...)  // `/min` after a number is a unit
            }
        }
        while index < value.count, value[index] == 0x20 { index += 1 }
        let rest = UnsafeRawBufferPointer(rebasing: value[index...])
        if let first = rest.first,
            first >= 0x30 && first <= 0x39 || first == UInt8(ascii: ".") || first == UInt8(ascii: ",")
        {
            output.removeAll(keepingCapacity: true)
            return nil
        }
        return rest
    }

}

/// A reusable output buffer for folding, grown as needed and never shrunk.
///
/// Its storage is a class, so a copy of the fingerprinter shares it until one of the two folds again: `reset`
/// (where every entry starts) then gives the copy that does not hold it alone a storage of its own. So two
/// copies used on two threads never write to one buffer, and the type is `Sendable` in fact: each value only
/// ever writes storage it holds uniquely.
private struct FoldScratch: @unchecked Sendable {
    private final class Storage {
        var pointer: UnsafeMutablePointer<UInt8>
        var capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            pointer = .allocate(capacity: capacity)
        }

        deinit { pointer.deallocate() }
    }

    private var storage = Storage(capacity: 4096)
    private var used = 0
    private var retired: [Storage] = []

    /// Where the next fold of `count` input bytes is written: room for its longest output, after the
    /// folds already made for this entry (their storage is kept until the next entry when it must grow).
    private mutating func room(for count: Int) -> UnsafeMutablePointer<UInt8> {
        let needed = TextFolding.maximumFoldedCount(count)
        if used + needed > storage.capacity {
            retired.append(storage)
            storage = Storage(capacity: max(storage.capacity, needed) * 2)
            used = 0
        }
        return storage.pointer + used
    }

    /// The folded (`.text`) form of `bytes`, valid until the fingerprinter's next entry: successive
    /// folds of one entry are laid side by side.
    mutating func fold(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let start = room(for: bytes.count)
        let count = TextFolding.fold(bytes, mode: .text, writingTo: start)
        used += count
        return UnsafeRawBufferPointer(start: start, count: count)
    }

    /// The words of `bytes` (`TextFolding.foldWords`), valid like `fold`'s result.
    mutating func foldWords(_ bytes: UnsafeRawBufferPointer) -> (words: UnsafeRawBufferPointer, wordsBeforeColon: Int) {
        let start = room(for: bytes.count)
        let (count, wordsBeforeColon) = TextFolding.foldWords(bytes, writingTo: start)
        used += count
        return (UnsafeRawBufferPointer(start: start, count: count), wordsBeforeColon)
    }

    /// A copy of `bytes` in the scratch, valid like `fold`'s result.
    mutating func copy(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let start = room(for: bytes.count)
        if let base = bytes.baseAddress, !bytes.isEmpty {
            UnsafeMutableRawPointer(start).copyMemory(from: base, byteCount: bytes.count)
        }
        used += bytes.count
        return UnsafeRawBufferPointer(start: start, count: bytes.count)
    }

    /// Starts a new entry: earlier folds are no longer needed. Every entry point of the fingerprinter calls
    /// this before folding.
    mutating func reset() {
        // A storage shared with a copy (the fingerprinter was copied since its last entry) is left to the copy.
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(capacity: storage.capacity) }
        used = 0
        if !retired.isEmpty { retired.removeAll() }
    }
}

/// The hasher state after the structured part of recent entries, in a direct-mapped table keyed by the
/// exact bytes of label, value and unit (at most `keyLimit` bytes in all;
/// longer ones are not kept): a hit is checked byte for byte, so it gives exactly what computing the parts
/// again would.
///
/// Its tables are allocated after the first `warmUp` entries: a file of a few entries (one CDA document)
/// does not pay for them.
private struct StructuredMemo {
    static let size = 512
    static let keyLimit = 60
    static let warmUp = 64
    private var entriesSeen = 0
    private var hashers: [StableHasher] = []
    /// Label, value and unit lengths, one byte each.
    private var shapes: [UInt32] = []
    private var bytes: [UInt8] = []

    @inline(__always)
    private static func shape(_ label: Int, _ value: Int, _ unit: Int) -> UInt32 {
        UInt32(label) | UInt32(value) << 8 | UInt32(unit) << 16
    }

    /// The slot of these parts, or -1 when they are too long to be kept (or the memo is still warming up).
    @inline(__always)
    mutating func slot(label: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, unit: UnsafeRawBufferPointer)
        -> Int
    {
        if shapes.isEmpty {
            entriesSeen += 1
            guard entriesSeen > Self.warmUp else { return -1 }
            hashers = Array(repeating: StableHasher(), count: Self.size)
            shapes = Array(repeating: .max, count: Self.size)
            bytes = Array(repeating: 0, count: Self.size * Self.keyLimit)
        }
        guard label.count + value.count + unit.count <= Self.keyLimit else { return -1 }
        return Int(truncatingIfNeeded: Self.key(label, value, unit) >> 40) & (Self.size - 1)
    }

    @inline(__always)
    private static func key(
        _ label: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, _ unit: UnsafeRawBufferPointer
    ) -> UInt64 {
        var hasher = StableHasher(seed: UInt64(shape(label.count, value.count, unit.count)))
        hasher.combine(bytes: label)
        hasher.combine(bytes: value)
        hasher.combine(bytes: unit)
        return hasher.finalize()
    }

    @inline(__always)
    func hasher(
        at slot: Int, label: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, unit: UnsafeRawBufferPointer
    ) -> StableHasher? {
        guard shapes[slot] == Self.shape(label.count, value.count, unit.count) else { return nil }
        let matches = bytes.withUnsafeBytes { all -> Bool in
            var offset = slot * Self.keyLimit
            @inline(__always) func same(_ part: UnsafeRawBufferPointer) -> Bool {
                defer { offset += part.count }
                return part.isEmpty || memcmp(all.baseAddress! + offset, part.baseAddress!, part.count) == 0
            }
            return same(label) && same(value) && same(unit)
        }
        return matches ? hashers[slot] : nil
    }

    mutating func remember(
        _ hasher: StableHasher, at slot: Int, label: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer,
        unit: UnsafeRawBufferPointer
    ) {
        shapes[slot] = Self.shape(label.count, value.count, unit.count)
        hashers[slot] = hasher
        bytes.withUnsafeMutableBytes { all in
            var offset = slot * Self.keyLimit
            @inline(__always) func copy(_ part: UnsafeRawBufferPointer) {
                if !part.isEmpty {
                    UnsafeMutableRawBufferPointer(rebasing: all[offset..<offset + part.count]).copyMemory(from: part)
                }
                offset += part.count
            }
            copy(label)
            copy(value)
            copy(unit)
        }
    }
}
