/// A MinHash sketch of an entry's normalized free text, so that near-identical texts (a typo, a
/// truncated copy, an abbreviation left unexpanded) are found without keeping the text.
///
/// The text is cut into overlapping 3-byte shingles of its normalized form (words folded, abbreviations
/// expanded, one space between words, each word cut to its first `wordPrefix` letters), hashed once each into 32 slots (one-permutation MinHash); each
/// slot keeps one byte of its smallest hash (b-bit MinHash, b = 8). The share of equal slots, less the
/// 1/256 chance that two different minima share their byte, estimates the Jaccard similarity of the two
/// shingle sets (standard error about √(J(1−J)/32), 0.08 at J = 0.7), and the shingle counts turn it
/// into containment, which a truncated copy keeps high.
///
/// A text shorter than 32 bytes (an allergy, a diagnosis: a few words) has too few shingles for that:
/// its normalized bytes are kept instead, and two short texts are compared by edit distance
/// (`nearlyEqual`). 48 bytes an entry that has text; a long text cannot be read back from its sketch.
public struct TextSketch: Sendable, Equatable {
    public static let slotCount = 32
    /// Texts shorter than this are kept whole (normalized) and compared by edit distance.
    public static let shortLimit = 32
    /// Letters of a word that a MinHash sketch keeps (numbers are kept whole): a word cut short in a copy
    /// (`surveil.`, `hebdo.`) then shingles as the whole word does, and five letters still tell French words
    /// apart. Measured on 20 random-habit audits: median F1 0.963 → 0.968, precision unchanged (docs/DESIGN.md).
    public static let wordPrefix = 5

    /// The MinHash slots, or the normalized bytes of a short text.
    public var minima: SIMD32<UInt8>
    /// Number of shingles of the text (saturates at 65 535); 0 for a short text.
    public var shingles: UInt16
    /// Length of a short text kept whole, or 0 for a MinHash sketch.
    public var shortLength: UInt16
    /// Index of the entry in its store (set by `EntryStore`).
    public var entry: UInt32 = 0
    /// Fingerprint of the entry's structured part (label, value, unit), 32 bits of it: near-duplicate
    /// texts count as one fact only when these agree (their block has them equal already).
    public var head: UInt32
    /// The text's first two numbers, 16 bits of hash each (0: none): near-duplicate texts must not say
    /// another number where both say one (`dans 3 jours` is not `dans 5 jours`); a truncated copy that
    /// lost its later numbers still agrees.
    public var numbers: UInt32

    /// The sketch of normalized text (at least one byte).
    ///
    /// One-permutation hashing: each shingle is hashed once; the top 5 bits of its hash pick a slot, which
    /// keeps the smallest of the remaining bits. A slot no shingle fell into borrows the value of the next
    /// filled slot to its right (rotation densification), re-hashed with the distance, so that two texts
    /// agree there exactly when they agree in the slot lent.
    public init(normalizedText text: UnsafeRawBufferPointer, head: UInt32, keepingShortText: Bool = true) {
        self.head = head
        numbers = Self.firstNumbers(text)
        if keepingShortText && text.count < Self.shortLimit {
            var bytes = SIMD32<UInt8>()
            if !text.isEmpty { withUnsafeMutableBytes(of: &bytes) { $0.copyMemory(from: text) } }
            minima = bytes
            shingles = 0
            shortLength = UInt16(text.count)
            return
        }
        shortLength = 0
        var count = text.count
        minima = withUnsafeTemporaryAllocation(of: UInt64.self, capacity: Self.slotCount) { slots in
            slots.initialize(repeating: .max)
            // Branch-free: a slot keeps the smaller of its value and the new one (a compare that goes either
            // way at random would cost a misprediction a shingle).
            @inline(__always) func add(_ shingle: UInt32) {
                var hash = UInt64(shingle) &* 0x9E37_79B9_7F4A_7C15
                hash ^= hash >> 29
                hash &*= 0xBF58_476D_1CE4_E5B9
                hash ^= hash >> 32
                let slot = Int(hash >> 59)
                slots[slot] = min(slots[slot], hash & 0x07FF_FFFF_FFFF_FFFF)
            }
            // Words are cut to their first `wordPrefix` letters: a word cut short in a copy (`somn.` for
            // `somnolence`) then gives the same shingles as the whole word.
            var shingle: UInt32 = 0, kept = 0, inWord = 0, isNumber = false
            for byte in text {
                if byte == 0x20 {
                    inWord = 0
                } else {
                    if inWord == 0 { isNumber = byte &- 0x30 < 10 }
                    inWord += 1
                    if inWord > Self.wordPrefix && !isNumber { continue }
                }
                shingle = (shingle << 8 | UInt32(byte)) & 0xFF_FFFF
                kept += 1
                if kept >= 3 { add(shingle) }
            }
            if kept < 3 { add(shingle) }
            count = kept
            // The bytes are written to memory, then read as a vector once: setting a vector's lanes one
            // by one would store and reload the whole vector at each lane.
            var result = SIMD32<UInt8>()
            withUnsafeMutableBytes(of: &result) { bytes in
                for slot in 0..<Self.slotCount {
                    var value = slots[slot]
                    if value == .max {
                        var distance = 1
                        while slots[(slot + distance) & (Self.slotCount - 1)] == .max { distance += 1 }
                        value =
                            (slots[(slot + distance) & (Self.slotCount - 1)] ^ UInt64(distance))
                            &* 0xD6E8_FEB8_6659_FD93
                        value ^= value >> 32
                    }
                    bytes[slot] = UInt8(truncatingIfNeeded: value ^ value >> 24)
                }
            }
            return result
        }
        shingles = UInt16(clamping: count < 3 ? 1 : count - 2)
    }

    /// The first two numbers (words of digits) of normalized text, 16 bits of hash each: words that start
    /// with a digit (normalized text has digits split from letters), found in one pass over the bytes.
    static func firstNumbers(_ text: UnsafeRawBufferPointer) -> UInt32 {
        var result: UInt32 = 0, found: UInt32 = 0, index = 0
        let count = text.count
        while index < count {
            let byte = text[index]
            guard byte &- 0x30 < 10, index == 0 || text[index - 1] == 0x20 else {
                index += 1
                continue
            }
            let start = index
            while index < count, text[index] != 0x20 { index += 1 }
            let hash = UInt32(
                truncatingIfNeeded: StableHasher.hash(UnsafeRawBufferPointer(rebasing: text[start..<index])))
            result |= (hash & 0xFFFF | 1) << (16 * found)
            found += 1
            if found == 2 { break }
        }
        return result
    }

    /// Whether the numbers of two texts agree wherever both have one.
    public func numbersAgree(with other: TextSketch) -> Bool {
        for shift in [UInt32(0), 16] {
            let mine = numbers >> shift & 0xFFFF, theirs = other.numbers >> shift & 0xFFFF
            if mine != 0 && theirs != 0 && mine != theirs { return false }
        }
        return true
    }

    /// Whether the text is kept whole (short) rather than sketched.
    public var isShort: Bool { shortLength > 0 }

    /// Whether two short texts are the same but for a typo: at most one edit (substitution, insertion,
    /// deletion, or two neighbours swapped) when the longer has 5 to 15 bytes, two from 16 bytes; an edit
    /// never touches a digit (`type 1` and `type 2` are two diagnoses) and texts under 5 bytes must be equal.
    public func nearlyEqual(_ other: TextSketch) -> Bool {
        let countA = Int(shortLength), countB = Int(other.shortLength)
        let longest = max(countA, countB)
        if longest < 5 { return self.minima == other.minima && countA == countB }
        let allowed = longest < 16 ? 1 : 2
        guard abs(countA - countB) <= allowed else { return false }
        // Common prefix and suffix first: the edits lie between them.
        var prefix = 0
        while prefix < min(countA, countB), minima[prefix] == other.minima[prefix] { prefix += 1 }
        if prefix == countA && countA == countB { return true }
        var suffix = 0
        while suffix < min(countA, countB) - prefix, minima[countA - 1 - suffix] == other.minima[countB - 1 - suffix] {
            suffix += 1
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { buffer in
            let a = UnsafeMutableBufferPointer(rebasing: buffer[0..<(countA - prefix - suffix)])
            let b = UnsafeMutableBufferPointer(rebasing: buffer[32..<(32 + countB - prefix - suffix)])
            for index in a.indices { a[index] = minima[prefix + index] }
            for index in b.indices { b[index] = other.minima[prefix + index] }
            return Self.editDistance(UnsafeBufferPointer(a), UnsafeBufferPointer(b), limit: allowed) <= allowed
        }
    }

    /// Optimal string alignment distance (Levenshtein with adjacent swaps) of two strings of at most 31
    /// bytes, where editing a digit costs more than `limit`; stops early past `limit`.
    static func editDistance(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, limit: Int) -> Int {
        let over = limit + 1
        if abs(a.count - b.count) > limit { return over }
        @inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        let width = b.count + 1
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * width) { rows in
            var previous2 = 0, previous = width, current = 2 * width  // offsets of three rows
            rows[previous] = 0
            for j in stride(from: 1, through: b.count, by: 1) {
                rows[previous + j] = isDigit(b[j - 1]) ? over : min(over, rows[previous + j - 1] + 1)
            }
            // Only the band |i - j| <= limit can stay within the limit: the cells just outside it read as `over`.
            for i in stride(from: 1, through: a.count, by: 1) {
                let x = a[i - 1]
                rows[current] = isDigit(x) ? over : min(over, rows[previous] + 1)
                var rowMinimum = rows[current]
                let low = max(1, i - limit), high = min(b.count, i + limit)
                if low > 1 { rows[current + low - 1] = over }
                if high < b.count { rows[current + high + 1] = over }
                for j in stride(from: low, through: high, by: 1) {
                    let y = b[j - 1]
                    var best =
                        x == y ? rows[previous + j - 1] : (isDigit(x) || isDigit(y) ? over : rows[previous + j - 1] + 1)
                    if !isDigit(x) { best = min(best, rows[previous + j] + 1) }
                    if !isDigit(y) { best = min(best, rows[current + j - 1] + 1) }
                    if i > 1, j > 1, x == b[j - 2], a[i - 2] == y, x != y, !isDigit(x), !isDigit(y) {
                        best = min(best, rows[previous2 + j - 2] + 1)
                    }
                    rows[current + j] = min(best, over)
                    rowMinimum = min(rowMinimum, rows[current + j])
                }
                if rowMinimum > limit { return over }
                (previous2, previous, current) = (previous, current, previous2)
            }
            return rows[previous + b.count]
        }
    }

    /// A short text's MinHash sketch, to compare it with a long one; a long text's sketch as it is.
    public var sketched: TextSketch {
        guard isShort else { return self }
        var sketch = withUnsafeBytes(of: minima) {
            TextSketch(
                normalizedText: UnsafeRawBufferPointer(rebasing: $0[..<Int(shortLength)]), head: head,
                keepingShortText: false)
        }
        sketch.entry = entry
        return sketch
    }

    /// Whether the shorter of two short texts is the longer cut at a word boundary (a truncated copy),
    /// keeping at least 12 bytes and half of it.
    public func isTruncation(of other: TextSketch) -> Bool {
        let (short, long) = shortLength <= other.shortLength ? (self, other) : (other, self)
        let shortCount = Int(short.shortLength), longCount = Int(long.shortLength)
        guard shortCount >= 12, shortCount * 2 >= longCount, shortCount < longCount, long.minima[shortCount] == 0x20
        else {
            return false
        }
        for index in 0..<shortCount where short.minima[index] != long.minima[index] { return false }
        return true
    }

    /// Whether one short text is the other's first words (at least one word of four bytes or more): the
    /// key part of a fact with a comment added on one side (`latex` and `latex urticaire en 2019`).
    public func isKeyPrefix(of other: TextSketch) -> Bool {
        let (short, long) = shortLength <= other.shortLength ? (self, other) : (other, self)
        let shortCount = Int(short.shortLength), longCount = Int(long.shortLength)
        guard shortCount >= 4, shortCount < longCount, long.minima[shortCount] == 0x20 else { return false }
        for index in 0..<shortCount where short.minima[index] != long.minima[index] { return false }
        // The first word alone must be a real word, not an article or a number.
        var firstWord = 0
        while firstWord < shortCount, short.minima[firstWord] != 0x20 { firstWord += 1 }
        return firstWord >= 4 && !(short.minima[0] >= 0x30 && short.minima[0] <= 0x39)
    }

    /// Whether two short texts are the same words, some of them cut short in one (`surv. du poids hebdo.`
    /// and `surveillance du poids hebdomadaire`, `coxa. droite` and `coxarthrose droite`): as many words,
    /// each pair equal or one the other's first letters (at least 3, never a number), one pair at least
    /// cut (else `nearlyEqual` decides). `typos`: how many pairs of words of five letters or more may instead
    /// be one edit apart (a letter mistyped in one of the copies, never a digit).
    public func isWordTruncation(of other: TextSketch, typos: Int = 0) -> Bool {
        guard let match = wordMatch(other, typos: typos, prefix: false) else { return false }
        return match.cut
    }

    /// Whether the words of one short text are, one for one, the first words of the other (the rest of the
    /// other cut off), each pair equal, cut short in either or, for `typos` pairs, mistyped, as
    /// `isWordTruncation(of:typos:)` has them: a copy cut at its end, or kept to its first words as a key part is,
    /// that also carries cut words and a typo. At least `minimumWords` words compared, and at least half of the
    /// other's words.
    public func isWordPrefix(of other: TextSketch, typos: Int = 0, minimumWords: Int = 3) -> Bool {
        guard let match = wordMatch(other, typos: typos, prefix: true) else { return false }
        return match.compared >= minimumWords && match.compared * 2 >= match.longest
    }

    /// Words of two short texts compared pair by pair (see `isWordTruncation(of:typos:)`); with `prefix`, until
    /// either text has no word left. Nil when a pair disagrees (or, without `prefix`, the counts differ); else
    /// the pairs compared, the larger word count, and whether a pair was cut or mistyped. The texts' bytes are
    /// read in place (no array a call: the matcher asks this of many pairs).
    private func wordMatch(_ other: TextSketch, typos: Int, prefix: Bool) -> (compared: Int, longest: Int, cut: Bool)? {
        withUnsafeBytes(of: minima) { rawA in
            withUnsafeBytes(of: other.minima) { rawB in
                Self.wordMatch(
                    UnsafeBufferPointer(rebasing: rawA.bindMemory(to: UInt8.self)[..<Int(shortLength)]),
                    UnsafeBufferPointer(rebasing: rawB.bindMemory(to: UInt8.self)[..<Int(other.shortLength)]),
                    typos: typos, prefix: prefix)
            }
        }
    }

    private static func wordMatch(
        _ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, typos: Int, prefix: Bool
    ) -> (compared: Int, longest: Int, cut: Bool)? {
        @inline(__always) func same(_ i: Int, _ j: Int, _ count: Int) -> Bool {
            var k = 0
            while k < count, a[i + k] == b[j + k] { k += 1 }
            return k == count
        }
        var i = 0, j = 0, cut = false, typosLeft = typos, compared = 0
        while i < a.count || j < b.count {
            if prefix && (i >= a.count || j >= b.count) { break }
            var endA = i, endB = j
            while endA < a.count, a[endA] != 0x20 { endA += 1 }
            while endB < b.count, b[endB] != 0x20 { endB += 1 }
            let lengthA = endA - i, lengthB = endB - j
            guard lengthA > 0, lengthB > 0 else { return nil }
            if lengthA != lengthB || !same(i, j, lengthA) {
                let shorter = min(lengthA, lengthB)
                let first = a[i]
                guard !(first >= 0x30 && first <= 0x39) else { return nil }
                if shorter >= 3, same(i, j, shorter) {
                    cut = true
                } else {
                    guard typosLeft > 0, shorter >= 5,
                        editDistance(
                            UnsafeBufferPointer(rebasing: a[i..<endA]), UnsafeBufferPointer(rebasing: b[j..<endB]),
                            limit: 1) <= 1
                    else { return nil }
                    typosLeft -= 1
                    cut = true
                }
            }
            compared += 1
            i = endA + 1
            j = endB + 1
        }
        func words(_ text: UnsafeBufferPointer<UInt8>) -> Int {
            text.isEmpty ? 0 : text.reduce(1) { $0 + ($1 == 0x20 ? 1 : 0) }
        }
        return (compared, max(words(a), words(b)), cut)
    }

    /// How many shingles the MinHash sketch of this text has or would have.
    var shingleCount: Int { isShort ? max(1, Int(shortLength) - 2) : Int(shingles) }

    /// Estimated Jaccard similarity of the two shingle sets: the share of equal slots, corrected for
    /// the chance agreement of one byte.
    public func jaccard(_ other: TextSketch) -> Double {
        let equal = minima .== other.minima
        var matches = 0
        for slot in 0..<Self.slotCount where equal[slot] { matches += 1 }
        let chance = 1.0 / 256
        return max(0, (Double(matches) / Double(Self.slotCount) - chance) / (1 - chance))
    }

    /// Estimated share of the shorter text's shingles found in the longer one.
    public func containment(_ other: TextSketch, jaccard: Double) -> Double {
        let shorter = Double(min(shingles, other.shingles))
        guard shorter > 0 else { return 0 }
        let intersection = jaccard / (1 + jaccard) * (Double(shingles) + Double(other.shingles))
        return min(1, intersection / shorter)
    }
}
