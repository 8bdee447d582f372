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
    /// Patient records of this system that the linkage joined to another record of the same system: one
    /// person under two local ids (records minus persons).
    public var identityDuplicates = 0

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

    /// Flows from counts keyed by [from, to], each with its share of the target system's entries; largest
    /// first, then by systems, so that the order is the same from one run to the next.
    static func ranked(_ counts: [[SystemKind]: Int], entriesOf: (SystemKind) -> Int) -> [Flow] {
        counts.map { key, count in
            let target = entriesOf(key[1])
            return Flow(from: key[0], to: key[1], reEntries: count, shareOfTargetEntries: target == 0 ? 0 : Double(count) / Double(target))
        }.sorted { ($0.reEntries, $1.from, $1.to) > ($1.reEntries, $0.from, $0.to) }
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

/// Re-entries typed by one profession (as the export names it), and the time they cost.
///
/// Never broken down further: a profession is the finest grain about staff. Reports merge professions
/// with too few authors before showing them (see `Disclosure` in RessaisieReport).
public struct ProfessionMetrics: Sendable, Equatable {
    public var entries = 0
    public var reEntries = 0
    /// Distinct (pseudonymous) authors of this profession's entries.
    public var authors = 0
    public var selfReEntries = 0
    public var transcriptions = 0
    public var hoursPerMonth = HoursRange()
    /// Full-time equivalents from the staffing file, when given.
    public var fte: Double?

    public init() {}

    /// Hours re-entering per FTE per month, when the staffing file gives this profession's FTE.
    public var hoursPerFTEPerMonth: HoursRange? {
        guard let fte, fte > 0 else { return nil }
        return hoursPerMonth.scaled(by: 1 / fte)
    }

    /// The two slices as one (used to merge small professions into "others").
    public static func + (a: ProfessionMetrics, b: ProfessionMetrics) -> ProfessionMetrics {
        var sum = ProfessionMetrics()
        sum.entries = a.entries + b.entries
        sum.reEntries = a.reEntries + b.reEntries
        sum.authors = a.authors + b.authors
        sum.selfReEntries = a.selfReEntries + b.selfReEntries
        sum.transcriptions = a.transcriptions + b.transcriptions
        sum.hoursPerMonth = a.hoursPerMonth + b.hoursPerMonth
        if a.fte != nil || b.fte != nil { sum.fte = (a.fte ?? 0) + (b.fte ?? 0) }
        return sum
    }
}

/// What an interface carrying `category` from system `from` to system `to` would save: the re-entries
/// it would make unnecessary and their hours per month.
public struct WhatIf: Sendable, Equatable {
    public var from: SystemKind
    public var to: SystemKind
    public var category: String
    public var reEntries: Int
    public var hoursPerMonth: HoursRange

    public init(from: SystemKind, to: SystemKind, category: String, reEntries: Int, hoursPerMonth: HoursRange) {
        self.from = from
        self.to = to
        self.category = category
        self.reEntries = reEntries
        self.hoursPerMonth = hoursPerMonth
    }

    /// Largest saving first (central hours, then re-entries), then by systems and category, so that the
    /// order is the same from one run to the next.
    static func ranked(_ items: [WhatIf]) -> [WhatIf] {
        items.sorted {
            if $0.hoursPerMonth.central != $1.hoursPerMonth.central { return $0.hoursPerMonth.central > $1.hoursPerMonth.central }
            if $0.reEntries != $1.reEntries { return $0.reEntries > $1.reEntries }
            return ($0.from, $0.to, $0.category) < ($1.from, $1.to, $1.category)
        }
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
    /// Entries copied by software from one system to another (same content and author, seconds apart):
    /// not re-entries, but the sign that an interface already carries this information. `reEntries`
    /// holds the copies.
    public var interfaceCopies: [Flow] = []
    /// Re-entries that could as well be interface copies, which cannot be told apart: same author and
    /// same content as an earlier member of their group in another system, the same day, one of the two
    /// recorded without a time of its own (a day, or the effective time's time of day). Counted in
    /// `reEntries`; `reEntries - possibleInterfaceCopies` is the lower bound a report can state.
    public var possibleInterfaceCopies = 0
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
    /// Hours per month split by who re-entered: the professional of the first entry, another one, or
    /// unknown.
    public var hoursPerMonthSelf = HoursRange()
    public var hoursPerMonthTranscription = HoursRange()
    public var hoursPerMonthAuthorUnknown = HoursRange()
    /// Hours per month by category of the re-entered fact.
    public var hoursPerMonthByCategory: [String: HoursRange] = [:]
    /// Hours per month by purpose.
    public var hoursPerMonthByPurpose: [Purpose: HoursRange] = [:]
    /// By the profession of whoever typed the entry (re-entries: whoever typed it again);
    /// `Profession.unspecified` when the export says nothing.
    public var byProfession: [String: ProfessionMetrics] = [:]
    /// Cross-system re-entries by (from, to, category), ranked by hours saved if an interface carried them.
    public var whatIf: [WhatIf] = []
    /// Re-entries by lag, in the buckets of `lagBucketUpperMinutes` (the last bucket is open).
    public var lagHistogram: [Int] = Array(repeating: 0, count: WorkloadMetrics.lagBucketUpperMinutes.count + 1)
    /// Full-time equivalents from the staffing file (sum over professions), when given.
    public var fte: Double?
    /// Where the period (`firstRecordedAt`…`lastRecordedAt`) comes from.
    public var periodSource: PeriodSource = []

    /// Periods shorter than this many days give hours per day and per week, never per month: a few hours
    /// of exports multiplied by 30 would be an extrapolation nobody could defend.
    public static let shortPeriodDays = 7.0

    /// True when the period is too short for figures per month (`shortPeriodDays`).
    public var isShortPeriod: Bool { entries > 0 && periodDays < Self.shortPeriodDays }
    /// Estimated hours re-entering per day and per week of the period (for totals, the sum of the sites'
    /// figures, as per month).
    public var hoursPerDay: HoursRange { hoursPerMonth.scaled(by: 1 / CostModel.daysPerMonth) }
    public var hoursPerWeek: HoursRange { hoursPerDay.scaled(by: 7) }

    /// Upper bounds (exclusive) of the lag buckets, in minutes: 1 h, 4 h, 24 h, 3 days, 7 days, then more.
    public static let lagBucketUpperMinutes: [Double] = [60, 240, 1440, 4320, 10_080]

    /// Hours re-entering per FTE per month, when staffing is given.
    public var hoursPerFTEPerMonth: HoursRange? {
        guard let fte, fte > 0 else { return nil }
        return hoursPerMonth.scaled(by: 1 / fte)
    }

    public init(site: String) {
        self.site = site
    }

    public var groups: Int { groupsX2 + groupsX3 + groupsX4Plus }
    public var redundancyRate: Double { entries == 0 ? 0 : Double(reEntries) / Double(entries) }
    /// Days covered, counted on whole days from the first to the last entry (at least 1).
    public var periodDays: Double {
        guard entries > 0, lastRecordedAt >= firstRecordedAt else { return 0 }
        return max(1, Double(lastRecordedAt - firstRecordedAt) / 86_400)
    }
}

/// Where a site's period comes from; a site whose exports differ may combine several.
public struct PeriodSource: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Declared by the exports (a title line such as `Période : du … au …`, or their profile).
    public static let declared = PeriodSource(rawValue: 1)
    /// The analyst's `--period`, for exports that declare none.
    public static let analyst = PeriodSource(rawValue: 2)
    /// The span of the plausible recorded times, for exports that declare none without `--period`.
    public static let recorded = PeriodSource(rawValue: 4)

    /// `declared`, `analyst`, `recorded`, or several joined by `+`.
    public var name: String {
        [(Self.declared, "declared"), (.analyst, "analyst"), (.recorded, "recorded")]
            .filter { contains($0.0) }.map(\.1).joined(separator: "+")
    }
}

/// Per-site metrics and their totals for a whole audit.
public struct AuditMetrics: Sendable {
    public var sites: [WorkloadMetrics]
    public var totals: WorkloadMetrics

    /// Metrics already computed (tests, and renderers fed figures from elsewhere).
    public init(sites: [WorkloadMetrics], totals: WorkloadMetrics) {
        self.sites = sites
        self.totals = totals
    }

    /// Computes every metric from the matched audit.
    /// The period behind per-month figures is, per export: the period it declares
    /// (`EntryStore.declaredPeriods`), else `period`, the analyst's (UTC seconds, first and last), else the
    /// span of its plausible recorded times; a site's period covers those of its exports.
    public init(
        store: EntryStore, linkage: PatientLinkage, groups: [DuplicateGroup], costModel: CostModel = .default,
        staffing: Staffing? = nil, period: ClosedRange<Int64>? = nil
    ) {
        let entries = store.entries
        var perSite = store.sites.map { WorkloadMetrics(site: $0) }
        var totals = WorkloadMetrics(site: "total")

        // Entries, slices and period: counted in flat arrays (one pass, no hashing), then filed.
        let categoryCount = store.categories.count
        var first = Array(repeating: Int64.max, count: perSite.count)
        var last = Array(repeating: Int64.min, count: perSite.count)
        var perSystem = Array(repeating: 0, count: perSite.count * 3)
        var perCategory = SiteGrid(sites: perSite.count, slots: categoryCount, zero: 0)
        var perPurpose = Array(repeating: 0, count: perSite.count * 2)
        // Per file: its declared period, if any; the other files' entries make the recorded span.
        let declaredByFile = store.declaredPeriods.isEmpty ? [] : store.files.map { store.declaredPeriods[$0] }
        var declaredFirst = Array(repeating: Int64.max, count: perSite.count)
        var declaredLast = Array(repeating: Int64.min, count: perSite.count)
        var undeclared = Array(repeating: false, count: perSite.count)
        for entry in entries {
            let site = Int(entry.site)
            if Int(entry.file) < declaredByFile.count, let declared = declaredByFile[Int(entry.file)] {
                declaredFirst[site] = min(declaredFirst[site], declared.lowerBound)
                declaredLast[site] = max(declaredLast[site], declared.upperBound)
            } else {
                undeclared[site] = true
                if !entry.flags.contains(.implausibleTime) {
                    first[site] = min(first[site], entry.recordedAt)
                    last[site] = max(last[site], entry.recordedAt + (entry.flags.contains(.recordedDay) ? 86_399 : 0))
                }
            }
            perSystem[site * 3 + Int(entry.system.rawValue)] += 1
            perCategory[site, Int(entry.category)] += 1
            perPurpose[site * 2 + Int(entry.purpose.rawValue)] += 1
        }
        var sources = Array(repeating: PeriodSource(), count: perSite.count)
        for site in perSite.indices {
            if undeclared[site] {
                if let period {
                    first[site] = period.lowerBound
                    last[site] = period.upperBound
                    sources[site].insert(.analyst)
                } else if first[site] <= last[site] {
                    sources[site].insert(.recorded)
                }
            }
            if declaredFirst[site] <= declaredLast[site] {
                first[site] = min(first[site], declaredFirst[site])
                last[site] = max(last[site], declaredLast[site])
                sources[site].insert(.declared)
            }
        }
        for site in perSite.indices {
            for apply in [true, false] {
                func file(_ metrics: inout WorkloadMetrics) {
                    metrics.firstRecordedAt = min(metrics.firstRecordedAt, first[site])
                    metrics.lastRecordedAt = max(metrics.lastRecordedAt, last[site])
                    metrics.periodSource.formUnion(sources[site])
                    for system in SystemKind.allCases where perSystem[site * 3 + Int(system.rawValue)] > 0 {
                        let count = perSystem[site * 3 + Int(system.rawValue)]
                        metrics.entries += count
                        metrics.bySystem[system, default: SystemMetrics()].entries += count
                    }
                    perCategory.forEach(site: site) { category, count in
                        if count > 0 { metrics.byCategory[store.categories[category], default: SliceCount()].entries += count }
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
        var authorSystems = SiteGrid(sites: perSite.count, slots: authorCount, zero: UInt8(0))
        for entry in entries where entry.author != Entry.noID {
            authorSystems[Int(entry.site), Int(entry.author)] |= 1 << entry.system.rawValue
        }
        // Professions: entries counted in a flat array (the last slot is "unspecified"), distinct authors
        // by sorting (site, profession, author) keys once: no string hashing per entry.
        let professionSlots = store.professions.count + 1
        func professionName(_ slot: Int) -> String { slot < store.professions.count ? store.professions[slot] : Profession.unspecified }
        var professionEntries = SiteGrid(sites: perSite.count, slots: professionSlots, zero: 0)
        var authorKeys: [UInt64] = []
        authorKeys.reserveCapacity(entries.count)
        for entry in entries {
            let slot = entry.profession == .max ? professionSlots - 1 : Int(entry.profession)
            professionEntries[Int(entry.site), slot] += 1
            if entry.author != Entry.noID {
                authorKeys.append(UInt64(entry.site) << 48 | UInt64(slot) << 32 | UInt64(entry.author))
            }
        }
        authorKeys.sort()
        var professionAuthors = SiteGrid(sites: perSite.count, slots: professionSlots, zero: 0)
        var allProfessionAuthors = Array(repeating: Set<UInt32>(), count: professionSlots)
        var previous: UInt64?
        for key in authorKeys where key != previous {
            previous = key
            let site = Int(key >> 48), slot = Int((key >> 32) & 0xFFFF)
            professionAuthors[site, slot] += 1
            if perSite.count > 1 { allProfessionAuthors[slot].insert(UInt32(truncatingIfNeeded: key)) }
        }
        for site in perSite.indices {
            professionEntries.forEach(site: site) { slot, count in
                guard count > 0 else { return }
                let name = professionName(slot)
                perSite[site].byProfession[name, default: ProfessionMetrics()].entries += count
                perSite[site].byProfession[name]!.authors += professionAuthors[site, slot]
                totals.byProfession[name, default: ProfessionMetrics()].entries += count
            }
        }
        for slot in 0..<professionSlots where totals.byProfession[professionName(slot)] != nil {
            totals.byProfession[professionName(slot)]!.authors =
                perSite.count > 1 ? allProfessionAuthors[slot].count : perSite[0].byProfession[professionName(slot)]?.authors ?? 0
        }

        let identityDuplicates = linkage.identityDuplicates(in: store.patients)
        var allAuthorSystems = [UInt8](repeating: 0, count: authorCount)
        for site in perSite.indices {
            perSite[site].patients = personsPerSite[site].count
            perSite[site].patientsInSeveralSystems = personsPerSite[site].values.filter { $0.count > 1 }.count
            for (system, count) in recordsPerSystem[site] {
                perSite[site].bySystem[system, default: SystemMetrics()].patients = count
                totals.bySystem[system, default: SystemMetrics()].patients += count
            }
            for (system, count) in identityDuplicates[UInt16(site)] ?? [:] {
                perSite[site].bySystem[system, default: SystemMetrics()].identityDuplicates = count
                totals.bySystem[system, default: SystemMetrics()].identityDuplicates += count
            }
            var systemAuthors = [0, 0, 0]
            authorSystems.forEach(site: site) { author, systems in
                guard systems != 0 else { return }
                perSite[site].authors += 1
                for system in SystemKind.allCases where systems & (1 << system.rawValue) != 0 { systemAuthors[Int(system.rawValue)] += 1 }
                allAuthorSystems[author] |= systems
            }
            for system in SystemKind.allCases where systemAuthors[Int(system.rawValue)] > 0 {
                perSite[site].bySystem[system, default: SystemMetrics()].authors = systemAuthors[Int(system.rawValue)]
            }
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
        // Hours over the whole period and counts by slice, per site, in flat arrays indexed by category,
        // purpose and profession (no string hashing per re-entry); turned into hours per month at the end.
        struct Slices {
            var byWho = [HoursRange](repeating: HoursRange(), count: 3)
            var byCategory: [HoursRange]
            var byPurpose = [HoursRange](repeating: HoursRange(), count: 2)
            var professionHours: [HoursRange]
            var professionCounts: [Int]  // per slot: re-entries, self, transcription
            /// ((from × 3 + to) × categories + category) → re-entries, hours.
            var whatIf: [Int: (count: Int, hours: HoursRange)] = [:]
        }
        var slices = Array(
            repeating: Slices(
                byCategory: Array(repeating: HoursRange(), count: categoryCount),
                professionHours: Array(repeating: HoursRange(), count: professionSlots),
                professionCounts: Array(repeating: 0, count: professionSlots * 3)),
            count: perSite.count)
        let overheads = store.categories.map { name in
            (costModel.low.overheadMinutes[name] ?? costModel.low.defaultOverhead,
             costModel.central.overheadMinutes[name] ?? costModel.central.defaultOverhead,
             costModel.high.overheadMinutes[name] ?? costModel.high.defaultOverhead)
        }
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
                let bucket = Self.lagBucket(minutes: Double(reEntry.lag) / 60)
                perSite[site].lagHistogram[bucket] += 1
                totals.lagHistogram[bucket] += 1
                let overhead = overheads[Int(entry.category)], words = Double(entry.textWords)
                let cost = HoursRange(
                    low: (overhead.0 + words / costModel.low.wordsPerMinute) / 60,
                    central: (overhead.1 + words / costModel.central.wordsPerMinute) / 60,
                    high: (overhead.2 + words / costModel.high.wordsPerMinute) / 60)
                hours[site] = hours[site] + cost
                let slot = entry.profession == .max ? professionSlots - 1 : Int(entry.profession)
                let whoIndex: Int
                switch reEntry.who {
                case .selfReEntry: whoIndex = 0
                case .transcription: whoIndex = 1
                case .unknown: whoIndex = 2
                }
                slices[site].byWho[whoIndex] = slices[site].byWho[whoIndex] + cost
                slices[site].byCategory[Int(entry.category)] = slices[site].byCategory[Int(entry.category)] + cost
                slices[site].byPurpose[Int(entry.purpose.rawValue)] = slices[site].byPurpose[Int(entry.purpose.rawValue)] + cost
                slices[site].professionHours[slot] = slices[site].professionHours[slot] + cost
                slices[site].professionCounts[slot * 3] += 1
                if whoIndex < 2 { slices[site].professionCounts[slot * 3 + 1 + whoIndex] += 1 }
                if reEntry.isCrossSystem {
                    let key = (Int(reEntry.from.rawValue) * 3 + Int(reEntry.to.rawValue)) * categoryCount + Int(entry.category)
                    let known = slices[site].whatIf[key] ?? (0, HoursRange())
                    slices[site].whatIf[key] = (known.count + 1, known.hours + cost)
                }
            }
        }

        func finish(_ metrics: inout WorkloadMetrics, flows: [[SystemKind]: Int], lags: [Int64], hours: HoursRange) {
            let bySystem = metrics.bySystem
            metrics.flows = Flow.ranked(flows) { bySystem[$0]?.entries ?? 0 }
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

        // Slices per month: each site's hours over its own period; totals are sums of the sites' figures.
        var totalWhatIf: [Int: (count: Int, hours: HoursRange)] = [:]
        func whatIf(_ key: Int, _ count: Int, _ hours: HoursRange) -> WhatIf {
            let pair = key / categoryCount
            return WhatIf(
                from: SystemKind(rawValue: UInt8(pair / 3))!, to: SystemKind(rawValue: UInt8(pair % 3))!,
                category: store.categories[key % categoryCount], reEntries: count, hoursPerMonth: hours)
        }
        for site in perSite.indices {
            let months = perSite[site].periodDays / CostModel.daysPerMonth
            let perMonth = months > 0 ? 1 / months : 0
            let slice = slices[site]
            func add(_ range: HoursRange, _ keyPath: WritableKeyPath<WorkloadMetrics, HoursRange>) {
                perSite[site][keyPath: keyPath] = range.scaled(by: perMonth)
                totals[keyPath: keyPath] = totals[keyPath: keyPath] + range.scaled(by: perMonth)
            }
            add(slice.byWho[0], \.hoursPerMonthSelf)
            add(slice.byWho[1], \.hoursPerMonthTranscription)
            add(slice.byWho[2], \.hoursPerMonthAuthorUnknown)
            for category in 0..<categoryCount where perSite[site].byCategory[store.categories[category]]?.reEntries ?? 0 > 0 {
                let name = store.categories[category], range = slice.byCategory[category].scaled(by: perMonth)
                perSite[site].hoursPerMonthByCategory[name, default: HoursRange()] = perSite[site].hoursPerMonthByCategory[name, default: HoursRange()] + range
                totals.hoursPerMonthByCategory[name] = totals.hoursPerMonthByCategory[name, default: HoursRange()] + range
            }
            for purpose in Purpose.allCases where perSite[site].byPurpose[purpose]?.reEntries ?? 0 > 0 {
                let range = slice.byPurpose[Int(purpose.rawValue)].scaled(by: perMonth)
                perSite[site].hoursPerMonthByPurpose[purpose] = range
                totals.hoursPerMonthByPurpose[purpose] = totals.hoursPerMonthByPurpose[purpose, default: HoursRange()] + range
            }
            for slot in 0..<professionSlots where slice.professionCounts[slot * 3] > 0 {
                let name = professionName(slot), range = slice.professionHours[slot].scaled(by: perMonth)
                for apply in [true, false] {
                    func add(_ metrics: inout WorkloadMetrics) {
                        metrics.byProfession[name, default: ProfessionMetrics()].reEntries += slice.professionCounts[slot * 3]
                        metrics.byProfession[name]!.selfReEntries += slice.professionCounts[slot * 3 + 1]
                        metrics.byProfession[name]!.transcriptions += slice.professionCounts[slot * 3 + 2]
                        metrics.byProfession[name]!.hoursPerMonth = metrics.byProfession[name]!.hoursPerMonth + range
                    }
                    if apply { add(&perSite[site]) } else { add(&totals) }
                }
            }
            perSite[site].whatIf = WhatIf.ranked(slice.whatIf.map { whatIf($0, $1.count, $1.hours.scaled(by: perMonth)) })
            for (key, value) in slice.whatIf {
                let known = totalWhatIf[key] ?? (0, HoursRange())
                totalWhatIf[key] = (known.count + value.count, known.hours + value.hours.scaled(by: perMonth))
            }
        }
        totals.whatIf = WhatIf.ranked(totalWhatIf.map { whatIf($0, $1.count, $1.hours) })

        // Staffing: FTE per profession of each site, and their sums (over all sites only when every
        // site has staffing, so that hours per FTE compare like with like).
        if let staffing {
            var everySite = true
            for site in perSite.indices {
                guard let professions = staffing.fte[perSite[site].site] else { everySite = false; continue }
                perSite[site].fte = professions.keys.sorted().reduce(0) { $0 + professions[$1]! }  // in a fixed order: same bits every run
                for (profession, fte) in professions {
                    perSite[site].byProfession[profession, default: ProfessionMetrics()].fte = fte
                    totals.byProfession[profession, default: ProfessionMetrics()].fte =
                        (totals.byProfession[profession]?.fte ?? 0) + fte
                }
            }
            if everySite, !perSite.isEmpty { totals.fte = perSite.reduce(0) { $0 + ($1.fte ?? 0) } }
            if !everySite { for key in totals.byProfession.keys { totals.byProfession[key]?.fte = nil } }
        }

        sites = perSite.sorted { $0.site < $1.site }
        self.totals = totals
    }

    /// Index of the lag bucket of `minutes` in `WorkloadMetrics.lagHistogram`.
    static func lagBucket(minutes: Double) -> Int {
        WorkloadMetrics.lagBucketUpperMinutes.firstIndex { minutes < $0 } ?? WorkloadMetrics.lagBucketUpperMinutes.count
    }

    /// The value at rank ceil(q·n) of a sorted array.
    static func nearestRank(_ sorted: [Int64], _ quantile: Double) -> Int64 {
        let rank = Int((quantile * Double(sorted.count)).rounded(.up))
        return sorted[max(0, min(sorted.count - 1, rank - 1))]
    }
}

/// Profession names as the export gives them (canonicalization is the ingest's job).
public enum Profession {
    /// Entries whose export names no profession.
    public static let unspecified = "unspecified"

}
