import Foundation

/// When information is typed, and typed again: re-entries by part of the day (the care shifts: morning
/// 07–14 h, afternoon 14–21 h, night 21–07 h, on the site's wall clock) and by day of the week, against the
/// entries of the same slice; and the documentation delay (effective time → recorded time) of originals
/// and of re-entries.
///
/// Why: the field study asks when re-entries are made (at night, at the weekend, days after the care); a
/// re-entry rate that doubles at night, or re-entries typed days after the care, say something the counts
/// alone do not.
public struct WhenMetrics: Sendable, Equatable {
    /// Parts of the day, in this order; `timeUnknown` for an entry recorded with a day and no time of its own.
    public enum DayPart: Int, CaseIterable, Sendable {
        case morning, afternoon, night, timeUnknown

        public var name: String {
            switch self {
            case .morning: "morning"
            case .afternoon: "afternoon"
            case .night: "night"
            case .timeUnknown: "time_unknown"
            }
        }

        /// The part of a local hour (0–23).
        static func of(hour: Int) -> DayPart {
            hour >= 7 && hour < 14 ? .morning : hour >= 14 && hour < 21 ? .afternoon : .night
        }
    }

    /// Monday first.
    public static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    public var byDayPart = Array(repeating: SliceCount(), count: DayPart.allCases.count)
    public var byWeekday = Array(repeating: SliceCount(), count: 7)
    /// Median minutes from the effective time to the recorded time, where both are known to the minute.
    public var delayMedianOriginals: Double?
    public var delayMedianReEntries: Double?

    public init() {}

    /// Entries and re-entries per site (in `EntryStore.sites` order) and over all sites.
    public static func compute(
        store: EntryStore, groups: [DuplicateGroup], timeZone: TimeZone
    ) -> (sites: [WhenMetrics], totals: WhenMetrics) {
        let entries = store.entries
        var clock = SiteClock(timeZone: timeZone)
        var sites = Array(repeating: WhenMetrics(), count: store.sites.count)
        var isReEntry = [Bool](repeating: false, count: entries.count)
        for group in groups { for member in group.reEntries { isReEntry[member] = true } }
        var delays = Array(repeating: (originals: [Int64](), reEntries: [Int64]()), count: store.sites.count)
        for (index, entry) in entries.enumerated() {
            let site = Int(entry.site)
            let (hour, weekday) = clock.hourAndWeekday(atUTC: entry.recordedAt)
            let part = entry.flags.isDisjoint(with: .recordedNotToTheSecond) ? DayPart.of(hour: hour) : .timeUnknown
            let again = isReEntry[index] ? 1 : 0
            sites[site].byDayPart[part.rawValue].entries += 1
            sites[site].byDayPart[part.rawValue].reEntries += again
            sites[site].byWeekday[weekday].entries += 1
            sites[site].byWeekday[weekday].reEntries += again
            if entry.hasEffectiveTime, entry.flags.isDisjoint(with: .recordedNotToTheSecond),
                entry.recordedAt >= entry.effectiveAt
            {
                let delay = entry.recordedAt - entry.effectiveAt
                if again == 1 { delays[site].reEntries.append(delay) } else { delays[site].originals.append(delay) }
            }
        }
        var totals = WhenMetrics()
        for site in sites.indices {
            sites[site].delayMedianOriginals = median(delays[site].originals)
            sites[site].delayMedianReEntries = median(delays[site].reEntries)
            for part in totals.byDayPart.indices {
                totals.byDayPart[part].entries += sites[site].byDayPart[part].entries
                totals.byDayPart[part].reEntries += sites[site].byDayPart[part].reEntries
            }
            for day in 0..<7 {
                totals.byWeekday[day].entries += sites[site].byWeekday[day].entries
                totals.byWeekday[day].reEntries += sites[site].byWeekday[day].reEntries
            }
        }
        totals.delayMedianOriginals = median(delays.flatMap(\.originals))
        totals.delayMedianReEntries = median(delays.flatMap(\.reEntries))
        return (sites, totals)
    }

    /// Median in minutes (nearest rank, as the lags), nil for none.
    static func median(_ seconds: [Int64]) -> Double? {
        seconds.isEmpty ? nil : Double(AuditMetrics.nearestRank(seconds.sorted(), 0.5)) / 60
    }
}
