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

    public init(entries: Int = 0, reEntries: Int = 0) {
        self.entries = entries
        self.reEntries = reEntries
    }
}

/// Re-entries whose original was typed in `from` and the copy in `to`.
public struct Flow: Sendable, Equatable {
    public var from: InformationSystem
    public var to: InformationSystem
    public var reEntries: Int
    /// Share of `to`'s entries that are re-entries from `from`.
    public var shareOfTargetEntries: Double

    public init(from: InformationSystem, to: InformationSystem, reEntries: Int, shareOfTargetEntries: Double) {
        self.from = from
        self.to = to
        self.reEntries = reEntries
        self.shareOfTargetEntries = shareOfTargetEntries
    }

    /// Flows from counts keyed by [from, to], each with its share of the target system's entries; largest
    /// first, then by systems, so that the order is the same from one run to the next.
    static func ranked(_ counts: [[InformationSystem]: Int], entriesOf: (InformationSystem) -> Int) -> [Flow] {
        counts.map { key, count in
            let target = entriesOf(key[1])
            return Flow(
                from: key[0], to: key[1], reEntries: count,
                shareOfTargetEntries: target == 0 ? 0 : Double(count) / Double(target))
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
    public var from: InformationSystem
    public var to: InformationSystem
    public var category: String
    public var reEntries: Int
    public var hoursPerMonth: HoursRange

    public init(
        from: InformationSystem, to: InformationSystem, category: String, reEntries: Int, hoursPerMonth: HoursRange
    ) {
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
            if $0.hoursPerMonth.central != $1.hoursPerMonth.central {
                return $0.hoursPerMonth.central > $1.hoursPerMonth.central
            }
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
    public var bySystem: [InformationSystem: SystemMetrics] = [:]
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
    /// When entries and re-entries are typed (`WhenMetrics`).
    public var when = WhenMetrics()
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
    /// Who retypes whose information: re-entries by (profession of the original's author, profession of the
    /// re-entry's author), names as in `byProfession`. Reports merge professions with too few authors first.
    public var reEntriesByProfessionPair: [FromTo<String>: Int] = [:]
    /// Entries and distinct authors per staff group (care staff, administrative and other staff,
    /// unclassified), and re-entries by (staff group of the original's author, of the re-entry's author).
    public var byStaffGroup: [StaffGroup: StaffGroupCount] = [:]
    public var reEntriesByStaffPair: [FromTo<StaffGroup>: Int] = [:]
    /// For whom it is typed again: entries and re-entries by the declared purpose of the system they were
    /// typed into, and re-entries by (purpose of the original's system, purpose of the re-entry's system);
    /// `notDeclared` for a system whose purpose the analyst did not declare (`AuditMetrics.fileSystemPurposes`).
    public var byDestinationPurpose: [SystemPurpose: SliceCount] = [:]
    /// The purpose of each of the site's systems as filed (`notDeclared` when not declared); empty for totals.
    public var systemPurposes: [InformationSystem: SystemPurpose] = [:]
    public var reEntriesByPurposePair: [FromTo<SystemPurpose>: Int] = [:]
    /// Who types again, into what, for whom: re-entries by (profession of the re-entry's author, system it was
    /// typed into, that system's declared purpose), names as in `byProfession`; and the same by staff group.
    /// Reports merge professions with too few authors first, as for `byProfession`.
    public var reEntriesByProfessionSystem: [TypedInto<String>: Int] = [:]
    public var reEntriesByStaffSystem: [TypedInto<StaffGroup>: Int] = [:]
    /// Cross-system re-entries by (from, to, category), ranked by hours saved if an interface carried them.
    public var whatIf: [WhatIf] = []
    /// Re-entries by lag, in the buckets of `lagBucketUpperMinutes` (the last bucket is open).
    public var lagHistogram: [Int] = Array(repeating: 0, count: WorkloadMetrics.lagBucketUpperMinutes.count + 1)
    /// Full-time equivalents from the staffing file (sum over professions), when given.
    public var fte: Double?
    /// Where the period (`firstRecordedAt`…`lastRecordedAt`) comes from.
    public var periodSource: PeriodSource = []
    /// Entries whose stray recorded date was left out of the period's span (`AuditMetrics.robustSpan`).
    public var entriesOutsidePeriod = 0

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

/// Profession names as the export gives them (canonicalization is the ingest's job).
public enum Profession {
    /// Entries whose export names no profession.
    public static let unspecified = "unspecified"

}
