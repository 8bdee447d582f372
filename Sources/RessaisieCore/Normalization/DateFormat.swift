import Foundation

/// A date or time layout as exports write it: `dd/MM/yyyy`, `dd/MM/yyyy HH:mm`, `yyyyMMddHHmmss`,
/// `HH:mm`, `HH'h'mm`… Parsed from bytes, without Foundation's formatters (a million times per file).
///
/// Pattern letters: `yyyy`, `yy` (two-digit years: up to `pivotYear` is 20xx, above is 19xx), `MM`,
/// `dd`, `HH`, `mm`, `ss`; a quoted `'h'` is a literal; any other character must be matched as it is. One-digit days, months and hours are accepted
/// where the pattern has two letters and a separator follows (`4/3/2026`, `8:05`).
public struct DateFormat: Sendable, Equatable, CustomStringConvertible {
    enum Token: Sendable, Equatable {
        case year4, year2, month, day, hour, minute, second
        case literal(UInt8)
    }

    let tokens: [Token]
    public let pattern: String

    /// Two-digit years at or below this are 20xx, above it 19xx (`yy` birth dates: 45 → 1945, 12 → 2012).
    public static let pivotYear = 30

    public init?(_ pattern: String) {
        var tokens: [Token] = []
        let characters = Array(pattern.utf8)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            var run = 1
            while index + run < characters.count, characters[index + run] == character { run += 1 }
            switch (character, run) {
            case (UInt8(ascii: "y"), 4): tokens.append(.year4)
            case (UInt8(ascii: "y"), 2): tokens.append(.year2)
            case (UInt8(ascii: "M"), 2): tokens.append(.month)
            case (UInt8(ascii: "d"), 2): tokens.append(.day)
            case (UInt8(ascii: "H"), 2): tokens.append(.hour)
            case (UInt8(ascii: "m"), 2): tokens.append(.minute)
            case (UInt8(ascii: "s"), 2): tokens.append(.second)
            case (UInt8(ascii: "y"), _), (UInt8(ascii: "M"), _), (UInt8(ascii: "d"), _), (UInt8(ascii: "H"), _),
                (UInt8(ascii: "m"), _), (UInt8(ascii: "s"), _):
                return nil
            case (UInt8(ascii: "'"), _):
                // A quoted literal: 'h'
                guard let close = characters[(index + 1)...].firstIndex(of: UInt8(ascii: "'")) else { return nil }
                for literal in characters[(index + 1)..<close] { tokens.append(.literal(literal)) }
                index = close + 1
                continue
            default:
                for _ in 0..<run { tokens.append(.literal(character)) }
            }
            index += run
        }
        guard !tokens.isEmpty else { return nil }
        self.tokens = tokens
        self.pattern = pattern
    }

    public var description: String { pattern }

    /// True when the pattern has a date part (year, month, day).
    public var hasDate: Bool { tokens.contains(.day) && tokens.contains(.month) }
    /// True when the pattern has a time of day.
    public var hasTime: Bool { tokens.contains(.hour) }

    /// Parses `bytes` (surrounding spaces ignored). A pattern without a date gives seconds within the day;
    /// times are always local (`isLocal`), as exports write them.
    public func parse(_ bytes: UnsafeRawBufferPointer) -> ParsedTime? {
        var start = 0, end = bytes.count
        while start < end, bytes[start] == 0x20 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 { end -= 1 }
        var position = start
        var year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0
        for (index, token) in tokens.enumerated() {
            if case .literal(let literal) = token {
                guard position < end, bytes[position] == literal else { return nil }
                position += 1
                continue
            }
            // Fixed width, except that a separator next lets a one-digit field through.
            let width = token == .year4 ? 4 : 2
            // Separated by literals on the side that follows (or, for the last field, the side before).
            let nextIsLiteral: Bool
            if index + 1 < tokens.count {
                if case .literal = tokens[index + 1] { nextIsLiteral = true } else { nextIsLiteral = false }
            } else if index > 0, case .literal = tokens[index - 1] {
                nextIsLiteral = true
            } else {
                nextIsLiteral = false
            }
            var value = 0, digits = 0
            while digits < width, position < end, bytes[position] >= 0x30, bytes[position] <= 0x39 {
                value = value * 10 + Int(bytes[position] - 0x30)
                position += 1
                digits += 1
            }
            guard digits == width || (digits >= 1 && nextIsLiteral && token != .year4) else { return nil }
            switch token {
            case .year4: year = value
            case .year2: year = value <= Self.pivotYear ? 2000 + value : 1900 + value
            case .month: month = value
            case .day: day = value
            case .hour: hour = value
            case .minute: minute = value
            case .second: second = value
            case .literal: break
            }
        }
        // Trailing seconds or fractions after a minute-precision pattern are tolerated (`08:05:00`).
        if position < end, tokens.last == .minute, bytes[position] == UInt8(ascii: ":") {
            position += 1
            var digits = 0
            while position < end, bytes[position] >= 0x30, bytes[position] <= 0x39, digits < 2 {
                second = second * 10 + Int(bytes[position] - 0x30)
                position += 1
                digits += 1
            }
            guard digits == 2 else { return nil }
        }
        guard position == end else { return nil }
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysInMonth(year: year, month: month), hour <= 23,
            minute <= 59, second <= 60
        else { return nil }
        let seconds = Int64(hour * 3600 + minute * 60 + second)
        if !hasDate { return ParsedTime(seconds: seconds, isLocal: true, isDateOnly: false) }
        return ParsedTime(
            seconds: CivilDate.days(year: year, month: month, day: day) * 86_400 + seconds, isLocal: true,
            isDateOnly: !hasTime)
    }

    public func parse(_ string: String) -> ParsedTime? {
        var copy = string
        return copy.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// Layouts tried when detecting a column's format, most specific first.
    public static let candidates: [DateFormat] = [
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd",
        "dd/MM/yyyy HH:mm:ss", "dd/MM/yyyy HH:mm", "dd/MM/yyyy", "dd/MM/yy HH:mm", "dd/MM/yy",
        "dd-MM-yyyy HH:mm", "dd-MM-yyyy", "dd.MM.yyyy HH:mm", "dd.MM.yyyy",
        "yyyyMMddHHmmss", "yyyyMMddHHmm", "yyyyMMdd",
        "HH:mm:ss", "HH:mm", "HH'h'mm",
    ].compactMap { DateFormat($0) }

    /// The first candidate that reads every non-empty sample (nil when none does or no sample is given).
    public static func detect(_ samples: [String]) -> DateFormat? {
        let values = samples.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !values.isEmpty else { return nil }
        return candidates.first { format in values.allSatisfy { format.parse($0) != nil } }
    }
}
