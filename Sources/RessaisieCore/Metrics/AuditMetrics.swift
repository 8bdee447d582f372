import Foundation

/// Per-site metrics and their totals for a whole audit.
///
/// `init(store:linkage:groups:costModel:staffing:period:timeZone:)` runs one step per metric family, each a function
/// below; docs/DESIGN.md ("Metrics: function and test") lists them with the tests that pin them. Every step
/// counts in flat arrays indexed by site, system, category, purpose, profession or who re-entered (no string
/// hashing per entry or re-entry), then files its counts into the per-site figures and the totals with
/// `addToSiteAndTotals`.
public struct AuditMetrics: Sendable {
    public var sites: [WorkloadMetrics]
    public var totals: WorkloadMetrics
    /// Facts re-typed from one site of the audit to another (`PathwayDetector`), filed by `AuditPipeline` after
    /// the per-site analysis; empty until then, and when no two sites share a patient.
    public var pathways: [PathwayFlow] = []
    /// The pathways' window in days, when they were computed.
    public var pathwayWindowDays: Int?
    /// Facts re-typed into another category at one site (`CrossCategoryDetector`), filed by `AuditPipeline`
    /// after the per-site analysis; empty until then.
    public var crossCategories: [CrossCategoryFlow] = []
    /// The pairs of categories compared and the window in hours, when they were computed.
    public var crossCategoryPairs: [CrossCategoryDetector.CategoryPair]?
    public var crossCategoryWindowHours: Int?

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
        staffing: Staffing? = nil, period: ClosedRange<Int64>? = nil,
        timeZone: TimeZone = TimeZone(identifier: SiteClock.defaultTimeZoneIdentifier)!
    ) {
        sites = store.sites.map { WorkloadMetrics(site: $0) }
        totals = WorkloadMetrics(site: "total")
        countEntriesAndPeriods(store: store, period: period)
        countPatients(store: store, linkage: linkage)
        countAuthors(store: store)
        countProfessions(store: store)
        countStaffGroups(store: store)
        let tally = countGroupsAndReEntries(store: store, groups: groups, costModel: costModel)
        fileGroupsAndReEntries(tally, store: store)
        fileFlows(tally, store: store)
        fileLags(tally)
        fileHours(tally)
        fileHoursPerMonthBySlice(tally, store: store)
        fileProfessionReEntries(tally, store: store)
        fileProfessionPairs(tally, store: store)
        fileProfessionSystems(tally, store: store)
        fileWhatIfs(tally, store: store)
        if let staffing { fileStaffing(staffing) }
        countPossibleInterfaceCopies(store: store, groups: groups)
        fileWhen(WhenMetrics.compute(store: store, groups: groups, timeZone: timeZone))
        sites.sort { $0.site < $1.site }
        // Until the analyst's declarations are filed, every system's purpose is not declared.
        fileSystemPurposes([:])
    }

    /// For whom it is typed again: files, per site and in the totals, entries and re-entries by the declared
    /// purpose of the system they were typed into (`WorkloadMetrics.byDestinationPurpose`) and re-entries by
    /// (purpose of the original's system, purpose of the re-entry's system) (`reEntriesByPurposePair`), from
    /// the systems and flows already counted. A system whose purpose `profiles` does not declare counts as
    /// `notDeclared`. Called once the analyst's declarations are known (they come with the report's settings);
    /// calling it again replaces what it filed.
    public mutating func fileSystemPurposes(_ profiles: [String: SiteProfile]) {
        totals.byDestinationPurpose = [:]
        totals.reEntriesByPurposePair = [:]
        totals.reEntriesByProfessionSystem = [:]
        totals.reEntriesByStaffSystem = [:]
        for site in sites.indices {
            sites[site].byDestinationPurpose = [:]
            sites[site].reEntriesByPurposePair = [:]
            let profile = profiles[sites[site].site] ?? SiteProfile()
            let bySystem = sites[site].bySystem, flows = sites[site].flows
            // One purpose per system at a site: (profession, system) keys stay distinct whatever the purpose.
            let typedInto = sites[site].reEntriesByProfessionSystem
            sites[site].reEntriesByProfessionSystem = [:]
            sites[site].reEntriesByStaffSystem = [:]
            sites[site].systemPurposes = bySystem.keys.reduce(into: [:]) { $0[$1] = profile.purpose(of: $1) }
            addToSiteAndTotals(site) { metrics in
                for (system, counts) in bySystem {
                    let purpose = profile.purpose(of: system)
                    metrics.byDestinationPurpose[purpose, default: SliceCount()].entries += counts.entries
                    metrics.byDestinationPurpose[purpose]!.reEntries += counts.reEntries
                }
                for flow in flows {
                    let pair = FromTo(profile.purpose(of: flow.from), profile.purpose(of: flow.to))
                    metrics.reEntriesByPurposePair[pair, default: 0] += flow.reEntries
                }
                for (key, reEntries) in typedInto {
                    let purpose = profile.purpose(of: key.system)
                    let staff = Vocabulary.staffGroup(ofProfession: key.staff)
                    metrics.reEntriesByProfessionSystem[TypedInto(key.staff, key.system, purpose), default: 0] +=
                        reEntries
                    metrics.reEntriesByStaffSystem[TypedInto(staff, key.system, purpose), default: 0] += reEntries
                }
            }
        }
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

// MARK: - The steps, in the order `init` runs them

extension AuditMetrics {
    /// Purposes as slots of flat arrays (`Purpose.rawValue`); systems are slots too (`SystemID.index`, as many
    /// as the store's `systems`).
    static let purposeCount = Purpose.allCases.count

    /// Applies `add` to the figures of site `site` (its index in `EntryStore.sites`), then to the totals: the
    /// one way a count reaches both.
    private mutating func addToSiteAndTotals(_ site: Int, _ add: (inout WorkloadMetrics) -> Void) {
        add(&sites[site])
        add(&totals)
    }

    /// Entries per system, category and purpose, and the period (`entries`, `bySystem[…].entries`,
    /// `byCategory[…].entries`, `byPurpose[…].entries`, `firstRecordedAt`, `lastRecordedAt`, `periodSource`):
    /// counted in flat arrays in one pass over the entries, then filed.
    ///
    /// The period, per export: the one it declares (`EntryStore.declaredPeriods`), else `period` (the
    /// analyst's), else the span of its plausible recorded times (a time known to the day counts to the end
    /// of that day); a site's covers those of its exports, the totals' those of the sites.
    private mutating func countEntriesAndPeriods(store: EntryStore, period: ClosedRange<Int64>?) {
        let siteCount = sites.count, systemCount = store.systems.count, purposeCount = Self.purposeCount
        var first = Array(repeating: Int64.max, count: siteCount)
        var last = Array(repeating: Int64.min, count: siteCount)
        var perSystem = Array(repeating: 0, count: siteCount * systemCount)
        var perCategory = SiteGrid(sites: siteCount, slots: store.categories.count, zero: 0)
        var perPurpose = Array(repeating: 0, count: siteCount * purposeCount)
        // Per file: its declared period, if any; the other files' entries make the recorded span.
        let declaredByFile = store.declaredPeriods.isEmpty ? [] : store.files.map { store.declaredPeriods[$0] }
        var declaredFirst = Array(repeating: Int64.max, count: siteCount)
        var declaredLast = Array(repeating: Int64.min, count: siteCount)
        var undeclared = Array(repeating: false, count: siteCount)
        // Entries per day (UTC days) of the exports that declare no period, for the robust span.
        var perDay = Array(repeating: [Int64: Int](), count: siteCount)
        for entry in store.entries {
            let site = Int(entry.site)
            if Int(entry.file) < declaredByFile.count, let declared = declaredByFile[Int(entry.file)] {
                declaredFirst[site] = min(declaredFirst[site], declared.lowerBound)
                declaredLast[site] = max(declaredLast[site], declared.upperBound)
            } else {
                undeclared[site] = true
                if !entry.flags.contains(.implausibleTime) {
                    first[site] = min(first[site], entry.recordedAt)
                    last[site] = max(last[site], entry.recordedAt + (entry.flags.contains(.recordedDay) ? 86_399 : 0))
                    perDay[site][entry.recordedAt / 86_400, default: 0] += 1
                }
            }
            perSystem[site * systemCount + entry.system.index] += 1
            perCategory[site, Int(entry.category)] += 1
            perPurpose[site * purposeCount + Int(entry.purpose.rawValue)] += 1
        }
        var sources = Array(repeating: PeriodSource(), count: siteCount)
        var outliers = Array(repeating: 0, count: siteCount)
        for site in 0..<siteCount {
            if undeclared[site] {
                if let period {
                    first[site] = period.lowerBound
                    last[site] = period.upperBound
                    sources[site].insert(.analyst)
                } else if first[site] <= last[site] {
                    sources[site].insert(.recorded)
                    let robust = Self.robustSpan(perDay[site])
                    if robust.outliers > 0 {
                        first[site] = max(first[site], robust.firstDay * 86_400)
                        last[site] = min(last[site], (robust.lastDay + 1) * 86_400 - 1)
                        outliers[site] = robust.outliers
                    }
                }
            }
            if declaredFirst[site] <= declaredLast[site] {
                first[site] = min(first[site], declaredFirst[site])
                last[site] = max(last[site], declaredLast[site])
                sources[site].insert(.declared)
            }
        }
        for site in 0..<siteCount {
            addToSiteAndTotals(site) { metrics in
                metrics.firstRecordedAt = min(metrics.firstRecordedAt, first[site])
                metrics.lastRecordedAt = max(metrics.lastRecordedAt, last[site])
                metrics.periodSource.formUnion(sources[site])
                metrics.entriesOutsidePeriod += outliers[site]
                for (slot, system) in store.systems.enumerated() where perSystem[site * systemCount + slot] > 0 {
                    let count = perSystem[site * systemCount + slot]
                    metrics.entries += count
                    metrics.bySystem[system, default: SystemMetrics()].entries += count
                }
                perCategory.forEach(site: site) { category, count in
                    if count > 0 {
                        metrics.byCategory[store.categories[category], default: SliceCount()].entries += count
                    }
                }
                for purpose in Purpose.allCases where perPurpose[site * purposeCount + Int(purpose.rawValue)] > 0 {
                    metrics.byPurpose[purpose, default: SliceCount()].entries +=
                        perPurpose[site * purposeCount + Int(purpose.rawValue)]
                }
            }
        }
    }

    /// Re-entries that an interface could have copied as well (`WorkloadMetrics.possibleInterfaceCopies`):
    /// with a time to the second on both sides, a copy is told by its seconds; without, it cannot be.
    private mutating func countPossibleInterfaceCopies(store: EntryStore, groups: [DuplicateGroup]) {
        let entries = store.entries
        var perSite = [Int](repeating: 0, count: sites.count)
        for group in groups {
            for (position, member) in group.members.enumerated().dropFirst() {
                let copy = entries[member]
                guard copy.author != Entry.noID else { continue }
                let possible = group.members[..<position].contains { earlier in
                    let original = entries[earlier]
                    return original.system != copy.system && original.author == copy.author
                        && original.fingerprint == copy.fingerprint
                        && !original.flags.union(copy.flags).isDisjoint(with: .recordedNotToTheSecond)
                        && abs(copy.recordedAt - original.recordedAt) < 86_400
                }
                if possible { perSite[Int(group.site)] += 1 }
            }
        }
        for site in perSite.indices { addToSiteAndTotals(site) { $0.possibleInterfaceCopies += perSite[site] } }
    }

    /// When entries and re-entries were typed (`WhenMetrics`), computed per site and over all sites (medians
    /// do not add up).
    private mutating func fileWhen(_ when: (sites: [WhenMetrics], totals: WhenMetrics)) {
        for site in sites.indices { sites[site].when = when.sites[site] }
        totals.when = when.totals
    }

    /// The span of recorded days robust to a few stray dates: days at either end holding together at most
    /// 1 % of the entries (at least one) and more than `strayGapDays` away from the next day with entries are
    /// left out of the period (a date typed a year off would otherwise stretch it, and shrink every figure per
    /// month). Returns the first and last kept day and the entries left out.
    static func robustSpan(_ perDay: [Int64: Int]) -> (firstDay: Int64, lastDay: Int64, outliers: Int) {
        let days = perDay.keys.sorted()
        guard let firstDay = days.first, let lastDay = days.last else { return (0, 0, 0) }
        let total = perDay.values.reduce(0, +), allowance = max(1, total / 100)
        var low = 0, high = days.count - 1, dropped = 0
        // Leading days: drop while what is dropped stays small and a long gap follows.
        var candidate = 0, count = 0
        while candidate < high {
            count += perDay[days[candidate]]!
            guard count <= allowance else { break }
            if days[candidate + 1] - days[candidate] > strayGapDays {
                low = candidate + 1
                dropped = count
            }
            candidate += 1
        }
        candidate = days.count - 1
        count = 0
        var droppedHigh = 0
        while candidate > low {
            count += perDay[days[candidate]]!
            guard count + dropped <= allowance else { break }
            if days[candidate] - days[candidate - 1] > strayGapDays {
                high = candidate - 1
                droppedHigh = count
            }
            candidate -= 1
        }
        guard dropped + droppedHigh > 0 else { return (firstDay, lastDay, 0) }
        return (days[low], days[high], dropped + droppedHigh)
    }

    /// Days without any entry between a stray date and the others (`robustSpan`).
    static let strayGapDays: Int64 = 30

    /// Patients: persons after linkage and persons known to several systems per site (summed in the
    /// totals), patient records (`bySystem[…].patients`) and identity duplicates per system.
    private mutating func countPatients(store: EntryStore, linkage: PatientLinkage) {
        var personsPerSite = Array(repeating: [UInt32: Set<SystemID>](), count: sites.count)
        var recordsPerSystem = Array(repeating: [SystemID: Int](), count: sites.count)
        for (index, record) in store.patients.enumerated() {
            personsPerSite[Int(record.site)][linkage.person[index], default: []].insert(record.system)
            recordsPerSystem[Int(record.site)][record.system, default: 0] += 1
        }
        let identityDuplicates = linkage.identityDuplicates(in: store.patients)
        for site in sites.indices {
            let patients = personsPerSite[site].count
            let inSeveralSystems = personsPerSite[site].values.filter { $0.count > 1 }.count
            addToSiteAndTotals(site) { metrics in
                metrics.patients += patients
                metrics.patientsInSeveralSystems += inSeveralSystems
                for (system, count) in recordsPerSystem[site] {
                    metrics.bySystem[store.systems[system.index], default: SystemMetrics()].patients += count
                }
                for (system, count) in identityDuplicates[UInt16(site)] ?? [:] {
                    metrics.bySystem[store.systems[system.index], default: SystemMetrics()].identityDuplicates += count
                }
            }
        }
    }

    /// Distinct (pseudonymous) authors per site and per system of the site, and over all sites (an author
    /// of two sites counts once): one bit per system for each (site, author), in a flat array, for the first 64
    /// systems; the (site, system, author) of systems beyond, in a set (an audit rarely names that many).
    private mutating func countAuthors(store: EntryStore) {
        let authorCount = store.authors.count, systemCount = store.systems.count
        var authorSystems = SiteGrid(sites: sites.count, slots: authorCount, zero: UInt64(0))
        var beyond = Set<SystemAuthor>()
        for entry in store.entries where entry.author != Entry.noID {
            if entry.system.rawValue < 64 {
                authorSystems[Int(entry.site), Int(entry.author)] |= 1 << UInt64(entry.system.rawValue)
            } else {
                beyond.insert(SystemAuthor(site: entry.site, system: entry.system, author: entry.author))
            }
        }
        var beyondBySite = Array(repeating: [SystemAuthor](), count: sites.count)
        for key in beyond { beyondBySite[Int(key.site)].append(key) }
        var allAuthorSystems = [UInt64](repeating: 0, count: authorCount)
        var allBeyond = Set<SystemAuthor>()
        for site in sites.indices {
            var authors = 0
            var systemAuthors = Array(repeating: 0, count: systemCount)
            authorSystems.forEach(site: site) { author, systems in
                guard systems != 0 else { return }
                authors += 1
                var bits = systems
                while bits != 0 {
                    systemAuthors[bits.trailingZeroBitCount] += 1
                    bits &= bits - 1
                }
                allAuthorSystems[author] |= systems
            }
            // Authors seen only in systems past the first 64 count once per site too.
            var onlyBeyond = Set<UInt32>()
            for key in beyondBySite[site] {
                systemAuthors[key.system.index] += 1
                if authorSystems[site, Int(key.author)] == 0 { onlyBeyond.insert(key.author) }
                allBeyond.insert(SystemAuthor(site: 0, system: key.system, author: key.author))
            }
            sites[site].authors += authors + onlyBeyond.count
            for (slot, count) in systemAuthors.enumerated() where count > 0 {
                sites[site].bySystem[store.systems[slot], default: SystemMetrics()].authors = count
            }
        }
        let beyondAuthors = Set(allBeyond.map(\.author))
        totals.authors =
            allAuthorSystems.indices.filter {
                allAuthorSystems[$0] != 0 || beyondAuthors.contains(UInt32($0))
            }.count
        var totalSystemAuthors = Array(repeating: 0, count: systemCount)
        for systems in allAuthorSystems where systems != 0 {
            var bits = systems
            while bits != 0 {
                totalSystemAuthors[bits.trailingZeroBitCount] += 1
                bits &= bits - 1
            }
        }
        for key in allBeyond { totalSystemAuthors[key.system.index] += 1 }
        for (slot, count) in totalSystemAuthors.enumerated() where count > 0 {
            totals.bySystem[store.systems[slot]]?.authors = count
        }
    }

    /// One (site, system, author), for the systems past the 64 an author's bits hold.
    private struct SystemAuthor: Hashable {
        var site: UInt16
        var system: SystemID
        var author: UInt32
    }

    /// Entries and distinct authors by profession as the export names it (`Profession.unspecified` when
    /// none): entries in a flat array, distinct authors by sorting (site, profession, author) keys once.
    private mutating func countProfessions(store: EntryStore) {
        let professions = ProfessionSlots(store)
        var professionEntries = SiteGrid(sites: sites.count, slots: professions.count, zero: 0)
        var authorKeys: [UInt64] = []
        authorKeys.reserveCapacity(store.entries.count)
        for entry in store.entries {
            let slot = professions.slot(of: entry)
            professionEntries[Int(entry.site), slot] += 1
            if entry.author != Entry.noID {
                authorKeys.append(UInt64(entry.site) << 48 | UInt64(slot) << 32 | UInt64(entry.author))
            }
        }
        authorKeys.sort()
        var professionAuthors = SiteGrid(sites: sites.count, slots: professions.count, zero: 0)
        var allProfessionAuthors = Array(repeating: Set<UInt32>(), count: professions.count)
        var previous: UInt64?
        for key in authorKeys where key != previous {
            previous = key
            let site = Int(key >> 48), slot = Int((key >> 32) & 0xFFFF)
            professionAuthors[site, slot] += 1
            if sites.count > 1 { allProfessionAuthors[slot].insert(UInt32(truncatingIfNeeded: key)) }
        }
        for site in sites.indices {
            professionEntries.forEach(site: site) { slot, count in
                guard count > 0 else { return }
                let name = professions.name(slot), authors = professionAuthors[site, slot]
                addToSiteAndTotals(site) { $0.byProfession[name, default: ProfessionMetrics()].entries += count }
                sites[site].byProfession[name]!.authors += authors
            }
        }
        for slot in 0..<professions.count where totals.byProfession[professions.name(slot)] != nil {
            let name = professions.name(slot)
            totals.byProfession[name]!.authors =
                sites.count > 1 ? allProfessionAuthors[slot].count : sites[0].byProfession[name]?.authors ?? 0
        }
    }

    /// Entries and distinct authors per staff group (`StaffGroup`), per site and over all sites (an author of
    /// two sites counts once): distinct authors by sorting (site, group, author) keys once.
    private mutating func countStaffGroups(store: EntryStore) {
        let professions = ProfessionSlots(store)
        let groupOfSlot = (0..<professions.count).map { Vocabulary.staffGroup(ofProfession: professions.name($0)) }
        let groupCount = StaffGroup.allCases.count
        var entriesPerGroup = SiteGrid(sites: sites.count, slots: groupCount, zero: 0)
        var authorKeys: [UInt64] = []
        authorKeys.reserveCapacity(store.entries.count)
        for entry in store.entries {
            let group = groupOfSlot[professions.slot(of: entry)].rawValue
            entriesPerGroup[Int(entry.site), Int(group)] += 1
            if entry.author != Entry.noID {
                authorKeys.append(UInt64(entry.site) << 48 | UInt64(group) << 32 | UInt64(entry.author))
            }
        }
        authorKeys.sort()
        var authorsPerGroup = SiteGrid(sites: sites.count, slots: groupCount, zero: 0)
        var allAuthors = Array(repeating: Set<UInt32>(), count: groupCount)
        var previous: UInt64?
        for key in authorKeys where key != previous {
            previous = key
            let site = Int(key >> 48), group = Int((key >> 32) & 0xFFFF)
            authorsPerGroup[site, group] += 1
            allAuthors[group].insert(UInt32(truncatingIfNeeded: key))
        }
        for site in sites.indices {
            entriesPerGroup.forEach(site: site) { slot, count in
                guard count > 0 else { return }
                let group = StaffGroup.allCases[slot], authors = authorsPerGroup[site, slot]
                addToSiteAndTotals(site) { $0.byStaffGroup[group, default: StaffGroupCount()].entries += count }
                sites[site].byStaffGroup[group]!.authors = authors
            }
        }
        for (slot, group) in StaffGroup.allCases.enumerated() where totals.byStaffGroup[group] != nil {
            totals.byStaffGroup[group]!.authors = allAuthors[slot].count
        }
    }

    /// The one pass over the duplicate groups: gathers per site, in a `ReEntryTally`, the groups by
    /// multiplicity and their originals, and for every re-entry, classified against its group's original
    /// (`ReEntry`), its counts, flow, lag and hours, for the `file…` steps after it.
    private func countGroupsAndReEntries(store: EntryStore, groups: [DuplicateGroup], costModel: CostModel)
        -> [ReEntryTally]
    {
        let entries = store.entries, professions = ProfessionSlots(store)
        let cost = ReEntryCost(costModel, categories: store.categories)
        var tally = Array(
            repeating: ReEntryTally(
                systems: store.systems.count, categories: store.categories.count, professions: professions.count),
            count: sites.count)
        for group in groups {
            let site = Int(group.site)
            tally[site].addGroup(multiplicity: group.multiplicity, originalSystem: entries[group.original].system)
            let originalProfession = professions.slot(of: entries[group.original])
            for member in group.reEntries {
                let reEntry = ReEntry(entry: member, original: group.original, in: entries), entry = entries[member]
                tally[site].add(
                    reEntry, entry, profession: professions.slot(of: entry), originalProfession: originalProfession,
                    hours: cost.hours(entry))
            }
        }
        return tally
    }

    /// Groups by multiplicity (×2, ×3, ×4+) and originals per system; re-entries in all, per system they were
    /// typed into, per category and purpose; cross-system or same-system; who re-entered (`ReEntry.Who`).
    private mutating func fileGroupsAndReEntries(_ tally: [ReEntryTally], store: EntryStore) {
        for site in sites.indices {
            let counts = tally[site]
            addToSiteAndTotals(site) { metrics in
                metrics.groupsX2 += counts.groupsX2
                metrics.groupsX3 += counts.groupsX3
                metrics.groupsX4Plus += counts.groupsX4Plus
                for (slot, system) in store.systems.enumerated() {
                    let originals = counts.originals[slot], reEntries = counts.reEntriesBySystem[slot]
                    if originals > 0 { metrics.bySystem[system, default: SystemMetrics()].originals += originals }
                    if reEntries > 0 { metrics.bySystem[system, default: SystemMetrics()].reEntries += reEntries }
                    metrics.reEntries += reEntries
                }
                for (category, reEntries) in counts.reEntriesByCategory.enumerated() where reEntries > 0 {
                    metrics.byCategory[store.categories[category], default: SliceCount()].reEntries += reEntries
                }
                for purpose in Purpose.allCases where counts.reEntriesByPurpose[Int(purpose.rawValue)] > 0 {
                    metrics.byPurpose[purpose, default: SliceCount()].reEntries +=
                        counts.reEntriesByPurpose[Int(purpose.rawValue)]
                }
                metrics.crossSystem += counts.crossSystem
                metrics.sameSystem += counts.sameSystem
                metrics.selfReEntries += counts.reEntriesByWho[ReEntry.Who.selfReEntry.rawValue]
                metrics.transcriptions += counts.reEntriesByWho[ReEntry.Who.transcription.rawValue]
                metrics.authorUnknown += counts.reEntriesByWho[ReEntry.Who.unknown.rawValue]
            }
        }
    }

    /// Flows (system of the original → system of the re-entry), each with its share of the target system's
    /// entries, largest first (`Flow.ranked`).
    private mutating func fileFlows(_ tally: [ReEntryTally], store: EntryStore) {
        let systemCount = store.systems.count
        func ranked(_ flows: [Int: Int], _ metrics: WorkloadMetrics) -> [Flow] {
            var counts: [[InformationSystem]: Int] = [:]
            for (flow, count) in flows where count > 0 {
                counts[[store.systems[flow / systemCount], store.systems[flow % systemCount]]] = count
            }
            let bySystem = metrics.bySystem
            return Flow.ranked(counts) { bySystem[$0]?.entries ?? 0 }
        }
        var allFlows: [Int: Int] = [:]
        for site in sites.indices {
            sites[site].flows = ranked(tally[site].flows, sites[site])
            for (flow, count) in tally[site].flows { allFlows[flow, default: 0] += count }
        }
        totals.flows = ranked(allFlows, totals)
    }

    /// Lags between original and re-entry: median and 90th percentile by nearest rank, and the histogram
    /// (`lagBucket`).
    private mutating func fileLags(_ tally: [ReEntryTally]) {
        func file(_ lags: [Int64], _ metrics: inout WorkloadMetrics) {
            let sorted = lags.sorted()
            guard !sorted.isEmpty else { return }
            metrics.lagMedianMinutes = Double(Self.nearestRank(sorted, 0.5)) / 60
            metrics.lagP90Minutes = Double(Self.nearestRank(sorted, 0.9)) / 60
        }
        var allLags: [Int64] = []
        for site in sites.indices {
            file(tally[site].lags, &sites[site])
            allLags += tally[site].lags
            for lag in tally[site].lags {
                let bucket = Self.lagBucket(minutes: Double(lag) / 60)
                addToSiteAndTotals(site) { $0.lagHistogram[bucket] += 1 }
            }
        }
        file(allLags, &totals)
    }

    /// Estimated hours over the whole period and per month (the period's hours × 30.44 ÷ its days); per month,
    /// the totals are the sum of the sites' figures, since sites may cover different periods.
    private mutating func fileHours(_ tally: [ReEntryTally]) {
        var totalHours = HoursRange()
        for site in sites.indices {
            let hours = tally[site].hours
            sites[site].hoursTotal = hours
            let months = sites[site].periodDays / CostModel.daysPerMonth
            sites[site].hoursPerMonth = months > 0 ? hours.scaled(by: 1 / months) : HoursRange()
            totalHours = totalHours + hours
        }
        totals.hoursTotal = totalHours
        totals.hoursPerMonth = sites.reduce(HoursRange()) { $0 + $1.hoursPerMonth }
    }

    /// The share of a month in the period of site `site`, to turn its hours into hours per month (0 for an
    /// empty period).
    private func perMonth(_ site: Int) -> Double {
        let months = sites[site].periodDays / CostModel.daysPerMonth
        return months > 0 ? 1 / months : 0
    }

    /// Hours per month by who re-entered, by category and by purpose: each site's hours over its own period;
    /// the totals are sums of the sites' figures.
    private mutating func fileHoursPerMonthBySlice(_ tally: [ReEntryTally], store: EntryStore) {
        for site in sites.indices {
            let perMonth = perMonth(site)
            for who in ReEntry.Who.allCases {
                let keyPath: WritableKeyPath<WorkloadMetrics, HoursRange> =
                    switch who {
                    case .selfReEntry: \.hoursPerMonthSelf
                    case .transcription: \.hoursPerMonthTranscription
                    case .unknown: \.hoursPerMonthAuthorUnknown
                    }
                let range = tally[site].hoursByWho[who.rawValue].scaled(by: perMonth)
                addToSiteAndTotals(site) { $0[keyPath: keyPath] = $0[keyPath: keyPath] + range }
            }
            for category in store.categories.indices
            where sites[site].byCategory[store.categories[category]]?.reEntries ?? 0 > 0 {
                let name = store.categories[category],
                    range = tally[site].hoursByCategory[category].scaled(by: perMonth)
                addToSiteAndTotals(site) {
                    $0.hoursPerMonthByCategory[name] = $0.hoursPerMonthByCategory[name, default: HoursRange()] + range
                }
            }
            for purpose in Purpose.allCases where sites[site].byPurpose[purpose]?.reEntries ?? 0 > 0 {
                let range = tally[site].hoursByPurpose[Int(purpose.rawValue)].scaled(by: perMonth)
                addToSiteAndTotals(site) {
                    $0.hoursPerMonthByPurpose[purpose] =
                        $0.hoursPerMonthByPurpose[purpose, default: HoursRange()] + range
                }
            }
        }
    }

    /// Re-entries by the profession of whoever typed them again: how many, self re-entries, transcriptions,
    /// hours per month.
    private mutating func fileProfessionReEntries(_ tally: [ReEntryTally], store: EntryStore) {
        let professions = ProfessionSlots(store)
        for site in sites.indices {
            let perMonth = perMonth(site)
            for slot in 0..<professions.count where tally[site].professionCounts[slot].reEntries > 0 {
                let name = professions.name(slot), counts = tally[site].professionCounts[slot]
                let range = tally[site].professionHours[slot].scaled(by: perMonth)
                addToSiteAndTotals(site) { metrics in
                    metrics.byProfession[name, default: ProfessionMetrics()].reEntries += counts.reEntries
                    metrics.byProfession[name]!.selfReEntries += counts.selfReEntries
                    metrics.byProfession[name]!.transcriptions += counts.transcriptions
                    metrics.byProfession[name]!.hoursPerMonth = metrics.byProfession[name]!.hoursPerMonth + range
                }
            }
        }
    }

    /// Who retypes whose information: re-entries by (profession of the original's author, profession of the
    /// re-entry's author), and the same by staff group (`Vocabulary.staffGroup(ofProfession:)`).
    private mutating func fileProfessionPairs(_ tally: [ReEntryTally], store: EntryStore) {
        let professions = ProfessionSlots(store), count = professions.count
        for site in sites.indices {
            for (index, reEntries) in tally[site].professionPairs {
                let from = professions.name(index / count), to = professions.name(index % count)
                let staff = FromTo(Vocabulary.staffGroup(ofProfession: from), Vocabulary.staffGroup(ofProfession: to))
                addToSiteAndTotals(site) { metrics in
                    metrics.reEntriesByProfessionPair[FromTo(from, to), default: 0] += reEntries
                    metrics.reEntriesByStaffPair[staff, default: 0] += reEntries
                }
            }
        }
    }

    /// Who types again, into what: re-entries by (profession of the re-entry's author, system it was typed
    /// into), per site and in the totals, their purpose `notDeclared` until `fileSystemPurposes` files the
    /// declarations (and the staff groups with them).
    private mutating func fileProfessionSystems(_ tally: [ReEntryTally], store: EntryStore) {
        let professions = ProfessionSlots(store), systemCount = store.systems.count
        for site in sites.indices {
            for (index, reEntries) in tally[site].professionSystems {
                let key = TypedInto(professions.name(index / systemCount), store.systems[index % systemCount])
                addToSiteAndTotals(site) { $0.reEntriesByProfessionSystem[key, default: 0] += reEntries }
            }
        }
    }

    /// What-ifs: cross-system re-entries by (from, to, category) and the hours per month an interface
    /// carrying them would save, ranked (`WhatIf.ranked`); the totals sum the sites' hours per month.
    private mutating func fileWhatIfs(_ tally: [ReEntryTally], store: EntryStore) {
        let categoryCount = store.categories.count, systemCount = store.systems.count
        func whatIf(_ key: Int, _ count: Int, _ hours: HoursRange) -> WhatIf {
            let pair = key / categoryCount
            return WhatIf(
                from: store.systems[pair / systemCount], to: store.systems[pair % systemCount],
                category: store.categories[key % categoryCount], reEntries: count, hoursPerMonth: hours)
        }
        var totalWhatIf: [Int: (count: Int, hours: HoursRange)] = [:]
        for site in sites.indices {
            let perMonth = perMonth(site), items = tally[site].whatIf
            sites[site].whatIf = WhatIf.ranked(items.map { whatIf($0, $1.count, $1.hours.scaled(by: perMonth)) })
            for (key, value) in items {
                let known = totalWhatIf[key] ?? (0, HoursRange())
                totalWhatIf[key] = (known.count + value.count, known.hours + value.hours.scaled(by: perMonth))
            }
        }
        totals.whatIf = WhatIf.ranked(totalWhatIf.map { whatIf($0, $1.count, $1.hours) })
    }

    /// Staffing: FTE per profession of each site, and their sums; over all sites only when every site has
    /// staffing, so that hours per FTE compare like with like.
    private mutating func fileStaffing(_ staffing: Staffing) {
        var everySite = true
        for site in sites.indices {
            guard let professions = staffing.fte[sites[site].site] else {
                everySite = false
                continue
            }
            // in a fixed order: same bits every run
            sites[site].fte = professions.keys.sorted().reduce(0) { $0 + professions[$1]! }
            for (profession, fte) in professions {
                sites[site].byProfession[profession, default: ProfessionMetrics()].fte = fte
                totals.byProfession[profession, default: ProfessionMetrics()].fte =
                    (totals.byProfession[profession]?.fte ?? 0) + fte
            }
        }
        if everySite, !sites.isEmpty { totals.fte = sites.reduce(0) { $0 + ($1.fte ?? 0) } }
        if !everySite { for key in totals.byProfession.keys { totals.byProfession[key]?.fte = nil } }
    }
}

// MARK: - Flat tables

/// Professions as slots of flat arrays: one per name of `EntryStore.professions`, then the last for entries
/// whose export names none (`Profession.unspecified`).
private struct ProfessionSlots {
    let names: [String]
    init(_ store: EntryStore) { names = store.professions }
    var count: Int { names.count + 1 }
    func slot(of entry: Entry) -> Int { entry.profession == .max ? names.count : Int(entry.profession) }
    func name(_ slot: Int) -> String { slot < names.count ? names[slot] : Profession.unspecified }
}

/// Hours to type one entry again, in the three scenarios of the cost model: the category's overhead plus
/// its text's words at the typing speed. Overheads looked up once per category, not per re-entry.
private struct ReEntryCost {
    let model: CostModel
    let overheads: [(low: Double, central: Double, high: Double)]

    init(_ model: CostModel, categories: [String]) {
        self.model = model
        overheads = categories.map { name in
            (
                model.low.overheadMinutes[name] ?? model.low.defaultOverhead,
                model.central.overheadMinutes[name] ?? model.central.defaultOverhead,
                model.high.overheadMinutes[name] ?? model.high.defaultOverhead
            )
        }
    }

    func hours(_ entry: Entry) -> HoursRange {
        let overhead = overheads[Int(entry.category)], words = Double(entry.textWords)
        return HoursRange(
            low: (overhead.low + words / model.low.wordsPerMinute) / 60,
            central: (overhead.central + words / model.central.wordsPerMinute) / 60,
            high: (overhead.high + words / model.high.wordsPerMinute) / 60)
    }
}

/// Re-entries of one profession of one site: how many, and how many by the same professional or another.
private struct ProfessionReEntries {
    var reEntries = 0, selfReEntries = 0, transcriptions = 0
}

/// What the pass over the duplicate groups gathers for one site, for the `file…` steps: flat arrays indexed
/// by system, `ReEntry.Who`, category, purpose and profession slot (no string hashing per re-entry). Hours
/// are over the whole period, turned into hours per month when filed.
private struct ReEntryTally {
    var groupsX2 = 0, groupsX3 = 0, groupsX4Plus = 0
    /// Originals, and re-entries, by the system they were typed into (`SystemID.index`).
    var originals: [Int]
    var reEntriesBySystem: [Int]
    var reEntriesByCategory: [Int]
    var reEntriesByPurpose = Array(repeating: 0, count: AuditMetrics.purposeCount)
    var crossSystem = 0, sameSystem = 0
    var reEntriesByWho = Array(repeating: 0, count: ReEntry.Who.allCases.count)
    /// Re-entries by (from, to), at `flowIndex(from, to)` (sparse: an audit may name many systems, and a site
    /// has flows between few of them).
    var flows: [Int: Int] = [:]
    /// Seconds between original and re-entry, in the order of the groups.
    var lags: [Int64] = []
    var hours = HoursRange()
    var hoursByWho = Array(repeating: HoursRange(), count: ReEntry.Who.allCases.count)
    var hoursByCategory: [HoursRange]
    var hoursByPurpose = Array(repeating: HoursRange(), count: AuditMetrics.purposeCount)
    var professionHours: [HoursRange]
    var professionCounts: [ProfessionReEntries]
    /// Re-entries by (profession slot of the original, of the re-entry), keyed `from × professions + to`
    /// (sparse: an export may name many professions).
    var professionPairs: [Int: Int] = [:]
    /// Re-entries by (profession slot of the re-entry, system it was typed into), keyed
    /// `profession × systems + system` (sparse).
    var professionSystems: [Int: Int] = [:]
    /// Cross-system re-entries: (`flowIndex(from, to)` × categories + category) → re-entries, hours.
    var whatIf: [Int: (count: Int, hours: HoursRange)] = [:]
    let categories: Int
    /// Systems of the audit: flows and what-ifs are keyed `from × systems + to`.
    let systems: Int

    init(systems: Int, categories: Int, professions: Int) {
        self.systems = systems
        self.categories = categories
        originals = Array(repeating: 0, count: systems)
        reEntriesBySystem = Array(repeating: 0, count: systems)
        reEntriesByCategory = Array(repeating: 0, count: categories)
        hoursByCategory = Array(repeating: HoursRange(), count: categories)
        professionHours = Array(repeating: HoursRange(), count: professions)
        professionCounts = Array(repeating: ProfessionReEntries(), count: professions)
    }

    func flowIndex(_ from: SystemID, _ to: SystemID) -> Int { from.index * systems + to.index }

    /// A duplicate group of `multiplicity` entries whose original was typed into `originalSystem`.
    mutating func addGroup(multiplicity: Int, originalSystem: SystemID) {
        switch multiplicity {
        case 2: groupsX2 += 1
        case 3: groupsX3 += 1
        default: groupsX4Plus += 1
        }
        originals[originalSystem.index] += 1
    }

    /// `reEntry` (of `entry`, typed by a professional of slot `profession`, its group's original by one of
    /// slot `originalProfession`) costing `hours`.
    mutating func add(
        _ reEntry: ReEntry, _ entry: Entry, profession: Int, originalProfession: Int, hours cost: HoursRange
    ) {
        professionPairs[originalProfession * professionCounts.count + profession, default: 0] += 1
        professionSystems[profession * systems + reEntry.to.index, default: 0] += 1
        reEntriesBySystem[reEntry.to.index] += 1
        reEntriesByCategory[Int(entry.category)] += 1
        reEntriesByPurpose[Int(entry.purpose.rawValue)] += 1
        if reEntry.isCrossSystem { crossSystem += 1 } else { sameSystem += 1 }
        reEntriesByWho[reEntry.who.rawValue] += 1
        let flow = flowIndex(reEntry.from, reEntry.to)
        flows[flow, default: 0] += 1
        lags.append(reEntry.lag)
        hours = hours + cost
        hoursByWho[reEntry.who.rawValue] = hoursByWho[reEntry.who.rawValue] + cost
        hoursByCategory[Int(entry.category)] = hoursByCategory[Int(entry.category)] + cost
        hoursByPurpose[Int(entry.purpose.rawValue)] = hoursByPurpose[Int(entry.purpose.rawValue)] + cost
        professionHours[profession] = professionHours[profession] + cost
        professionCounts[profession].reEntries += 1
        switch reEntry.who {
        case .selfReEntry: professionCounts[profession].selfReEntries += 1
        case .transcription: professionCounts[profession].transcriptions += 1
        case .unknown: break
        }
        if reEntry.isCrossSystem {
            let key = flow * categories + Int(entry.category)
            let known = whatIf[key] ?? (0, HoursRange())
            whatIf[key] = (known.count + 1, known.hours + cost)
        }
    }
}
