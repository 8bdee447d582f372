/// What re-entry costs in working time: a fixed overhead per entry (finding the person, opening the
/// form, checking) plus typing its free text at a typing speed. Three scenarios give a range.
///
/// Defaults and their sources are in the README: one flowsheet entry per 0.8–1.1 minutes in acute care
/// sets the overhead; 30 net words per minute (median of residents, Kalava 2014) and 60 corrected words per
/// minute (mean of 2 690 hospital staff, Schuurman 2022) bound the typing speed.
public struct CostModel: Sendable, Equatable {
    public struct Scenario: Sendable, Equatable {
        /// Minutes of overhead per re-entry, by category; `defaultOverhead` for the others.
        public var overheadMinutes: [String: Double]
        public var defaultOverhead: Double
        public var wordsPerMinute: Double

        public init(defaultOverhead: Double, wordsPerMinute: Double, overheadMinutes: [String: Double] = [:]) {
            self.defaultOverhead = defaultOverhead
            self.wordsPerMinute = wordsPerMinute
            self.overheadMinutes = overheadMinutes
        }

        /// Minutes to type one entry again.
        public func minutes(category: String, textWords: UInt32) -> Double {
            (overheadMinutes[category] ?? defaultOverhead) + Double(textWords) / wordsPerMinute
        }
    }

    public var low: Scenario
    public var central: Scenario
    public var high: Scenario

    public init(low: Scenario, central: Scenario, high: Scenario) {
        self.low = low
        self.central = central
        self.high = high
    }

    public static let `default` = CostModel(
        low: Scenario(defaultOverhead: 0.5, wordsPerMinute: 60),
        central: Scenario(defaultOverhead: 0.8, wordsPerMinute: 40),
        high: Scenario(defaultOverhead: 1.1, wordsPerMinute: 30)
    )

    /// Average days in a month, to turn an audit period into months.
    public static let daysPerMonth = 30.436875
}

/// A low / central / high range of hours.
public struct HoursRange: Sendable, Equatable {
    public var low: Double
    public var central: Double
    public var high: Double

    public init(low: Double = 0, central: Double = 0, high: Double = 0) {
        self.low = low
        self.central = central
        self.high = high
    }

    public func scaled(by factor: Double) -> HoursRange {
        HoursRange(low: low * factor, central: central * factor, high: high * factor)
    }

    public static func + (a: HoursRange, b: HoursRange) -> HoursRange {
        HoursRange(low: a.low + b.low, central: a.central + b.central, high: a.high + b.high)
    }
}
