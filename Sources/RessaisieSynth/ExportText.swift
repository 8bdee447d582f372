import Foundation
import RessaisieCore

/// Times and text as the exports write them.
enum ExportText {
    /// Local date and time of a minute count since 2026-01-01T00:00.
    static func components(_ minutes: Int) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        let days = minutes / 1440
        let date = civil(daysSince2026: days)
        let rest = minutes - days * 1440
        return (date.year, date.month, date.day, rest / 60, rest % 60)
    }

    /// The calendar day `days` after 2026-01-01 (day 20 454 since 1970-01-01).
    static func civil(daysSince2026 days: Int) -> CalendarDay {
        let date = CivilDate.date(days: Int64(days + 20_454))
        return CalendarDay(year: date.year, month: date.month, day: date.day)
    }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

    /// `value` with leading zeros to `width` digits (String(format:) is slow on Linux).
    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// `units` hundredths or tenths written with `places` decimals: decimal(375, 1) = "37.5".
    static func decimal(_ units: Int, _ places: Int) -> String {
        let digits = padded(units, places + 1)
        return digits.dropLast(places) + "." + digits.suffix(places)
    }

    /// `2026-03-02T08:15:00+01:00` (`second` past the minute).
    static func iso(_ minutes: Int, second: Int = 0) -> String {
        let c = components(minutes)
        return "\(c.year)-\(two(c.month))-\(two(c.day))T\(two(c.hour)):\(two(c.minute)):\(two(second))+01:00"
    }

    /// `20260302081500+0100` (`second` past the minute).
    static func hl7(_ minutes: Int, second: Int = 0) -> String {
        let c = components(minutes)
        return "\(c.year)\(two(c.month))\(two(c.day))\(two(c.hour))\(two(c.minute))\(two(second))+0100"
    }

    /// `2026-03-02`: the day of a minute count.
    static func isoDay(_ minutes: Int) -> String {
        let c = components(minutes)
        return "\(c.year)-\(two(c.month))-\(two(c.day))"
    }

    /// `20260302`.
    static func hl7Day(_ minutes: Int) -> String {
        let c = components(minutes)
        return "\(c.year)\(two(c.month))\(two(c.day))"
    }

    /// `02/03/2026`.
    static func frenchDate(_ minutes: Int) -> String {
        let c = components(minutes)
        return "\(two(c.day))/\(two(c.month))/\(c.year)"
    }

    /// `08:15`.
    static func frenchTime(_ minutes: Int) -> String {
        let c = components(minutes)
        return "\(two(c.hour)):\(two(c.minute))"
    }

    static func isoDate(_ date: CalendarDay) -> String { "\(date.year)-\(two(date.month))-\(two(date.day))" }
    static func frenchDate(_ date: CalendarDay) -> String { "\(two(date.day))/\(two(date.month))/\(date.year)" }
    static func hl7Date(_ date: CalendarDay) -> String { "\(date.year)\(two(date.month))\(two(date.day))" }

    /// Text escaped for XML content and attribute values.
    static func xml(_ value: String) -> String {
        guard value.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" || $0 == "\"" }) else { return value }
        return value.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Windows-1252 bytes of `text` (characters outside it become `?`; the vocabulary has none).
    static func windows1252(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0..<0x80, 0xA0...0xFF: bytes.append(UInt8(scalar.value))
            case 0x152: bytes.append(0x8C)  // Œ
            case 0x153: bytes.append(0x9C)  // œ
            case 0x20AC: bytes.append(0x80)  // €
            case 0x2019: bytes.append(0x92)  // ’
            case 0x2013: bytes.append(0x96)  // –
            case 0x2014: bytes.append(0x97)  // —
            default: bytes.append(UInt8(ascii: "?"))
            }
        }
        return bytes
    }
}
