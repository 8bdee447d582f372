/// Folds text so that what a person would read as the same words compares equal: case, accents,
/// ligatures (œ, æ), typographic apostrophes and dashes, non-breaking and repeated spaces.
///
/// Works on UTF-8 bytes with an ASCII fast path; decomposed accents (NFD) are dropped like composed ones.
public enum TextFolding {
    /// How much is kept.
    public enum Mode: Sendable {
        /// Lowercase, accents removed, runs of white space turned into one space, trimmed.
        case text
        /// Lowercase letters and digits only: spaces, hyphens, apostrophes and punctuation removed
        /// ("Le Goff", "LEGOFF", "le-goff" fold alike). For names in patient linkage.
        case name
    }

    /// Bytes of output that folding `count` bytes of input may need at most.
    @inline(__always)
    public static func maximumFoldedCount(_ count: Int) -> Int { count * 4 + 16 }

    /// Appends the folded form of `bytes` to `output`.
    public static func fold(_ bytes: UnsafeRawBufferPointer, mode: Mode, into output: inout [UInt8]) {
        let start = output.count
        let room = maximumFoldedCount(bytes.count)
        output.append(contentsOf: repeatElement(0, count: room))
        let written = output.withUnsafeMutableBufferPointer { buffer in
            fold(bytes, mode: mode, writingTo: buffer.baseAddress! + start)
        }
        output.removeLast(room - written)
    }

    /// Writes the folded form of `bytes` at `output`, which must have room for
    /// `maximumFoldedCount(bytes.count)` bytes; returns the number of bytes written.
    public static func fold(_ bytes: UnsafeRawBufferPointer, mode: Mode, writingTo output: UnsafeMutablePointer<UInt8>)
        -> Int
    {
        var pendingSpace = false
        var written = 0
        var index = 0
        let count = bytes.count
        let isText = mode == .text

        @inline(__always) func emit(_ byte: UInt8) {
            if pendingSpace {
                if written > 0 {
                    output[written] = 0x20
                    written += 1
                }
                pendingSpace = false
            }
            output[written] = byte
            written += 1
        }

        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                index += 1
                switch byte {
                case 0x61...0x7A, 0x30...0x39: emit(byte)
                case 0x41...0x5A: emit(byte | 0x20)
                case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C:
                    if isText { pendingSpace = true }
                default:
                    if isText { emit(byte) }
                }
                continue
            }
            let (scalar, length) = decodeScalar(bytes, at: index)
            index += length
            guard let scalar else {
                // Not UTF-8 (callers validate first); keep the byte so that content still differs.
                emit(byte)
                continue
            }
            switch scalar.value {
            case 0x00A0, 0x2000...0x200B, 0x202F, 0x205F, 0x3000:
                if isText { pendingSpace = true }
            case 0x0300...0x036F:
                break  // combining accents of decomposed text
            case 0x2018, 0x2019, 0x02BC, 0x2032:
                if isText { emit(0x27) }
            case 0x2010...0x2015, 0x2212:
                if isText { emit(0x2D) }
            case 0x00C0...0x017F:
                if let replacement = latinFolding[Int(scalar.value - 0xC0)] {
                    for character in replacement.utf8 { emit(character) }
                } else if isText {
                    for character in String(scalar).utf8 { emit(character) }
                }
            default:
                let properties = scalar.properties
                if !isText && !(properties.isAlphabetic || properties.numericType != nil) { continue }
                for character in properties.lowercaseMapping.utf8 { emit(character) }
            }
        }
        return written
    }

    /// When `bytes[at]` is a decimal comma or point followed by digits (the caller has seen digits before
    /// it), the number of those digits to keep (trailing zeros dropped: `,50` keeps 1, `,0` keeps none)
    /// and where they end.
    @inline(__always)
    public static func decimalFraction(_ bytes: UnsafeRawBufferPointer, at index: Int) -> (kept: Int, end: Int)? {
        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: ",") || bytes[index] == UInt8(ascii: "."),
            bytes[index + 1] >= 0x30 && bytes[index + 1] <= 0x39
        else { return nil }
        var end = index + 1
        var kept = 0
        while end < bytes.count, bytes[end] >= 0x30 && bytes[end] <= 0x39 {
            if bytes[end] != 0x30 { kept = end - index }
            end += 1
        }
        return (kept, end)
    }

    /// Writes the *words* of `bytes` at `output` (room for `maximumFoldedCount(bytes.count)` bytes): folded
    /// as in `.text`, every character that is not a letter or a digit read as a space, a space where
    /// digits meet letters (`14h` → `14 h`), one space between words. Returns the bytes written and the
    /// number of words written before the first colon of the input, if the input has one in its first
    /// `colonScan` bytes (to find a heading such as `Recopié du DPI :`), else -1.
    public static func foldWords(
        _ bytes: UnsafeRawBufferPointer, writingTo output: UnsafeMutablePointer<UInt8>, colonScan: Int = 48
    ) -> (count: Int, wordsBeforeColon: Int) {
        var written = 0
        var words = 0
        var wordsBeforeColon = -1
        var pendingSpace = false
        // Class of the last byte written: 0 none or space, 1 digit, 2 letter.
        var last: UInt8 = 0
        var index = 0
        let count = bytes.count

        @inline(__always) func emit(_ byte: UInt8, _ kind: UInt8) {
            if last != 0 && (pendingSpace || last != kind) {
                output[written] = 0x20
                written += 1
                words += 1
            } else if last == 0 {
                words += 1
            }
            pendingSpace = false
            output[written] = byte
            written += 1
            last = kind
        }
        @inline(__always) func separate() {
            if last != 0 { pendingSpace = true }
        }

        while index < count {
            let byte = bytes[index]
            if byte >= 0x61 && byte <= 0x7A && last == 2 && !pendingSpace {
                // Inside a word of lowercase letters, the common case: copied as a run.
                repeat {
                    output[written] = bytes[index]
                    written += 1
                    index += 1
                } while index < count && bytes[index] >= 0x61 && bytes[index] <= 0x7A
                continue
            }
            if byte < 0x80 {
                index += 1
                switch byte {
                case 0x61...0x7A: emit(byte, 2)
                case 0x41...0x5A: emit(byte | 0x20, 2)
                case 0x30...0x39: emit(byte, 1)
                case UInt8(ascii: ":") where wordsBeforeColon < 0 && index <= colonScan:
                    wordsBeforeColon = words
                    separate()
                case UInt8(ascii: ","), UInt8(ascii: "."):
                    // A decimal point or comma inside a number: the number written the canonical way.
                    if last == 1, !pendingSpace, let fraction = decimalFraction(bytes, at: index - 1) {
                        if fraction.kept > 0 {
                            output[written] = UInt8(ascii: ".")
                            written += 1
                            for offset in 0..<fraction.kept {
                                output[written] = bytes[index + offset]
                                written += 1
                            }
                        }
                        index = fraction.end
                    } else {
                        separate()
                    }
                default: separate()
                }
                continue
            }
            let (scalar, length) = decodeScalar(bytes, at: index)
            index += length
            guard let scalar else {
                emit(byte, 2)  // not UTF-8 (callers validate first): kept, so that content still differs
                continue
            }
            switch scalar.value {
            case 0x0300...0x036F:
                break  // combining accents of decomposed text
            case 0x00C0...0x017F:
                if let replacement = latinFolding[Int(scalar.value - 0xC0)] {
                    for character in replacement.utf8 { emit(character, 2) }
                } else {
                    separate()  // × and ÷
                }
            default:
                let properties = scalar.properties
                if properties.isAlphabetic || properties.numericType != nil {
                    for character in properties.lowercaseMapping.utf8 { emit(character, 2) }
                } else {
                    separate()
                }
            }
        }
        return (written, wordsBeforeColon)
    }

    /// The folded form of a string (convenience for tests and small values).
    public static func fold(_ string: String, mode: Mode = .text) -> String {
        var output: [UInt8] = []
        var copy = string
        copy.withUTF8 { fold(UnsafeRawBufferPointer($0), mode: mode, into: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    @inline(__always)
    static func decodeScalar(_ bytes: UnsafeRawBufferPointer, at index: Int) -> (Unicode.Scalar?, Int) {
        let lead = bytes[index]
        let length: Int
        var value: UInt32
        switch lead {
        case 0xC2...0xDF:
            length = 2
            value = UInt32(lead & 0x1F)
        case 0xE0...0xEF:
            length = 3
            value = UInt32(lead & 0x0F)
        case 0xF0...0xF4:
            length = 4
            value = UInt32(lead & 0x07)
        default: return (nil, 1)
        }
        guard index + length <= bytes.count else { return (nil, 1) }
        for offset in 1..<length {
            let continuation = bytes[index + offset]
            guard continuation & 0xC0 == 0x80 else { return (nil, 1) }
            value = value << 6 | UInt32(continuation & 0x3F)
        }
        return (Unicode.Scalar(value), length)
    }

    /// Base letters of U+00C0…U+017F (Latin-1 Supplement letters and Latin Extended-A); nil keeps the
    /// character (× and ÷).
    static let latinFolding: [String?] = {
        let latin1: [String?] = [
            "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
            "d", "n", "o", "o", "o", "o", "o", nil, "o", "u", "u", "u", "u", "y", "th", "ss",
            "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
            "d", "n", "o", "o", "o", "o", "o", nil, "o", "u", "u", "u", "u", "y", "th", "y",
        ]
        let runs: [(String, Int)] = [
            ("a", 6), ("c", 8), ("d", 4), ("e", 10), ("g", 8), ("h", 4), ("i", 10), ("ij", 2), ("j", 2),
            ("k", 3), ("l", 10), ("n", 9), ("o", 6), ("oe", 2), ("r", 6), ("s", 8), ("t", 6), ("u", 12),
            ("w", 2), ("y", 3), ("z", 6), ("s", 1),
        ]
        let extendedA: [String?] = runs.flatMap { Array(repeating: $0.0, count: $0.1) }
        precondition(latin1.count == 0x40 && extendedA.count == 0x80)
        return latin1 + extendedA
    }()
}
