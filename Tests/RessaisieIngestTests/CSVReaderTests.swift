import RessaisieCore
import TestSupport
import Testing

@testable import RessaisieIngest

/// Rows and rejections of a CSV, read with `CSVReader`.
struct ReadResult: Equatable {
    var rows: [[String]] = []
    var lines: [Int] = []
    var rejections: [(Int, RejectionKind)] = []

    static func == (a: ReadResult, b: ReadResult) -> Bool {
        a.rows == b.rows && a.lines == b.lines && a.rejections.map(\.0) == b.rejections.map(\.0)
            && a.rejections.map(\.1) == b.rejections.map(\.1)
    }
}

func readCSV(
    _ bytes: [UInt8], chunkSize: Int = 1 << 20, maxRowBytes: Int = 8 << 20, encoding: TextEncoding? = nil
) throws -> (ReadResult, UInt8) {
    try readCSVWithEncoding(bytes, chunkSize: chunkSize, maxRowBytes: maxRowBytes, encoding: encoding).0
}

func readCSVWithEncoding(
    _ bytes: [UInt8], chunkSize: Int = 1 << 20, maxRowBytes: Int = 8 << 20, encoding: TextEncoding? = nil
) throws -> ((ReadResult, UInt8), TextEncoding) {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let path = try folder.write("test.csv", bytes: bytes)
    let reader = try CSVReader(path: path, encoding: encoding, chunkSize: chunkSize, maxRowBytes: maxRowBytes)
    var result = ReadResult()
    try reader.read { event in
        switch event {
        case .row(let row):
            result.rows.append((0..<row.count).map { row.string($0) })
            result.lines.append(row.line)
        case .rejected(let line, let kind, _):
            result.rejections.append((line, kind))
        }
    }
    return ((result, reader.delimiter), reader.encoding)
}

func readCSV(_ text: String, chunkSize: Int = 1 << 20) throws -> ReadResult {
    try readCSV(Array(text.utf8), chunkSize: chunkSize).0
}

@Suite("CSV reader")
struct CSVReaderTests {
    @Test("quoted fields, doubled quotes, embedded line breaks and their line numbers")
    func quoting() throws {
        let text = "a,b,c\n1,\"x, y\",\"he said \"\"hi\"\"\"\n2,\"two\nlines\",\"\"\n3,,end\n"
        let result = try readCSV(text)
        #expect(
            result.rows == [
                ["a", "b", "c"], ["1", "x, y", "he said \"hi\""], ["2", "two\nlines", ""], ["3", "", "end"],
            ])
        #expect(result.lines == [1, 2, 3, 5])
        #expect(result.rejections.isEmpty)
    }

    @Test("the same rows whatever the chunk size (rows across buffer refills)", arguments: [1, 2, 3, 5, 7, 64])
    func chunkBoundaries(chunkSize: Int) throws {
        let text = "id;note\r\n1;\"a;b\r\nc\"\r\n2;\"q\"\"q\"\r\n3;plain\r\n"
        let expected = try readCSV(text)
        #expect(try readCSV(text, chunkSize: chunkSize) == expected)
        #expect(expected.rows == [["id", "note"], ["1", "a;b\r\nc"], ["2", "q\"q"], ["3", "plain"]])
    }

    @Test("CRLF and LF, no final line break, blank lines skipped")
    func lineEnds() throws {
        let result = try readCSV("a,b\r\n1,2\r\n\r\n3,4\n\n5,6")
        #expect(result.rows == [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]])
        #expect(result.lines == [1, 2, 4, 6])
    }

    @Test(
        "a UTF-8 BOM is skipped and the delimiter detected",
        arguments: [
            (",", UInt8(ascii: ",")), (";", UInt8(ascii: ";")), ("\t", UInt8(0x09)), ("|", UInt8(ascii: "|")),
        ])
    func bomAndDelimiter(separator: String, expected: UInt8) throws {
        let text =
            ["record_id", "patient_id", "label"].joined(separator: separator) + "\n"
            + ["1", "P", "Poids, kg"].joined(separator: separator) + "\n"
        let (result, delimiter) = try readCSV([0xEF, 0xBB, 0xBF] + Array(text.utf8))
        #expect(delimiter == expected)
        #expect(result.rows[0] == ["record_id", "patient_id", "label"])
        if separator != "," { #expect(result.rows[1] == ["1", "P", "Poids, kg"]) }
    }

    @Test("an unterminated quote at the end of the file is one rejection at its first line")
    func unterminated() throws {
        let result = try readCSV("a,b\n1,2\n3,\"never closed\n4,5\n")
        #expect(result.rows == [["a", "b"], ["1", "2"]])
        #expect(result.rejections.map(\.0) == [3])
        #expect(result.rejections.map(\.1) == [.unterminatedQuote])
    }

    @Test("characters after a closing quote reject the row, the next row is read")
    func malformed() throws {
        let result = try readCSV("a,b\n1,\"x\"y\n2,z\n")
        #expect(result.rows == [["a", "b"], ["2", "z"]])
        #expect(result.rejections.map(\.1) == [.malformedQuote])
    }

    @Test("a quote inside an unquoted field is kept as a character, even beside a quoted field with doubled quotes")
    func strayQuote() throws {
        #expect(try readCSV("a,b\n5\" tube,2\n").rows == [["a", "b"], ["5\" tube", "2"]])
        #expect(try readCSV("a,b\nA\"\"1,\"x\"\"y\"\n").rows == [["a", "b"], ["A\"\"1", "x\"y"]])
    }

    @Test("an empty file gives no row")
    func empty() throws {
        #expect(try readCSV("") == ReadResult())
    }

    @Test("a 10 MB field is skipped as one rejection, in bounded memory, and reading goes on")
    func hugeField() throws {
        var bytes = Array("a,b\n1,\"".utf8)
        bytes += Array(repeating: UInt8(ascii: "x"), count: 10 << 20)
        bytes += Array("\"\n2,ok\n".utf8)
        let (result, _) = try readCSV(bytes, chunkSize: 1 << 16, maxRowBytes: 1 << 20)
        #expect(result.rows == [["a", "b"], ["2", "ok"]])
        #expect(result.rejections.map(\.1) == [.rowTooLong])
        #expect(result.lines == [1, 3])
        // With the default 8 MiB limit too.
        let (defaults, _) = try readCSV(bytes)
        #expect(defaults.rejections.map(\.1) == [.rowTooLong])
        #expect(defaults.rows.last == ["2", "ok"])
    }

    /// "Libellé;Unité\nTempérature;°C\nŒdème;€ 5’\n" in several encodings.
    static let text = "Libellé;Unité\nTempérature;°C\nŒdème;€ 5’\n"
    static let expected = [["Libellé", "Unité"], ["Température", "°C"], ["Œdème", "€ 5’"]]

    static func windows1252(_ text: String) -> [UInt8] {
        text.unicodeScalars.map { scalar -> UInt8 in
            switch scalar.value {
            case 0x20AC: 0x80
            case 0x0152: 0x8C
            case 0x0153: 0x9C
            case 0x2019: 0x92
            default: UInt8(scalar.value)
            }
        }
    }

    @Test("Windows-1252 is detected and decoded, whatever the chunk size", arguments: [3, 1 << 20])
    func windows1252Detection(chunkSize: Int) throws {
        let ((result, delimiter), encoding) = try readCSVWithEncoding(Self.windows1252(Self.text), chunkSize: chunkSize)
        #expect(encoding == .windows1252)
        #expect(delimiter == UInt8(ascii: ";"))
        #expect(result.rows == Self.expected)
    }

    @Test("ISO-8859-15 is told from Windows-1252 by its œ and €")
    func latin9() throws {
        let bytes =
            Array("Libell".utf8) + [0xE9] + Array(";Note\n".utf8) + [0xBD] + Array("d".utf8) + [0xE8]
            + Array("me;".utf8) + [0xA4] + Array("\n".utf8)
        let ((result, _), encoding) = try readCSVWithEncoding(bytes)
        #expect(encoding == .latin9)
        #expect(result.rows == [["Libellé", "Note"], ["œdème", "€"]])
        // Told explicitly, the same bytes read as Windows-1252.
        let ((asWindows, _), _) = try readCSVWithEncoding(bytes, encoding: .windows1252)
        #expect(asWindows.rows[1] == ["½dème", "¤"])
    }

    @Test("UTF-16 with a BOM, little and big endian, with code units cut between chunks", arguments: [true, false])
    func utf16(littleEndian: Bool) throws {
        let text = Self.text + "emoji;😀\n"
        var bytes: [UInt8] = littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]
        for unit in text.utf16 {
            let pair = [UInt8(unit & 0xFF), UInt8(unit >> 8)]
            bytes += littleEndian ? pair : pair.reversed()
        }
        for chunkSize in [3, 5, 1 << 20] {
            let ((result, _), encoding) = try readCSVWithEncoding(bytes, chunkSize: chunkSize)
            #expect(encoding == (littleEndian ? .utf16LE : .utf16BE))
            #expect(result.rows == Self.expected + [["emoji", "😀"]])
        }
    }

    @Test(
        "a Windows-1252 file whose first 64 KiB are ASCII switches when its first accent comes",
        arguments: [7, 1 << 12, 1 << 20])
    func lateAccent(chunkSize: Int) throws {
        var bytes = Array("id;label\n".utf8)
        for number in 0..<8_000 { bytes += Array("\(number);plain\n".utf8) }
        bytes += Self.windows1252("x;Température à 8 h\n")
        let ((result, _), encoding) = try readCSVWithEncoding(bytes, chunkSize: chunkSize)
        #expect(encoding == .windows1252)
        #expect(result.rows.count == 8_002)
        #expect(result.rows.last == ["x", "Température à 8 h"])
        #expect(result.rows[8_000] == ["7999", "plain"])
    }

    @Test(
        "a Windows-1252 accent as the very last byte of the first window still decides Windows-1252",
        arguments: [1 << 12, 1 << 20])
    func accentAtWindowEnd(chunkSize: Int) throws {
        var bytes = Array("id;label\n".utf8)
        while bytes.count < (1 << 16) - 40 { bytes += Array("1;plain text here\n".utf8) }
        let filler = (1 << 16) - 1 - bytes.count - 2
        bytes += Array("2;".utf8) + Array(repeating: UInt8(ascii: "a"), count: filler) + [0xE9]  // é, byte 65 535
        bytes += Array("t\n3;Température\n".utf8).map { $0 == 0xC3 ? 0xE9 : $0 }.filter { $0 != 0xA9 }
        let ((result, _), encoding) = try readCSVWithEncoding(bytes, chunkSize: chunkSize)
        #expect(encoding == .windows1252)
        #expect(result.rows.last == ["3", "Température"])
        #expect(result.rows[result.rows.count - 2][1].hasSuffix("aét"))
    }

    @Test("a UTF-8 file with one corrupted byte among many accents stays UTF-8")
    func utf8WithOneBadByte() throws {
        var bytes = Array("id;label\n".utf8)
        for number in 0..<50 { bytes += Array("\(number);café crème\n".utf8) }
        bytes += Array("x;caf".utf8) + [0xE9] + Array("\n".utf8)
        let ((result, _), encoding) = try readCSVWithEncoding(bytes)
        #expect(encoding == .utf8)
        #expect(result.rows[1] == ["0", "café crème"])
    }

    @Test("valid UTF-8 stays UTF-8, even with an accent cut at the end of the first window")
    func utf8Stays() throws {
        let long = String(repeating: "a", count: (1 << 16) - 1) + "é;x\n"
        let ((result, _), encoding) = try readCSVWithEncoding(Array(long.utf8))
        #expect(encoding == .utf8)
        #expect(result.rows.first?.last == "x")
    }

    @Test(
        "encoding names and aliases",
        arguments: [
            ("UTF-8", TextEncoding.utf8), ("cp1252", .windows1252), ("Windows-1252", .windows1252), ("latin1", .latin1),
            ("ISO-8859-15", .latin9), ("utf16", .utf16LE),
        ])
    func names(name: String, expected: TextEncoding) {
        #expect(TextEncoding(name: name) == expected)
    }

    @Test(
        "UTF-8 validation finds the first bad byte",
        arguments: [
            ([0x61, 0x62], nil), ([0xC3, 0xA9], nil), ([0x61, 0xE9, 0x62], 1), ([0xC0, 0xAF], 0),
            ([0xED, 0xA0, 0x80], 0),
            ([0xF4, 0x90, 0x80, 0x80], 0), ([0xE2, 0x82], 0), ([0xF0, 0x9F, 0x98, 0x80], nil),
        ] as [([UInt8], Int?)])
    func utf8(bytes: [UInt8], expected: Int?) {
        #expect(bytes.withUnsafeBytes { UTF8Validation.firstInvalidOffset($0) } == expected)
    }
}

@Suite("CSV dialects")
struct CSVDialectTests {
    @Test("a single-quote dialect read with quote = '")
    func singleQuotes() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("q.csv", "id|note\n1|'a|b ''c'''\n")
        let reader = try CSVReader(path: path, quote: UInt8(ascii: "'"))
        var rows: [[String]] = []
        try reader.read { if case .row(let row) = $0 { rows.append((0..<row.count).map { row.string($0) }) } }
        #expect(reader.delimiter == UInt8(ascii: "|"))
        #expect(rows == [["id", "note"], ["1", "a|b 'c'"]])
    }

    @Test("title lines above the header do not fool delimiter detection")
    func titleLines() throws {
        let text = "Export du DUI, EHPAD Les Tilleuls\nPériode : mars 2026\nid;nom;date\n1;a;x\n2;b;y\n3;c;z\n"
        let (result, delimiter) = try readCSV(Array(text.utf8))
        #expect(delimiter == UInt8(ascii: ";"))
        #expect(result.rows.last == ["3", "c", "z"])
    }

    @Test(
        "random rows mixing every kind of field read exactly as written, whatever the chunk size",
        arguments: [1, 5, 8, 13, 4096, 1 << 20])
    func randomRows(chunkSize: Int) throws {
        // Plain, empty, quoted (simple, with the delimiter, doubled quotes, a line break, CRLF inside), and an
        // unquoted field with a quote inside; rows ending in LF or CRLF. More than 64 KiB, so that the reads
        // after the first window (at most a chunk each) cut fields and rows everywhere.
        var random = SystemRandomNumberGenerator.Seeded(seed: 42)
        let shapes: [(written: String, value: String)] = [
            ("plain", "plain"), ("", ""), ("\"quoted\"", "quoted"), ("\"a,b\"", "a,b"), ("\"q\"\"q\"", "q\"q"),
            ("\"two\nlines\"", "two\nlines"), ("\"cr\r\nlf\"", "cr\r\nlf"), ("x\"y", "x\"y"), ("\"\"", ""),
            ("\"39,1\"", "39,1"), ("accentué é", "accentué é"),
            ("a longer plain field of some forty bytes.", "a longer plain field of some forty bytes."),
        ]
        var text = "a,b,c,d\n"
        var expectedRows: [[String]] = [["a", "b", "c", "d"]]
        var expectedLines = [1]
        var line = 2
        while text.utf8.count < 200_000 {
            var fields: [String] = [], values: [String] = []
            for _ in 0..<4 {
                let shape = shapes[Int(random.next() % UInt64(shapes.count))]
                fields.append(shape.written)
                values.append(shape.value)
            }
            text += fields.joined(separator: ",") + (random.next() % 2 == 0 ? "\n" : "\r\n")
            expectedRows.append(values)
            expectedLines.append(line)
            line += 1 + fields.joined().filter { $0 == "\n" || $0 == "\r\n" }.count
        }
        let result = try readCSV(text, chunkSize: chunkSize)
        #expect(result.rejections.isEmpty)
        #expect(result.rows.count == expectedRows.count)
        #expect(result.rows == expectedRows)
        #expect(result.lines == expectedLines)
    }
}
