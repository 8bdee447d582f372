import Foundation

/// Calendar arithmetic on the proleptic Gregorian calendar, without Foundation's `Calendar`, for the
/// hot path of date parsing (Howard Hinnant's days-from-civil algorithms).
public enum CivilDate {
    /// Days since 1970-01-01 of a calendar date.
    @inline(__always)
    public static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Calendar date of a day count since 1970-01-01.
    public static func date(days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (Int(yoe + era * 400 + (month <= 2 ? 1 : 0)), Int(month), Int(day))
    }

    @inline(__always)
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// A time read from an export: seconds since the epoch, either already in UTC (the text carried an
/// offset or `Z`) or on the site's local wall clock.
public struct ParsedTime: Equatable, Sendable {
    public var seconds: Int64
    public var isLocal: Bool
    /// True when only a date was given.
    public var isDateOnly: Bool
}

/// Parses ISO 8601 times from bytes: `2026-03-04T08:05:00+01:00`, `2026-03-04 08:05`, `2026-03-04`,
/// with optional seconds, fraction (ignored), `Z` or `±HH:MM`/`±HHMM`/`±HH`.
public enum ISOTimeParser {
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> ParsedTime? {
        if bytes.count == 16 || bytes.count == 19, let parsed = parseLocalMinutesOrSeconds(bytes) { return parsed }
        var start = 0, end = bytes.count
        while start < end, bytes[start] == 0x20 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 { end -= 1 }
        let count = end - start
        guard count >= 10 else { return nil }
        @inline(__always) func digits(_ offset: Int, _ length: Int) -> Int? {
            var value = 0
            for position in start + offset..<start + offset + length {
                let byte = bytes[position]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = digits(0, 4), bytes[start + 4] == 0x2D, let month = digits(5, 2), bytes[start + 7] == 0x2D,
            let day = digits(8, 2), isValidDate(year: year, month: month, day: day)
        else { return nil }
        var seconds = CivilDate.days(year: year, month: month, day: day) * 86_400
        if count == 10 { return ParsedTime(seconds: seconds, isLocal: true, isDateOnly: true) }
        let separator = bytes[start + 10]
        guard separator == 0x54 || separator == 0x20 || separator == 0x74, count >= 16,
            let hour = digits(11, 2), bytes[start + 13] == 0x3A, let minute = digits(14, 2)
        else { return nil }
        var position = 16
        var second = 0
        if position < count, bytes[start + position] == 0x3A {
            guard count >= position + 3, let value = digits(position + 1, 2) else { return nil }
            second = value
            position += 3
            if position < count, bytes[start + position] == 0x2E || bytes[start + position] == 0x2C {
                position += 1
                let fractionStart = position
                while position < count, bytes[start + position] >= 0x30, bytes[start + position] <= 0x39 {
                    position += 1
                }
                guard position > fractionStart else { return nil }
            }
        }
        guard isValidTime(hour: hour, minute: minute, second: second) else { return nil }
        seconds += Int64(hour * 3600 + minute * 60 + second)
        if position == count { return ParsedTime(seconds: seconds, isLocal: true, isDateOnly: false) }
        let sign = bytes[start + position]
        if (sign == 0x5A || sign == 0x7A) && position + 1 == count {
            return ParsedTime(seconds: seconds, isLocal: false, isDateOnly: false)
        }
        guard sign == 0x2B || sign == 0x2D, count >= position + 3, let offsetHours = digits(position + 1, 2),
            offsetHours <= 18
        else {
            return nil
        }
        position += 3
        var offsetMinutes = 0
        if position < count {
            if bytes[start + position] == 0x3A { position += 1 }
            guard count == position + 2, let value = digits(position, 2), value <= 59 else { return nil }
            offsetMinutes = value
        }
        let offset = Int64(offsetHours * 3600 + offsetMinutes * 60)
        seconds += sign == 0x2B ? -offset : offset
        return ParsedTime(seconds: seconds, isLocal: false, isDateOnly: false)
    }

    public static func parse(_ string: String) -> ParsedTime? {
        var copy = string
        return copy.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// A day that exists (months of 1 to 12, days within the month).
    @inline(__always)
    private static func isValidDate(year: Int, month: Int, day: Int) -> Bool {
        month >= 1 && month <= 12 && day >= 1 && day <= CivilDate.daysInMonth(year: year, month: month)
    }

    /// A time of day: up to 24:00:00 exactly, and a leap second.
    @inline(__always)
    private static func isValidTime(hour: Int, minute: Int, second: Int) -> Bool {
        hour <= 24 && minute <= 59 && second <= 60 && (hour < 24 || (minute == 0 && second == 0))
    }

    /// The usual shapes of exports, `YYYY-MM-DD HH:MM` and `YYYY-MM-DDTHH:MM:SS` (16 or 19 bytes, no
    /// offset), read with straight-line code; nil for anything else, which the general parser then reads
    /// (or refuses) by the same rules.
    @inline(__always)
    private static func parseLocalMinutesOrSeconds(_ bytes: UnsafeRawBufferPointer) -> ParsedTime? {
        var invalid = false
        @inline(__always) func digit(_ offset: Int) -> Int {
            let value = bytes[offset] &- 0x30
            invalid = invalid || value > 9
            return Int(value)
        }
        let year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3)
        let month = digit(5) * 10 + digit(6), day = digit(8) * 10 + digit(9)
        let hour = digit(11) * 10 + digit(12), minute = digit(14) * 10 + digit(15)
        let separator = bytes[10]
        guard !invalid, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[13] == 0x3A,
            separator == 0x54 || separator == 0x20 || separator == 0x74, isValidDate(year: year, month: month, day: day)
        else { return nil }
        var second = 0
        if bytes.count == 19 {
            second = digit(17) * 10 + digit(18)
            guard !invalid, bytes[16] == 0x3A else { return nil }
        }
        guard isValidTime(hour: hour, minute: minute, second: second) else { return nil }
        let seconds =
            CivilDate.days(year: year, month: month, day: day) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return ParsedTime(seconds: seconds, isLocal: true, isDateOnly: false)
    }
}

/// Converts between a site's wall clock and UTC with the site's time zone (Europe/Paris by default),
/// caching the offset per hour: the last hour, then a direct-mapped table of recent hours, then a
/// dictionary of every hour seen, so that a million conversions of times in any order cost a few
/// instructions each, and the time zone is asked once per hour.
public struct SiteClock: @unchecked Sendable {
    public let timeZone: TimeZone
    private var lastHour: Int64 = .min
    private var lastOffset: Int64 = 0
    /// Recent hours: slot `hour % recentSlots` holds that hour and its offset (empty until used).
    private var recentHours: [Int64] = []
    private var recentOffsets: [Int64] = []
    private static let recentSlots = 2048
    private var cache: [Int64: Int64] = [:]
    /// Offsets at UTC hours (`hourAndWeekday(atUTC:)`), keyed by the UTC hour.
    private var offsetsAtUTCHours: [Int64: Int64] = [:]

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    public static let defaultTimeZoneIdentifier = "Europe/Paris"

    /// UTC seconds of a local wall-clock time. A time that occurs twice (autumn overlap) is read as the
    /// first occurrence; a time that does not exist (spring gap) is read with the offset before the change
    /// (02:30 becomes 03:30 summer time).
    public mutating func utc(fromLocal local: Int64) -> Int64 {
        let hour = local >= 0 ? local / 3600 : (local - 3599) / 3600
        if hour == lastHour { return local - lastOffset }
        if recentHours.isEmpty {
            recentHours = Array(repeating: .min, count: Self.recentSlots)
            recentOffsets = Array(repeating: 0, count: Self.recentSlots)
        }
        let slot = Int(truncatingIfNeeded: UInt64(bitPattern: hour) % UInt64(Self.recentSlots))
        let offset: Int64
        if recentHours[slot] == hour {
            offset = recentOffsets[slot]
        } else {
            if let cached = cache[hour] {
                offset = cached
            } else {
                let guess = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local))))
                let before = Int64(
                    timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local - guess - 3600))))
                let at = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local - guess))))
                offset = max(before, at)
                cache[hour] = offset
            }
            recentHours[slot] = hour
            recentOffsets[slot] = offset
        }
        lastHour = hour
        lastOffset = offset
        return local - offset
    }

    /// Offset from UTC in seconds at a UTC instant.
    public func offset(atUTC seconds: Int64) -> Int64 {
        Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds))))
    }

    /// Hour (0–23) and weekday (0 = Monday) on the wall clock of a UTC instant, asking the time zone once
    /// per UTC hour seen.
    public mutating func hourAndWeekday(atUTC utc: Int64) -> (hour: Int, weekday: Int) {
        let hourKey = utc >= 0 ? utc / 3600 : (utc - 3599) / 3600
        let offset: Int64
        if let known = offsetsAtUTCHours[hourKey] {
            offset = known
        } else {
            offset = self.offset(atUTC: hourKey * 3600)
            offsetsAtUTCHours[hourKey] = offset
        }
        let local = utc + offset
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let hour = Int((local - days * 86_400) / 3600)
        // 1970-01-01 was a Thursday (3, Monday = 0).
        let weekday = Int(((days % 7) + 7 + 3) % 7)
        return (hour, weekday)
    }

    /// `2026-03-04T08:05:00+01:00`, on the site's wall clock.
    public func iso8601(_ seconds: Int64) -> String {
        let offset = offset(atUTC: seconds)
        let local = seconds + offset
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let (year, month, day) = CivilDate.date(days: days)
        let secondOfDay = local - days * 86_400
        let sign = offset < 0 ? "-" : "+"
        let absolute = abs(offset)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(Int(secondOfDay / 3600), 2)):"
            + "\(pad(Int(secondOfDay % 3600 / 60), 2)):\(pad(Int(secondOfDay % 60), 2))"
            + "\(sign)\(pad(Int(absolute / 3600), 2)):\(pad(Int(absolute % 3600 / 60), 2))"
    }

    /// `2026-03-04`, on the site's wall clock.
    public func day(_ seconds: Int64) -> String {
        String(iso8601(seconds).prefix(10))
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
