/// Routine notes cut short: a system that shortens words writes `Pas de pla.` or `Bonne jou.` for the
/// routine notes `Pas de plainte` and `Bonne journée`. Such a note is as routine as the whole one: written
/// again on every shift, never a fact typed twice.
enum RoutineNotes {
    /// Most bytes of a note looked at (routine notes are short).
    static let maximumBytes = 48

    /// Whether `words` (normalized, one space between words) is one of `routine` with some of its words cut
    /// short: as many words, each the routine word or its first letters (two at least), the last letters of
    /// at least one word missing, and no digit.
    static func isCutShort(_ words: UnsafeRawBufferPointer, of routine: [[UInt8]]) -> Bool {
        guard words.count >= 2, words.count < maximumBytes, !routine.isEmpty else { return false }
        for byte in words where byte >= 0x30 && byte <= 0x39 { return false }
        for candidate in routine where candidate.count > words.count && matches(words, candidate) { return true }
        return false
    }

    private static func matches(_ words: UnsafeRawBufferPointer, _ routine: [UInt8]) -> Bool {
        var i = 0, j = 0
        while i < words.count {
            // One word of the note against one of the routine note: a prefix of it, two letters at least.
            let start = i
            while i < words.count, words[i] != 0x20 {
                guard j < routine.count, routine[j] == words[i] else { return false }
                i += 1
                j += 1
            }
            if i - start < 2, j < routine.count, routine[j] != 0x20 { return false }
            while j < routine.count, routine[j] != 0x20 { j += 1 }  // the cut letters
            guard (i < words.count) == (j < routine.count) else { return false }  // as many words
            i += 1
            j += 1
        }
        return true
    }
}
