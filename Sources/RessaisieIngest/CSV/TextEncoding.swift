/// The character encodings of exports that ressaisie reads. Everything is turned into UTF-8 bytes as it
/// is read, so the parsers downstream only ever see UTF-8.
public enum TextEncoding: String, CaseIterable, Sendable {
    case utf8 = "utf-8"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    /// The usual encoding of exports from Windows software in France (a superset of ISO-8859-1's letters,
    /// with € œ Œ ’ … in 0x80–0x9F).
    case windows1252 = "windows-1252"
    case latin1 = "iso-8859-1"
    /// ISO-8859-1 with € œ Œ Š š Ž ž Ÿ in place of ¤ ½ ¼ ¦ ¨ ´ ¸ ¾.
    case latin9 = "iso-8859-15"

    /// Parses the usual names and aliases: `utf8`, `UTF-8`, `cp1252`, `windows-1252`, `latin1`,
    /// `iso-8859-15`, `latin9`, `utf-16`…
    public init?(name: String) {
        let key = name.lowercased().filter { $0.isLetter || $0.isNumber }
        switch key {
        case "utf8": self = .utf8
        case "utf16", "utf16le": self = .utf16LE
        case "utf16be": self = .utf16BE
        case "windows1252", "cp1252", "win1252", "ansi": self = .windows1252
        case "iso88591", "latin1", "l1": self = .latin1
        case "iso885915", "latin9", "l9": self = .latin9
        default: return nil
        }
    }

    /// The encoding of a file from its first bytes: a BOM says UTF-8 or UTF-16; bytes that are UTF-8
    /// (all of them, or with a rare bad byte among many good multi-byte sequences: a corrupted row) are
    /// UTF-8; otherwise a single-byte encoding, Windows-1252 unless only ISO-8859-15's own letters (œ,
    /// €…) explain the bytes. Nil when nothing decides: only ASCII, apart from a multi-byte sequence cut
    /// by the end of the bytes (more must be read).
    public static func detect(_ bytes: UnsafeRawBufferPointer, atEndOfFile: Bool) -> TextEncoding? {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return .utf8 }
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE { return .utf16LE }
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF { return .utf16BE }
        let cut = atEndOfFile ? bytes.count : bytes.count - trailingPartialSequence(bytes)
        var index = 0, valid = 0, invalid = 0
        let checked = UnsafeRawBufferPointer(rebasing: bytes[0..<cut])
        while index < cut {
            guard let offset = UTF8Validation.firstInvalidOffset(UnsafeRawBufferPointer(rebasing: checked[index...]))
            else {
                valid += multiByteSequences(UnsafeRawBufferPointer(rebasing: checked[index...]))
                break
            }
            valid += multiByteSequences(UnsafeRawBufferPointer(rebasing: checked[index..<(index + offset)]))
            invalid += 1
            index += offset + 1
        }
        if invalid == 0 { return valid == 0 && cut < bytes.count ? nil : .utf8 }
        if valid >= 10 * invalid { return .utf8 }
        var c1Controls = 0, latin9Letters = 0
        for byte in bytes {
            if byte >= 0x80 && byte <= 0x9F { c1Controls += 1 }
            if [0xA4, 0xA6, 0xA8, 0xB4, 0xB8, 0xBC, 0xBD, 0xBE].contains(byte) { latin9Letters += 1 }
        }
        return c1Controls == 0 && latin9Letters > 0 ? .latin9 : .windows1252
    }

    /// Bytes at the end that start a multi-byte UTF-8 sequence without finishing it (0 to 3).
    static func trailingPartialSequence(_ bytes: UnsafeRawBufferPointer) -> Int {
        var back = 0
        while back < 3, back < bytes.count, bytes[bytes.count - 1 - back] & 0xC0 == 0x80 { back += 1 }
        guard back < bytes.count else { return 0 }
        let lead = bytes[bytes.count - 1 - back]
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        return length > back + 1 ? back + 1 : 0
    }

    /// Lead bytes of multi-byte sequences in valid UTF-8.
    static func multiByteSequences(_ bytes: UnsafeRawBufferPointer) -> Int {
        bytes.reduce(0) { $0 + ($1 >= 0xC0 ? 1 : 0) }
    }

    /// UTF-8 bytes written at most per input byte.
    var maximumExpansion: Int { self == .utf8 ? 1 : 3 }
}

/// Turns bytes of one encoding into UTF-8, chunk after chunk (a UTF-16 code unit or surrogate pair cut
/// between two chunks is carried over).
struct Transcoder {
    let encoding: TextEncoding
    private var carry: [UInt8] = []
    /// UTF-8 bytes of 0x80…0xFF in a single-byte encoding, packed little-endian, with their length.
    private let high: [(UInt32, Int)]

    init(encoding: TextEncoding) {
        self.encoding = encoding
        var table: [(UInt32, Int)] = []
        for byte in 0x80...0xFF {
            let scalar = Unicode.Scalar(Self.codePoint(of: UInt8(byte), in: encoding))!
            let utf8 = Array(String(scalar).utf8)
            var packed: UInt32 = 0
            for (index, part) in utf8.enumerated() { packed |= UInt32(part) << (8 * index) }
            table.append((packed, utf8.count))
        }
        high = table
    }

    /// Writes the UTF-8 form of `input` at `output` (room for `input.count * 3 + 8` bytes); returns the
    /// number of bytes written.
    mutating func transcode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawPointer) -> Int {
        switch encoding {
        case .utf8:
            output.copyMemory(from: input.baseAddress!, byteCount: input.count)
            return input.count
        case .utf16LE, .utf16BE:
            return transcodeUTF16(input, into: output, littleEndian: encoding == .utf16LE)
        case .windows1252, .latin1, .latin9:
            return transcodeSingleByte(input, into: output)
        }
    }

    private func transcodeSingleByte(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawPointer) -> Int {
        let out = output.assumingMemoryBound(to: UInt8.self)
        var read = 0, written = 0
        let count = input.count
        while read < count {
            // Eight ASCII bytes at a time.
            while read + 8 <= count {
                let word = input.loadUnaligned(fromByteOffset: read, as: UInt64.self)
                guard word & 0x8080_8080_8080_8080 == 0 else { break }
                output.storeBytes(of: word, toByteOffset: written, as: UInt64.self)
                read += 8
                written += 8
            }
            guard read < count else { break }
            let byte = input[read]
            read += 1
            if byte < 0x80 {
                out[written] = byte
                written += 1
            } else {
                let (packed, length) = high[Int(byte - 0x80)]
                for index in 0..<length { out[written + index] = UInt8(truncatingIfNeeded: packed >> (8 * index)) }
                written += length
            }
        }
        return written
    }

    private mutating func transcodeUTF16(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawPointer, littleEndian: Bool
    ) -> Int {
        let bytes = carry + Array(input)
        let out = output.assumingMemoryBound(to: UInt8.self)
        var read = 0, written = 0
        func unit(at index: Int) -> UInt32 {
            littleEndian
                ? UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8
                : UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
        }
        while read + 2 <= bytes.count {
            var value = unit(at: read)
            var used = 2
            if (0xD800...0xDBFF).contains(value) {
                guard read + 4 <= bytes.count else { break }  // the pair continues in the next chunk
                let low = unit(at: read + 2)
                if (0xDC00...0xDFFF).contains(low) {
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    used = 4
                } else {
                    value = 0xFFFD
                }
            } else if (0xDC00...0xDFFF).contains(value) {
                value = 0xFFFD
            }
            for part in String(Unicode.Scalar(value)!).utf8 {
                out[written] = part
                written += 1
            }
            read += used
        }
        carry = Array(bytes[read...])
        return written
    }

    /// The Unicode code point of a byte in a single-byte encoding.
    static func codePoint(of byte: UInt8, in encoding: TextEncoding) -> UInt32 {
        switch encoding {
        case .windows1252:
            if byte >= 0x80 && byte <= 0x9F {
                let table: [UInt32] = [
                    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
                    0x0152, 0x8D,
                    0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161,
                    0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
                ]
                return table[Int(byte - 0x80)]
            }
        case .latin9:
            let changes: [UInt8: UInt32] = [
                0xA4: 0x20AC, 0xA6: 0x0160, 0xA8: 0x0161, 0xB4: 0x017D, 0xB8: 0x017E, 0xBC: 0x0152, 0xBD: 0x0153,
                0xBE: 0x0178,
            ]
            if let changed = changes[byte] { return changed }
        default:
            break
        }
        return UInt32(byte)
    }
}
