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

    /// Quartiles of a metric over the sites of one peer group.
    public struct Quartiles: Sendable, Equatable {
        public var group: String
        /// Sites of the group with a value.
        public var sites: Int
        public var q1: Double
        public var median: Double
        public var q3: Double
    }

    public struct Row: Sendable, Equatable {
        public var metric: Metric
        /// One value per site, in the order of `sites` (nil when not meaningful).
        public var values: [Double?]
        /// 1 for the highest value among the site's peers; equal values share a rank (`tied`); nil where
        /// the value is nil or the site's peer group has too few sites with a value.
        public var ranks: [Int?]
        public var tied: [Bool]
        /// Per peer group with enough sites with a value, in the order of `groups`.
        public var quartiles: [Quartiles]
    }

    /// Sites compared with one another: of one type (or region, or vendor), or all of them.
    public struct PeerGroup: Sendable, Equatable {
        public var name: String
        /// Indices into `sites`.
        public var sites: [Int]
    }

    /// Ranks and quartiles need at least this many sites with a value in a peer group: with fewer, a
    /// quartile is one site's figure, and a rank says little.
    public static let defaultMinimumSites = 5

    public var sites: [String]
    public var groups: [PeerGroup]
    public var minimumSites: Int
    public var rows: [Row]

    /// `peerGroups`: each site's group (its type, region or vendor), in the order of `sites`; nil compares
    /// every site with every other (one group, `all`).
    public init(
        _ sites: [WorkloadMetrics], peerGroups: [String]? = nil, minimumSites: Int = SiteComparison.defaultMinimumSites
    ) {
        self.sites = sites.map(\.site)
        self.minimumSites = minimumSites
        let names = peerGroups ?? Array(repeating: "all", count: sites.count)
        var groups: [PeerGroup] = []
        for (index, name) in names.enumerated() {
            if let existing = groups.firstIndex(where: { $0.name == name }) {
                groups[existing].sites.append(index)
            } else {
                groups.append(PeerGroup(name: name, sites: [index]))
            }
        }
        self.groups = groups
        rows = Metric.allCases.map { metric in
            let values = sites.map { metric.value(of: $0) }
            var ranks = [Int?](repeating: nil, count: sites.count)
            var tied = [Bool](repeating: false, count: sites.count)
            var quartiles: [Quartiles] = []
            for group in groups {
                let known = group.sites.compactMap { values[$0] }.sorted()
                guard known.count >= max(1, minimumSites) else { continue }
                for site in group.sites {
                    guard let value = values[site] else { continue }
                    ranks[site] = known.filter { $0 > value }.count + 1
                    tied[site] = known.filter { $0 == value }.count > 1
                }
                quartiles.append(
                    Quartiles(
                        group: group.name, sites: known.count, q1: Self.quantile(known, 0.25)!,
                        median: Self.quantile(known, 0.5)!,
                        q3: Self.quantile(known, 0.75)!))
            }
            return Row(metric: metric, values: values, ranks: ranks, tied: tied, quartiles: quartiles)
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
