/// The main metrics of every site side by side, with each site's rank and the quartiles across sites,
/// as a multi-site study presents them.
public struct SiteComparison: Sendable, Equatable {
    public enum Metric: String, CaseIterable, Sendable {
        case redundancyRate = "redundancy_rate"
        case reEntries = "re_entries"
        case hoursPerMonth = "hours_per_month"
        case hoursPerFTEPerMonth = "hours_per_fte_per_month"
        case crossSystemShare = "cross_system_share"
        case transcriptionShare = "transcription_share"
        case managementShare = "management_share"
        case lagMedianMinutes = "lag_median_minutes"

        /// The two counts a share or rate divides (numerator, and the rest of its denominator), nil for a
        /// metric that is not a share: a share is a count in disguise, shown only when both are.
        public func counts(of site: WorkloadMetrics) -> (part: Int, rest: Int)? {
            switch self {
            case .redundancyRate: return (site.reEntries, site.entries - site.reEntries)
            case .crossSystemShare: return (site.crossSystem, site.reEntries - site.crossSystem)
            case .transcriptionShare: return (site.transcriptions, site.reEntries - site.transcriptions)
            case .managementShare:
                let management = site.byPurpose[.management]?.reEntries ?? 0
                return (management, site.reEntries - management)
            case .reEntries, .hoursPerMonth, .hoursPerFTEPerMonth, .lagMedianMinutes: return nil
            }
        }

        /// The value of this metric for a site, nil when it has no meaning there (no re-entry, no staffing, hours
        /// per month of a period under a week).
        public func value(of site: WorkloadMetrics) -> Double? {
            let reEntries = Double(site.reEntries)
            switch self {
            case .redundancyRate: return site.entries > 0 ? site.redundancyRate : nil
            case .reEntries: return reEntries
            // A period under a week has no figure per month (`WorkloadMetrics.shortPeriodDays`).
            case .hoursPerMonth: return site.isShortPeriod ? nil : site.hoursPerMonth.central
            case .hoursPerFTEPerMonth: return site.isShortPeriod ? nil : site.hoursPerFTEPerMonth?.central
            case .crossSystemShare: return reEntries > 0 ? Double(site.crossSystem) / reEntries : nil
            case .transcriptionShare: return reEntries > 0 ? Double(site.transcriptions) / reEntries : nil
            case .managementShare:
                return reEntries > 0 ? Double(site.byPurpose[.management]?.reEntries ?? 0) / reEntries : nil
            case .lagMedianMinutes: return site.lagMedianMinutes
            }
        }
    }

    public struct Row: Sendable, Equatable {
        public var metric: Metric
        /// One value per site, in the order of `sites` (nil when not meaningful).
        public var values: [Double?]
        /// 1 for the highest value; equal values share a rank; nil where the value is nil.
        public var ranks: [Int?]
        public var q1: Double?
        public var median: Double?
        public var q3: Double?
    }

    public var sites: [String]
    public var rows: [Row]

    public init(_ sites: [WorkloadMetrics]) {
        self.sites = sites.map(\.site)
        rows = Metric.allCases.map { metric in
            let values = sites.map { metric.value(of: $0) }
            let known = values.compactMap { $0 }.sorted()
            let ranks = values.map { value in value.map { v in known.filter { $0 > v }.count + 1 } }
            return Row(
                metric: metric, values: values, ranks: ranks,
                q1: Self.quantile(known, 0.25), median: Self.quantile(known, 0.5), q3: Self.quantile(known, 0.75))
        }
    }

    /// Quantile by linear interpolation between closest ranks (R type 7, the spreadsheet QUARTILE), nil
    /// for no value.
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down)), upper = Int(position.rounded(.up))
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }
}
