import RessaisieCore
import TestSupport
import Testing

/// The one CSV quoting of every file the tool writes (RFC 4180): `CSVField`.
@Suite("CSV fields")
struct CSVFieldTests {
    @Test("a plain value as it is; a delimiter, quote, CR or LF quoted with its quotes doubled")
    func escaping() {
        #expect(CSVField.escape("Température 37,5") == "\"Température 37,5\"")
        #expect(CSVField.escape("plain text; with semicolon") == "plain text; with semicolon")
        #expect(CSVField.escape("il a dit \"non\"") == "\"il a dit \"\"non\"\"\"")
        #expect(CSVField.escape("line\nbreak") == "\"line\nbreak\"")
        #expect(CSVField.escape("cr\ronly") == "\"cr\ronly\"")
        // CR LF together is one Character in Swift: still a line break, still quoted.
        #expect(CSVField.escape("crlf\r\nbreak") == "\"crlf\r\nbreak\"")
        #expect(CSVField.escape("") == "")
        #expect(CSVField.escape("a;b", delimiter: 0x3B) == "\"a;b\"")
        #expect(CSVField.escape("a,b", delimiter: 0x3B) == "a,b")
    }

    @Test("a line joins escaped fields, and reads back as the same fields")
    func lines() {
        let fields = ["g1", "dpi", "a,b", "say \"x\"", "two\nlines", ""]
        let line = CSVField.line(fields)
        #expect(line == "g1,dpi,\"a,b\",\"say \"\"x\"\"\",\"two\nlines\",")
        #expect(parseSimpleCSV(line + "\n") == [fields])
        #expect(CSVField.line(["a", "b;c"], delimiter: 0x3B) == "a;\"b;c\"")
    }

    @Test("appending to a byte buffer quotes exactly as escape does")
    func bytes() {
        for value in ["plain", "a,b", "q\"q", "l\nl", "é,à", "\r\n"] {
            var buffer: [UInt8] = []
            CSVField.append(value, to: &buffer)
            #expect(String(decoding: buffer, as: UTF8.self) == CSVField.escape(value))
        }
    }
}
