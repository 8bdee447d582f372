/// A phonetic code for names, a Soundex adapted to French spelling, so that names that sound alike
/// (Lefèvre / Lefebvre, Dupont / Dupond, Philippe / Filipe, Mathieu / Matthieu) share a code.
///
/// Input: a name folded by `TextFolding` in `.name` mode (lowercase ASCII letters and digits). Steps:
/// 1. French spellings rewritten to one sound: `ph`→f, `qu`/`q`→k, `ch`/`sch`/`sh`→ʃ (its own class),
///    `gu` before e/i/y → g, `ge`/`gi`/`gy` → j, `c` before e/i/y → s, other `c` → k, `x` → ks,
///    `bv` → v, `w` → v, `z` → s, `h` and `y` as vowels; final `s`, `t`, `d`, `x`, `z` are dropped (silent in French).
/// 2. Soundex coding: the first sound kept as a letter, then one digit per consonant class — b p (1),
///    f v (2), k g (3), j s (4), d t (5), l (6), m n (7), r (8), ʃ (9) — vowels dropped, repeated classes
///    merged (also across a vowel, unlike English Soundex, so double letters and `bv` collapse), at most
///    five digits.
///
/// It is coarse on purpose: it is used for blocking and for one comparison level, never alone to link.
public enum PhoneticCode {
    /// At most this many consonant digits after the first letter.
    public static let maxDigits = 5

    /// The code of a folded name (empty for an empty name or one without letters).
    public static func code(_ folded: some Collection<UInt8>) -> [UInt8] {
        Array(folded).withUnsafeBytes { code(bytes: $0) }
    }

    /// The code of a folded name (empty for an empty name or one without letters).
    public static func code(_ folded: [UInt8]) -> [UInt8] {
        folded.withUnsafeBytes { code(bytes: $0) }
    }

    /// The code of a folded name, in buffers on the stack: computed once per patient at ingest, where
    /// arrays per step cost more than the coding itself.
    public static func code(bytes folded: UnsafeRawBufferPointer) -> [UInt8] {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 3 * folded.count + 2) { scratch in
            let letters = scratch.baseAddress!, sounds = scratch.baseAddress! + folded.count
            var count = 0
            for byte in folded where byte >= 0x61 && byte <= 0x7A {
                letters[count] = byte
                count += 1
            }
            guard count > 0 else { return [] }
            // 1. Sounds, one byte each: a vowel is "a", ʃ is "S".
            var soundCount = 0
            @inline(__always) func append(_ sound: UInt8) {
                sounds[soundCount] = sound
                soundCount += 1
            }
            @inline(__always) func at(_ i: Int) -> UInt8 { i < count ? letters[i] : 0 }
            @inline(__always) func isFront(_ c: UInt8) -> Bool { c == ascii("e") || c == ascii("i") || c == ascii("y") }
            var i = 0
            while i < count {
                let c = letters[i], next = at(i + 1)
                switch c {
                case ascii("p") where next == ascii("h"):
                    append(ascii("f"))
                    i += 2
                    continue
                case ascii("s") where next == ascii("c") && at(i + 2) == ascii("h"):
                    append(ascii("S"))
                    i += 3
                    continue
                case ascii("c") where next == ascii("h"), ascii("s") where next == ascii("h"):
                    append(ascii("S"))
                    i += 2
                    continue
                case ascii("q") where next == ascii("u"):
                    append(ascii("k"))
                    i += 2
                    continue
                case ascii("g") where next == ascii("u") && isFront(at(i + 2)):
                    append(ascii("g"))
                    i += 2
                    continue
                case ascii("g") where isFront(next): append(ascii("j"))
                case ascii("c") where next == ascii("k"):
                    append(ascii("k"))
                    i += 2
                    continue
                case ascii("b") where next == ascii("v"):
                    i += 1
                    continue  // Lefebvre
                case ascii("c"): append(isFront(next) ? ascii("s") : ascii("k"))
                case ascii("q"): append(ascii("k"))
                case ascii("x"):
                    append(ascii("k"))
                    append(ascii("s"))
                case ascii("w"): append(ascii("v"))
                case ascii("z"): append(ascii("s"))
                case ascii("a"), ascii("e"), ascii("i"), ascii("o"), ascii("u"), ascii("y"), ascii("h"):
                    append(ascii("a"))
                default: append(c)
                }
                i += 1
            }
            // Silent final consonants (Dupont, Dupond, Dubois, Roux, Berthiez), unless the name is that letter.
            let last = letters[count - 1]
            if soundCount > 1,
                last == ascii("s") || last == ascii("t") || last == ascii("d") || last == ascii("x")
                    || last == ascii("z")
            {
                soundCount -= 1
                if last == ascii("x"), soundCount > 1 { soundCount -= 1 }  // the k of x → ks
            }
            // 2. First sound as a letter, then consonant classes.
            var code: [UInt8] = [sounds[0] == ascii("a") ? letters[0] : sounds[0]]
            code.reserveCapacity(maxDigits + 1)
            var previous = classOf(sounds[0])
            for index in 1..<max(soundCount, 1) {
                let digit = classOf(sounds[index])
                guard digit != 0 else { continue }  // vowels: dropped, and do not separate repeats
                if digit != previous {
                    code.append(ascii("0") + digit)
                    if code.count > maxDigits { break }
                }
                previous = digit
            }
            return code
        }
    }

    public static func code(_ folded: String) -> String {
        String(decoding: code(Array(folded.utf8)), as: UTF8.self)
    }

    private static func classOf(_ sound: UInt8) -> UInt8 {
        switch sound {
        case ascii("b"), ascii("p"): 1
        case ascii("f"), ascii("v"): 2
        case ascii("k"), ascii("g"): 3
        case ascii("j"), ascii("s"): 4
        case ascii("d"), ascii("t"): 5
        case ascii("l"): 6
        case ascii("m"), ascii("n"): 7
        case ascii("r"): 8
        case ascii("S"): 9
        default: 0
        }
    }

    @inline(__always) private static func ascii(_ scalar: Unicode.Scalar) -> UInt8 { UInt8(ascii: scalar) }
}
