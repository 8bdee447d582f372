/// Counts for one system of a site.
public struct SystemMetrics: Sendable, Equatable {
    public var entries = 0
    /// Patient records (local ids) in this system.
    public var patients = 0
    public var authors = 0
    /// Re-entries typed into this system.
    public var reEntries = 0
    /// Originals of duplicate groups typed into this system.
    public var originals = 0

    public var redundancyRate: Double { entries == 0 ? 0 : Double(reEntries) / Double(entries) }
}

/// Re-entries whose original was typed in `from` and the copy in `to`.
public struct Flow: Sendable, Equatable {
    public var from: SystemKind
    public var to: SystemKind
    public var reEntries: Int
    /// Share of `to`'s entries that are re-entries from `from`.
    public var shareOfTargetEntries: Double

    public init(from: SystemKind, to: SystemKind, reEntries: Int, shareOfTargetEntries: Double) {
        self.from = from
        self.to = to
        self.reEntries = reEntries
        self.shareOfTargetEntries = shareOfTargetEntries
    }
}

/// Entries and re-entries of one slice (a category, a purpose).
public struct SliceCount: Sendable, Equatable {
    public var entries = 0
    public var reEntries = 0
    public var redundancyRate: Double { entries == 0 ? 0 : Double(reEntries) / Double(entries) }

    public init(entries: Int = 0, reEntries: Int = 0) {
        self.entries = entries
        self.reEntries = reEntries
    }
}

/// The workload picture of one site (or of all sites together, for totals).
public struct WorkloadMetrics: Sendable, Equatable {
    public var site: String
    /// First and last time typed (UTC seconds), and the period in days.
    public var firstRecordedAt: Int64 = .max
    public var lastRecordedAt: Int64 = .min
    public var entries = 0
    /// Persons after linkage.
    public var patients = 0
    /// Persons known to two systems or more.
    public var patientsInSeveralSystems = 0
    public var authors = 0
    public var bySystem: [SystemKind: SystemMetrics] = [:]
    /// Duplicate groups by multiplicity.
    public var groupsX2 = 0, groupsX3 = 0, groupsX4Plus = 0
    public var reEntries = 0
    public var flows: [Flow] = []
    public var byCategory: [String: SliceCount] = [:]
    public var byPurpose: [Purpose: SliceCount] = [:]
    public var crossSystem = 0, sameSystem = 0
    public var selfReEntries = 0, transcriptions = 0, authorUnknown = 0
    /// Lag between original and re-entry, minutes: median and 90th percentile (nearest rank).
    public var lagMedianMinutes: Double?
    public var lagP90Minutes: Double?
    /// Estimated time spent re-entering over the whole period, and per month.
    public var hoursTotal = HoursRange()
    public var hoursPerMonth = HoursRange()

    public init(site: String) {
        self.site = site
    }

    public var groups: Int { groupsX2 + groupsX3 + groupsX4Plus }
    public var redundancyRate: Double { entries == 0 ? 0 : Double(reEntries) / Double(entries) }
    /// Days covered, counted on whole days from the first to the last entry (at least 1).
    public var periodDays: Double {
        guard entries > 0 else { return 0 }
        return max(1, Double(lastRecordedAt - firstRecordedAt) / 86_400)
    }
}

/// Per-site metrics and their totals for a whole audit.
public struct AuditMetrics: Sendable {
    public var sites: [WorkloadMetrics]
    public var totals: WorkloadMetrics

    /// Computes every metric from the matched audit.
    public init(store: EntryStore, linkage: PatientLinkage, groups: [DuplicateGroup], costModel: CostModel = .default) {
        let entries = store.entries
        var perSite = store.sites.map { WorkloadMetrics(site: $0) }
        var totals = WorkloadMetrics(site: "total")

        // Entries, slices and period: counted in flat arrays (one pass, no hashing), then filed.
        let categoryCount = store.categories.count
        var first = Array(repeating: Int64.max, count: perSite.count)
        var last = Array(repeating: Int64.min, count: perSite.count)
        var perSystem = Array(repeating: 0, count: perSite.count * 3)
        var perCategory = Array(repeating: 0, count: perSite.count * categoryCount)
        var perPurpose = Array(repeating: 0, count: perSite.count * 2)
        for entry in entries {
            let site = Int(entry.site)
            first[site] = min(first[site], entry.recordedAt)
            last[site] = max(last[site], entry.recordedAt)
            perSystem[site * 3 + Int(entry.system.rawValue)] += 1
            perCategory[site * categoryCount + Int(entry.category)] += 1
            perPurpose[site * 2 + Int(entry.purpose.rawValue)] += 1
        }
        for site in perSite.indices {
            for apply in [true, false] {
                func file(_ metrics: inout WorkloadMetrics) {
                    metrics.firstRecordedAt = min(metrics.firstRecordedAt, first[site])
                    metrics.lastRecordedAt = max(metrics.lastRecordedAt, last[site])
                    for system in SystemKind.allCases where perSystem[site * 3 + Int(system.rawValue)] > 0 {
                        let count = perSystem[site * 3 + Int(system.rawValue)]
                        metrics.entries += count
                        metrics.bySystem[system, default: SystemMetrics()].entries += count
                    }
                    for category in 0..<categoryCount where perCategory[site * categoryCount + category] > 0 {
                        metrics.byCategory[store.categories[category], default: SliceCount()].entries +=
                            perCategory[site * categoryCount + category]
                    }
                    for purpose in Purpose.allCases where perPurpose[site * 2 + Int(purpose.rawValue)] > 0 {
                        metrics.byPurpose[purpose, default: SliceCount()].entries += perPurpose[site * 2 + Int(purpose.rawValue)]
                    }
                }
                if apply { file(&perSite[site]) } else { file(&totals) }
            }
        }

        // Patients and authors: distinct per site and per system.
        var personsPerSite = Array(repeating: [UInt32: Set<SystemKind>](), count: perSite.count)
        var recordsPerSystem = Array(repeating: [SystemKind: Int](), count: perSite.count)
        for (index, record) in store.patients.enumerated() {
            personsPerSite[Int(record.site)][linkage.person[index], default: []].insert(record.system)
            recordsPerSystem[Int(record.site)][record.system, default: 0] += 1
        }
        // Authors: one bit per system for each (site, author), in a flat array (no hashing per entry).
        let authorCount = store.authors.count
        var authorSystems = [UInt8](repeating: 0, count: perSite.count * authorCount)
        for entry in entries where entry.author != Entry.noID {
            authorSystems[Int(entry.site) * authorCount + Int(entry.author)] |= 1 << entry.system.rawValue
        }
        var allAuthorSystems = [UInt8](repeating: 0, count: authorCount)
        for site in perSite.indices {
            perSite[site].patients = personsPerSite[site].count
            perSite[site].patientsInSeveralSystems = personsPerSite[site].values.filter { $0.count > 1 }.count
            for (system, count) in recordsPerSystem[site] {
                perSite[site].bySystem[system, default: SystemMetrics()].patients = count
                totals.bySystem[system, default: SystemMetrics()].patients += count
            }
            let siteAuthors = authorSystems[site * authorCount..<(site + 1) * authorCount]
            perSite[site].authors = siteAuthors.filter { $0 != 0 }.count
            for system in SystemKind.allCases {
                let count = siteAuthors.filter { $0 & (1 << system.rawValue) != 0 }.count
                if count > 0 { perSite[site].bySystem[system, default: SystemMetrics()].authors = count }
            }
            for (author, systems) in zip(0..<authorCount, siteAuthors) { allAuthorSystems[author] |= systems }
            totals.patients += perSite[site].patients
            totals.patientsInSeveralSystems += perSite[site].patientsInSeveralSystems
        }
        totals.authors = allAuthorSystems.filter { $0 != 0 }.count
        for system in SystemKind.allCases {
            let count = allAuthorSystems.filter { $0 & (1 << system.rawValue) != 0 }.count
            if count > 0 { totals.bySystem[system]?.authors = count }
        }

        // Groups and re-entries.
        var flowCounts = Array(repeating: [[SystemKind]: Int](), count: perSite.count)
        var totalFlowCounts = [[SystemKind]: Int]()
        var lags = Array(repeating: [Int64](), count: perSite.count)
        var allLags = [Int64]()
        var hours = Array(repeating: HoursRange(), count: perSite.count)
        for group in groups {
            let site = Int(group.site)
            for apply in [true, false] {
                func count(_ metrics: inout WorkloadMetrics) {
                    switch group.multiplicity {
                    case 2: metrics.groupsX2 += 1
                    case 3: metrics.groupsX3 += 1
                    default: metrics.groupsX4Plus += 1
                    }
                    metrics.bySystem[entries[group.original].system, default: SystemMetrics()].originals += 1
                }
                if apply { count(&perSite[site]) } else { count(&totals) }
            }
            for member in group.reEntries {
                let reEntry = ReEntry(entry: member, original: group.original, in: entries)
                let entry = entries[member]
                let category = store.categories[Int(entry.category)]
                for apply in [true, false] {
                    func count(_ metrics: inout WorkloadMetrics) {
                        metrics.reEntries += 1
                        metrics.bySystem[reEntry.to, default: SystemMetrics()].reEntries += 1
                        metrics.byCategory[category, default: SliceCount()].reEntries += 1
                        metrics.byPurpose[entry.purpose, default: SliceCount()].reEntries += 1
                        if reEntry.isCrossSystem { metrics.crossSystem += 1 } else { metrics.sameSystem += 1 }
                        switch reEntry.who {
                        case .selfReEntry: metrics.selfReEntries += 1
                        case .transcription: metrics.transcriptions += 1
                        case .unknown: metrics.authorUnknown += 1
                        }
                    }
                    if apply { count(&perSite[site]) } else { count(&totals) }
                }
                flowCounts[site][[reEntry.from, reEntry.to], default: 0] += 1
                totalFlowCounts[[reEntry.from, reEntry.to], default: 0] += 1
                lags[site].append(reEntry.lag)
                allLags.append(reEntry.lag)
                hours[site] = hours[site] + HoursRange(
                    low: costModel.low.minutes(category: category, textWords: entry.textWords) / 60,
                    central: costModel.central.minutes(category: category, textWords: entry.textWords) / 60,
                    high: costModel.high.minutes(category: category, textWords: entry.textWords) / 60)
            }
        }

        func finish(_ metrics: inout WorkloadMetrics, flows: [[SystemKind]: Int], lags: [Int64], hours: HoursRange) {
            metrics.flows = flows.map { key, count in
                let targetEntries = metrics.bySystem[key[1]]?.entries ?? 0
                return Flow(
                    from: key[0], to: key[1], reEntries: count,
                    shareOfTargetEntries: targetEntries == 0 ? 0 : Double(count) / Double(targetEntries))
            }.sorted { ($0.reEntries, $1.from, $1.to) > ($1.reEntries, $0.from, $0.to) }
            let sorted = lags.sorted()
            if !sorted.isEmpty {
                metrics.lagMedianMinutes = Double(Self.nearestRank(sorted, 0.5)) / 60
                metrics.lagP90Minutes = Double(Self.nearestRank(sorted, 0.9)) / 60
            }
            metrics.hoursTotal = hours
            let months = metrics.periodDays / CostModel.daysPerMonth
            metrics.hoursPerMonth = months > 0 ? hours.scaled(by: 1 / months) : HoursRange()
        }
        var totalHours = HoursRange()
        for site in perSite.indices {
            finish(&perSite[site], flows: flowCounts[site], lags: lags[site], hours: hours[site])
            totalHours = totalHours + hours[site]
        }
        finish(&totals, flows: totalFlowCounts, lags: allLags, hours: totalHours)
        // Per month, the total is the sum of the sites' monthly figures (sites may cover different periods).
        totals.hoursPerMonth = perSite.reduce(HoursRange()) { $0 + $1.hoursPerMonth }

        sites = perSite.sorted { $0.site < $1.site }
        self.totals = totals
    }

    /// The value at rank ceil(q·n) of a sorted array.
    static func nearestRank(_ sorted: [Int64], _ quantile: Double) -> Int64 {
        let rank = Int((quantile * Double(sorted.count)).rounded(.up))
        return sorted[max(0, min(sorted.count - 1, rank - 1))]
    }
}
