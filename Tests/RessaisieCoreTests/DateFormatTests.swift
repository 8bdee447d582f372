import RessaisieCore
import Testing

@Suite("Date formats of exports")
struct DateFormatTests {
    func seconds(_ iso: String) -> Int64 { ISOTimeParser.parse(iso)!.seconds }

    @Test(
        "French and compact layouts",
        arguments: [
            ("dd/MM/yyyy", "04/03/2026", "2026-03-04"),
            ("dd/MM/yyyy", "4/3/2026", "2026-03-04"),
            ("dd/MM/yyyy HH:mm", "04/03/2026 08:05", "2026-03-04 08:05"),
            ("dd/MM/yyyy HH:mm", "04/03/2026 8:05:30", "2026-03-04 08:05:30"),
            ("dd/MM/yyyy HH:mm:ss", "04/03/2026 08:05:09", "2026-03-04 08:05:09"),
            ("yyyyMMddHHmmss", "20260304080509", "2026-03-04 08:05:09"),
            ("yyyyMMdd", "20260304", "2026-03-04"),
            ("dd.MM.yyyy", "04.03.2026", "2026-03-04"),
            ("dd/MM/yy", "03/02/45", "1945-02-03"),
            ("dd/MM/yy", "03/02/12", "2012-02-03"),
        ])
    func layouts(pattern: String, text: String, iso: String) throws {
        let format = try #require(DateFormat(pattern))
        let parsed = try #require(format.parse(text))
        #expect(parsed.seconds == seconds(iso))
        #expect(parsed.isLocal)
    }

    @Test(
        "times of day alone",
        arguments: [("HH:mm", "08:05", 29_100), ("HH'h'mm", "8h05", 29_100), ("HH:mm:ss", "23:59:59", 86_399)])
    func times(pattern: String, text: String, expected: Int64) throws {
        #expect(try #require(DateFormat(pattern)).parse(text)?.seconds == expected)
    }

    @Test(
        "refused values",
        arguments: [
            ("dd/MM/yyyy", "31/02/2026"), ("dd/MM/yyyy", "2026-03-04"), ("dd/MM/yyyy", "04/13/2026"),
            ("yyyyMMdd", "2026034"),
            ("HH:mm", "24:00"), ("dd/MM/yyyy HH:mm", "04/03/2026"), ("dd/MM/yyyy", "04/03/2026x"),
        ])
    func refused(pattern: String, text: String) {
        #expect(DateFormat(pattern)?.parse(text) == nil)
    }

    @Test("detection picks the layout that reads every sample")
    func detection() {
        #expect(DateFormat.detect(["04/03/2026 08:05", "12/03/2026 17:40", ""])?.pattern == "dd/MM/yyyy HH:mm")
        #expect(DateFormat.detect(["04/03/2026", "31/12/2025"])?.pattern == "dd/MM/yyyy")
        #expect(DateFormat.detect(["20260304080509"])?.pattern == "yyyyMMddHHmmss")
        #expect(DateFormat.detect(["08:05", "17:40"])?.pattern == "HH:mm")
        #expect(DateFormat.detect(["Chute", "04/03/2026"]) == nil)
    }

    @Test("bad patterns are refused", arguments: ["", "yyy-MM", "ddd", "'h"])
    func badPatterns(pattern: String) {
        #expect(DateFormat(pattern) == nil)
    }
}
