import RessaisieCore
import Testing
import TestSupport

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

func readCSV(_ bytes: [UInt8], chunkSize: Int = 1 << 20, maxRowBytes: Int = 8 << 20) throws -> (ReadResult, UInt8) {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let path = try folder.write("test.csv", bytes: bytes)
    let reader = try CSVReader(path: path, chunkSize: chunkSize, maxRowBytes: maxRowBytes)
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
    return (result, reader.delimiter)
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
        #expect(result.rows == [["a", "b", "c"], ["1", "x, y", "he said \"hi\""], ["2", "two\nlines", ""], ["3", "", "end"]])
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

    @Test("a UTF-8 BOM is skipped and the delimiter detected", arguments: [
        (",", UInt8(ascii: ",")), (";", UInt8(ascii: ";")), ("\t", UInt8(0x09)), ("|", UInt8(ascii: "|")),
    ])
    func bomAndDelimiter(separator: String, expected: UInt8) throws {
        let text = ["record_id", "patient_id", "label"].joined(separator: separator) + "\n"
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

    @Test("a quote inside an unquoted field is kept as a character")
    func strayQuote() throws {
        #expect(try readCSV("a,b\n5\" tube,2\n").rows == [["a", "b"], ["5\" tube", "2"]])
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

    @Test("UTF-16 files are refused with a clear error")
    func utf16() throws {
        #expect(throws: IngestError.self) { try readCSV([0xFF, 0xFE, 0x61, 0x00]) }
    }

    @Test("UTF-8 validation finds the first bad byte", arguments: [
        ([0x61, 0x62], nil), ([0xC3, 0xA9], nil), ([0x61, 0xE9, 0x62], 1), ([0xC0, 0xAF], 0), ([0xED, 0xA0, 0x80], 0),
        ([0xF4, 0x90, 0x80, 0x80], 0), ([0xE2, 0x82], 0), ([0xF0, 0x9F, 0x98, 0x80], nil),
    ] as [([UInt8], Int?)])
    func utf8(bytes: [UInt8], expected: Int?) {
        #expect(bytes.withUnsafeBytes { UTF8Validation.firstInvalidOffset($0) } == expected)
    }
}
