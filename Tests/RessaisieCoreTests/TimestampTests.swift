import Foundation
import RessaisieCore
import Testing

@Suite("ISO 8601 times")
struct ISOTimeParserTests {
    @Test(
        "accepted forms",
        arguments: [
            ("2026-03-04T08:05:00+01:00", 1_772_607_900, false),
            ("2026-03-04T07:05:00Z", 1_772_607_900, false),
            ("2026-03-04T08:05:00.250+0100", 1_772_607_900, false),
            ("2026-03-04T09:05+02", 1_772_607_900, false),
            ("2026-03-04 07:05", 1_772_607_900, true),
            ("2026-03-04T07:05:00", 1_772_607_900, true),
            ("2026-03-04", 1_772_582_400, true),
            (" 2026-03-04 ", 1_772_582_400, true),
            ("2024-02-29", 1_709_164_800, true),
        ])
    func accepted(text: String, seconds: Int64, isLocal: Bool) throws {
        let parsed = try #require(ISOTimeParser.parse(text))
        #expect(parsed.seconds == seconds)
        #expect(parsed.isLocal == isLocal)
    }

    @Test(
        "refused forms",
        arguments: [
            "", "2026", "2026-13-01", "2026-02-30", "2025-02-29", "2026-03-04T25:00", "2026-03-04T08:60",
            "2026-03-04T08:05:00+1", "2026-03-04T08:05:00+01:0", "04/03/2026", "2026-03-04X08:05",
            "2026-03-04T08:05:00+01:00junk",
            "2026-03-04T08:05:00.", "2026-03-04T24:30",
        ])
    func refused(text: String) {
        #expect(ISOTimeParser.parse(text) == nil)
    }

    @Test("civil dates round-trip over four centuries")
    func civil() {
        for days in stride(from: Int64(-150_000), through: 150_000, by: 97) {
            let (year, month, day) = CivilDate.date(days: days)
            #expect(CivilDate.days(year: year, month: month, day: day) == days)
        }
    }
}

@Suite("Site clock")
struct SiteClockTests {
    let paris = TimeZone(identifier: "Europe/Paris")!

    @Test("local times become UTC with the right offset, summer and winter")
    func offsets() {
        var clock = SiteClock(timeZone: paris)
        // 2026-01-15 12:00 local = 11:00Z; 2026-07-15 12:00 local = 10:00Z.
        #expect(
            clock.utc(fromLocal: ISOTimeParser.parse("2026-01-15 12:00")!.seconds)
                == ISOTimeParser.parse("2026-01-15T11:00Z")!.seconds)
        #expect(
            clock.utc(fromLocal: ISOTimeParser.parse("2026-07-15 12:00")!.seconds)
                == ISOTimeParser.parse("2026-07-15T10:00Z")!.seconds)
    }

    @Test("around the changes of 2026 (29 March, 25 October)")
    func changes() {
        var clock = SiteClock(timeZone: paris)
        func utc(_ local: String) -> Int64 { clock.utc(fromLocal: ISOTimeParser.parse(local)!.seconds) }
        #expect(utc("2026-03-29 01:30") == ISOTimeParser.parse("2026-03-29T00:30Z")!.seconds)
        #expect(utc("2026-03-29 03:30") == ISOTimeParser.parse("2026-03-29T01:30Z")!.seconds)
        // 02:30 does not exist; read with the winter offset (that is, 03:30 summer time).
        #expect(utc("2026-03-29 02:30") == ISOTimeParser.parse("2026-03-29T01:30Z")!.seconds)
        // 02:30 happens twice on 25 October; the first (summer) one is taken.
        #expect(utc("2026-10-25 02:30") == ISOTimeParser.parse("2026-10-25T00:30Z")!.seconds)
        #expect(utc("2026-10-25 03:30") == ISOTimeParser.parse("2026-10-25T02:30Z")!.seconds)
        #expect(utc("2026-10-25 01:30") == ISOTimeParser.parse("2026-10-24T23:30Z")!.seconds)
    }

    @Test("formats on the site's wall clock")
    func formatting() {
        let clock = SiteClock(timeZone: paris)
        #expect(clock.iso8601(ISOTimeParser.parse("2026-03-04T07:05:00Z")!.seconds) == "2026-03-04T08:05:00+01:00")
        #expect(clock.iso8601(ISOTimeParser.parse("2026-07-04T07:05:09Z")!.seconds) == "2026-07-04T09:05:09+02:00")
        #expect(clock.day(ISOTimeParser.parse("2026-03-04T23:30:00Z")!.seconds) == "2026-03-05")
    }
}
