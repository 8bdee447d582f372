/// The period an export says it covers: its first and last day, as written in a title line above the
/// header (`Période : du 01/03/2026 au 31/03/2026`, `Extraction 2026-03-01 - 2026-03-31`) or in a
/// profile (`period = "2026-03-01..2026-03-31"`).
///
/// Why: an export of March holds March's entries, but its first and last entries need not fall on the 1st
/// and the 31st; hours per month computed on the span of the entries would be inflated (a 26-day span
/// for a 31-day export). A period the export declares is what the figures are per.
public struct DeclaredPeriod: Sendable, Equatable, CustomStringConvertible {
    /// First and last day, counted in days since 1970-01-01 (local calendar days).
    public var firstDay: Int64
    public var lastDay: Int64

    public init?(firstDay: Int64, lastDay: Int64) {
        guard firstDay <= lastDay else { return nil }
        self.firstDay = firstDay
        self.lastDay = lastDay
    }

    public var description: String {
        func iso(_ day: Int64) -> String {
            let (y, m, d) = CivilDate.date(days: day)
            return "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
        }
        return "\(iso(firstDay))..\(iso(lastDay))"
    }

    /// The words that may join the two dates of a period (`du … au …`, `from … to …`, `… - …`).
    static let connectors: Set<String> = [
        "au", "à", "a", "to", "until", "till", "through", "-", "–", "—", "..", "->", "→", "jusqu'au", "jusqu’au", "et",
        "and",
    ]

    /// The period in a title line: exactly two dates joined by a connector word, the first not after the
    /// second; nil otherwise (a line with one date, such as `Édité le 02/04/2026`, declares nothing).
    public static func find(inTitle line: String) -> DeclaredPeriod? {
        let scalars = Array(line.unicodeScalars)
        var dates: [(day: Int64, start: Int, end: Int)] = []
        var index = 0
        while index < scalars.count {
            if isDigit(scalars[index]), index == 0 || !isDigit(scalars[index - 1]),
                let (day, end) = date(in: scalars, at: index)
            {
                dates.append((day, index, end))
                index = end
                if dates.count > 2 { return nil }
                continue
            }
            index += 1
        }
        guard dates.count == 2 else { return nil }
        var between = String(String.UnicodeScalarView(scalars[dates[0].end..<dates[1].start]))
        between = between.trimmingSpacesAndPunctuation().lowercased()
        guard connectors.contains(between) else { return nil }
        return DeclaredPeriod(firstDay: dates[0].day, lastDay: dates[1].day)
    }

    /// `2026-03-01..2026-03-31` (a profile's `period` and `--period`): two ISO days, the first not after
    /// the last; nil otherwise.
    public static func parse(range text: String) -> DeclaredPeriod? {
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2, parts.allSatisfy({ $0.count == 10 }),
            let first = ISOTimeParser.parse(parts[0]), let last = ISOTimeParser.parse(parts[1])
        else { return nil }
        return DeclaredPeriod(firstDay: first.seconds / 86_400, lastDay: last.seconds / 86_400)
    }

    /// UTC seconds from the first second of the first day to the last second of the last, on `clock`.
    public func utc(on clock: inout SiteClock) -> ClosedRange<Int64> {
        let first = clock.utc(fromLocal: firstDay * 86_400)
        let end = clock.utc(fromLocal: (lastDay + 1) * 86_400)
        return first...(end - 1)
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 48 && scalar.value <= 57 }

    /// A date starting at `start`: `dd/mm/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy` (day and month of one or two
    /// digits) or `yyyy-mm-dd`, `yyyy/mm/dd`; its day number and where it ends.
    private static func date(in scalars: [Unicode.Scalar], at start: Int) -> (Int64, Int)? {
        var numbers: [(value: Int, digits: Int)] = []
        var separator: Unicode.Scalar?
        var index = start
        while numbers.count < 3 {
            var value = 0, digits = 0
            while index < scalars.count, isDigit(scalars[index]), digits < 5 {
                value = value * 10 + Int(scalars[index].value - 48)
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            numbers.append((value, digits))
            if numbers.count == 3 { break }
            guard index < scalars.count, ["/", "-", "."].contains(scalars[index]) else { return nil }
            if let separator, separator != scalars[index] { return nil }
            separator = scalars[index]
            index += 1
        }
        if index < scalars.count, isDigit(scalars[index]) { return nil }
        let (year, month, day): (Int, Int, Int)
        if numbers[0].digits == 4, numbers[1].digits <= 2, numbers[2].digits <= 2 {
            (year, month, day) = (numbers[0].value, numbers[1].value, numbers[2].value)
        } else if numbers[0].digits <= 2, numbers[1].digits <= 2, numbers[2].digits == 4 {
            (year, month, day) = (numbers[2].value, numbers[1].value, numbers[0].value)
        } else {
            return nil
        }
        guard (1900...2200).contains(year), (1...12).contains(month), day >= 1,
            day <= CivilDate.daysInMonth(year: year, month: month)
        else { return nil }
        return (CivilDate.days(year: year, month: month, day: day), index)
    }
}

extension String {
    /// Without the spaces, colons and semicolons around it (a title cell's padding).
    fileprivate func trimmingSpacesAndPunctuation() -> String {
        let unwanted: Set<Character> = [" ", "\t", ":", ";", ",", "\u{00A0}", "\u{202F}"]
        var characters = Substring(self)
        while let first = characters.first, unwanted.contains(first) { characters = characters.dropFirst() }
        while let last = characters.last, unwanted.contains(last) { characters = characters.dropLast() }
        return String(characters)
    }
}
