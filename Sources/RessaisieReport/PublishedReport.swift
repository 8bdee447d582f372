import RessaisieCore

/// One site (or the totals) as a report may show it: its period and its tables, already disclosed.
public struct PublishedSite: Sendable {
    public var name: String
    public var isTotal: Bool
    /// The period the figures are per: first and last day, days covered, where it comes from
    /// (`PeriodSource.name`), and whether it is under a week (hours then per day and per week, the tables'
    /// `hours_per_month…` ids read `hours_per_day…`); nil without entries.
    public var period: (from: String, to: String, days: Double, source: String, short: Bool)?
    /// `overview`, `by_system`, `flows`, `multiplicity`, `by_category`, `by_purpose`, `by_profession`, `who`,
    /// `lag`, `what_if`, in this order.
    public var tables: [PublishedTable]

    public func table(_ id: String) -> PublishedTable? { tables.first { $0.id == id } }
}

/// What a report shows, after the disclosure rules: the only thing renderers read besides settings and
/// data quality. Built once per run; every format goes through it.
public struct PublishedReport: Sendable {
    public var disclosure: Disclosure
    public var sites: [PublishedSite]
    public var totals: PublishedSite
    /// Across sites: `comparison` (site, metric, value, rank) and `quartiles` (metric, q1, median, q3).
    public var comparison: PublishedTable
    public var quartiles: PublishedTable
    /// The peer groups sites are ranked within, with their number of sites, and the fewest sites with a
    /// value a rank or quartile needs (a group with fewer has none, and the report says so).
    public var peerGroups: [(name: String, sites: Int)]
    public var minimumPeers: Int
    /// Across organizations (`PathwayDetector`): per ordered pair of sites sharing patients, the shared patients
    /// (by INS, by identity traits) and the facts typed at the first and typed again at the second
    /// (`pathways`), and those re-entries by category (`pathway_categories`); no rows when no two sites share a
    /// patient.
    public var pathways: PublishedTable
    public var pathwayCategories: PublishedTable
    /// Across categories (`CrossCategoryDetector`): per site and ordered pair of categories, the facts typed in
    /// the first and typed again in the second (`cross_categories`), and those re-entries by pair of purposes,
    /// care → management first among them (`cross_category_purposes`); no rows when none was found.
    public var crossCategories: PublishedTable
    public var crossCategoryPurposes: PublishedTable
    public var dataQuality: PublishedTable
    /// How the figures were made (window, methods, links, boilerplate learned).
    public var method: PublishedTable
    public var settings: ReportSettings
    public var generatedAt: String?
    /// Redacted examples for the analyst (`--evidence`), empty otherwise.
    public var evidence: [EvidenceExample]

    public init(_ input: ReportInput, disclosure: Disclosure, evidence: [EvidenceExample] = []) {
        self.disclosure = disclosure
        settings = input.settings
        generatedAt = input.settings.generatedAt.map { input.clock.iso8601($0) }
        let review = input.settings.review
        // The tables of destinations, once the analyst has declared what at least one system is for.
        let declared = input.settings.siteProfiles.values.contains { !$0.systemPurposes.isEmpty }
        sites = input.metrics.sites.map {
            Self.site(
                $0, isTotal: false, disclosure: disclosure, clock: input.clock, review: review,
                purposesDeclared: declared)
        }
        // Totals add up the sites' figures: per day as soon as one site's are.
        totals = Self.site(
            input.metrics.totals, isTotal: true, disclosure: disclosure, clock: input.clock,
            short: input.metrics.sites.contains { $0.isShortPeriod } || input.metrics.totals.isShortPeriod,
            review: review, purposesDeclared: declared)
        totals = Self.protected(totals, sites: sites, disclosure: disclosure)
        let compared = Self.comparison(input.metrics.sites, settings: input.settings, disclosure: disclosure)
        (comparison, quartiles) = (compared.0, compared.1)
        peerGroups = compared.2.groups.map { (name: $0.name, sites: $0.sites.count) }
        minimumPeers = compared.2.minimumSites
        (pathways, pathwayCategories) = Self.pathwayTables(input.metrics.pathways, disclosure: disclosure)
        (crossCategories, crossCategoryPurposes) = Self.crossCategoryTables(
            input.metrics.crossCategories, disclosure: disclosure)
        dataQuality = Self.dataQuality(input.quality)
        method = Self.method(input)
        self.evidence = evidence
        // Last: nothing hidden may come back from the other published numbers.
        if disclosure.suppressSmallCounts { DisclosureAudit.enforce(&self) }
    }

    // MARK: Across organizations

    /// The pathway tables. A pair's patients shared by INS and by traits add up to its shared patients: when
    /// one of the two is hidden, the other is withheld too. Re-entries by category add up to their pair's.
    static func pathwayTables(_ flows: [PathwayFlow], disclosure d: Disclosure) -> (PublishedTable, PublishedTable) {
        let total = flows.reduce(0) { $0 + $1.reEntries }
        var pairs = d.disclose(
            PublishedTable(
                id: "pathways",
                columns: [
                    .init("from_site"), .init("to_site"), .init("shared_patients"), .init("shared_patients_by_ins"),
                    .init("shared_patients_by_traits"), .init("re_entries", additive: true),
                ],
                rows: flows.map {
                    [
                        .text($0.fromSite), .text($0.toSite), .count($0.sharedPatients), .count($0.sharedByINS),
                        .count($0.sharedByTraits), .count($0.reEntries),
                    ]
                },
                total: [.label("total"), .none, .none, .none, .none, .count(total)]))
        for row in pairs.rows.indices {
            let (ins, traits) = (pairs.rows[row][3], pairs.rows[row][4])
            if ins.isHidden, case .count(let value) = traits, value > 0 { pairs.rows[row][4] = .withheld }
            if traits.isHidden, case .count(let value) = ins, value > 0 { pairs.rows[row][3] = .withheld }
        }
        let categories = d.disclose(
            PublishedTable(
                id: "pathway_categories",
                columns: [
                    .init("from_site"), .init("to_site"), .init("category"),
                    // Re-entries of one pair of sites add up to the pair's (pathways).
                    .init("re_entries", additive: true, subtotals: [[0, 1]]),
                ],
                rows: flows.flatMap { flow in
                    flow.byCategory.keys.sorted { a, b in
                        let ia = Category.canonical.firstIndex(of: a) ?? Int.max,
                            ib = Category.canonical.firstIndex(of: b) ?? Int.max
                        return (ia, a) < (ib, b)
                    }.map { category -> [Cell] in
                        [
                            .text(flow.fromSite), .text(flow.toSite), .label(category),
                            .count(flow.byCategory[category]!),
                        ]
                    }
                },
                total: [.label("total"), .none, .none, .count(total)]))
        return (pairs, categories)
    }

    // MARK: Across categories

    /// The label of a pair of purposes (`care→management`).
    static func purposes(_ from: Purpose, _ to: Purpose) -> String { "\(from.name)→\(to.name)" }

    /// The cross-category tables. The rows of one pair of purposes add up to that pair's figure in
    /// `cross_category_purposes`: secondary suppression within each.
    static func crossCategoryTables(
        _ flows: [CrossCategoryFlow], disclosure d: Disclosure
    ) -> (PublishedTable, PublishedTable) {
        let total = flows.reduce(0) { $0 + $1.reEntries }
        let rows = flows.map { flow -> [Cell] in
            [
                .text(flow.site), .label(flow.fromCategory), .label(flow.toCategory),
                .label(purposes(flow.fromPurpose, flow.toPurpose)), .count(flow.reEntries),
            ]
        }
        let byCategory = d.disclose(
            PublishedTable(
                id: "cross_categories",
                columns: [
                    .init("site"), .init("from_category"), .init("to_category"), .init("purposes"),
                    .init("re_entries", additive: true, subtotals: [[3]]),
                ],
                rows: rows, total: [.label("total"), .none, .none, .none, .count(total)]))
        var byPurpose: [String: Int] = [:]
        for flow in flows { byPurpose[purposes(flow.fromPurpose, flow.toPurpose), default: 0] += flow.reEntries }
        // care→management first: the field's central worry.
        let order = [
            purposes(.care, .management), purposes(.care, .care), purposes(.management, .care),
            purposes(.management, .management),
        ]
        let byPurposes = d.disclose(
            PublishedTable(
                id: "cross_category_purposes",
                columns: [.init("purposes"), .init("re_entries", additive: true)],
                rows: order.filter { byPurpose[$0] != nil }.map { [.label($0), .count(byPurpose[$0]!)] },
                total: [.label("total"), .count(total)]))
        return (byCategory, byPurposes)
    }

    // MARK: One site

    static func site(
        _ m: WorkloadMetrics, isTotal: Bool, disclosure d: Disclosure, clock: SiteClock, short: Bool? = nil,
        review: ReviewEstimate? = nil, purposesDeclared: Bool = false
    ) -> PublishedSite {
        let short = short ?? m.isShortPeriod
        let period =
            m.entries > 0
            ? (clock.day(m.firstRecordedAt), clock.day(m.lastRecordedAt), m.periodDays, m.periodSource.name, short)
            : nil
        let reHidden = d.hides(m.reEntries)
        func derived(_ cell: Cell) -> Cell { reHidden ? .withheld : cell }

        var overview: [[Cell]] = [
            [.label("entries"), d.count(m.entries)],
            [.label("patients"), d.count(m.patients)],
            [.label("patients_in_several_systems"), d.count(m.patientsInSeveralSystems)],
            [.label("authors"), d.count(m.authors)],
            [.label("re_entries"), d.count(m.reEntries)],
            [.label("re_entries_possible_interface_copies"), d.count(m.possibleInterfaceCopies)],
        ]
        // A reviewed audit: the range of true re-entries the review gives (derived from the count: hidden with it).
        if let range = review?.reEntries(found: m.reEntries) {
            overview.append([.label("re_entries_estimated_low"), reHidden ? .withheld : d.count(range.lower)])
            overview.append([.label("re_entries_estimated_high"), reHidden ? .withheld : d.count(range.upper)])
        }
        overview += [
            [.label("redundancy_rate"), derived(d.hides(m.entries) ? .withheld : .rate(m.redundancyRate))],
            [.label("lag_median"), m.lagMedianMinutes.map { derived(.minutes($0)) } ?? .none],
            [.label("lag_p90"), m.lagP90Minutes.map { derived(.minutes($0)) } ?? .none],
            [.label("documentation_delay_originals"), m.when.delayMedianOriginals.map { .minutes($0) } ?? .none],
            [
                .label("documentation_delay_re_entries"),
                m.when.delayMedianReEntries.map { derived(.minutes($0)) } ?? .none,
            ],
            [.label("hours_per_month_low"), derived(.hours(m.hoursPerMonth.low))],
            [.label("hours_per_month_central"), derived(.hours(m.hoursPerMonth.central))],
            [.label("hours_per_month_high"), derived(.hours(m.hoursPerMonth.high))],
        ]
        if let fte = m.fte {
            overview.append([.label("fte"), .fte(fte)])
            overview.append([
                .label("hours_per_fte_per_month"), m.hoursPerFTEPerMonth.map { derived(.hours($0.central)) } ?? .none,
            ])
        }
        var tables = [PublishedTable(id: "overview", columns: [.init("metric"), .init("value")], rows: overview)]

        tables += systemTables(m, disclosure: d)
        tables += categoryAndPurposeTables(m, disclosure: d)
        tables += professionAndWhoTables(m, disclosure: d)
        tables += whoWhomTables(m, disclosure: d)
        tables += professionSystemTables(m, disclosure: d)
        if purposesDeclared {
            tables += destinationTables(
                m, disclosure: d, systems: tables.first { $0.id == "by_system" },
                flows: tables.first { $0.id == "flows" })
        }
        tables += timeTables(m, disclosure: d)
        tables += whatIfTables(m, disclosure: d)

        if short {
            tables = tables.map(Self.perDay)
            if let index = tables.firstIndex(where: { $0.id == "overview" }),
                let central = tables[index].rows.firstIndex(where: { $0.first == .label("hours_per_day_central") })
            {
                tables[index].rows.insert(
                    [.label("hours_per_week_central"), reHidden ? .withheld : .hours(m.hoursPerWeek.central)],
                    at: central + 1)
            }
        }
        return PublishedSite(name: m.site, isTotal: isTotal, period: period, tables: tables)
    }

    /// Systems: by system, flows between them, multiplicity of the groups.
    static func systemTables(_ m: WorkloadMetrics, disclosure d: Disclosure) -> [PublishedTable] {
        var tables: [PublishedTable] = []
        // Systems.
        let systems = m.bySystem.keys.sorted()
        tables.append(
            d.disclose(
                PublishedTable(
                    id: "by_system",
                    columns: [
                        .init("system"), .init("entries", additive: true), .init("patients"), .init("authors"),
                        .init("re_entries", additive: true), .init("redundancy_rate", basis: [1, 4]),
                        .init("identity_duplicates", additive: true),
                    ],
                    rows: systems.map { kind in
                        let s = m.bySystem[kind]!
                        return [
                            .label(kind.name), .count(s.entries), .count(s.patients), .count(s.authors),
                            .count(s.reEntries),
                            .rate(s.redundancyRate), .count(s.identityDuplicates),
                        ]
                    },
                    total: [
                        .label("total"), .count(m.entries), .none, .none, .count(m.reEntries), .rate(m.redundancyRate),
                        .count(systems.reduce(0) { $0 + m.bySystem[$1]!.identityDuplicates }),
                    ])))

        // Flows, original → re-entry system.
        let flows = m.flows.sorted { ($0.from, $0.to) < ($1.from, $1.to) }
        tables.append(
            d.disclose(
                PublishedTable(
                    id: "flows",
                    // Flows into a system add up to its re-entries, shown in by_system.
                    columns: [
                        .init("from"), .init("to"), .init("re_entries", additive: true, subtotals: [[1]]),
                        .init("share_of_target_entries", basis: [2]),
                    ],
                    rows: flows.map {
                        [
                            .label($0.from.name), .label($0.to.name), .count($0.reEntries),
                            .rate($0.shareOfTargetEntries),
                        ]
                    },
                    total: [.label("total"), .none, .count(m.reEntries), .none])))

        // Multiplicity.
        tables.append(
            d.disclose(
                PublishedTable(
                    id: "multiplicity",
                    columns: [.init("multiplicity"), .init("groups", additive: true)],
                    rows: [
                        [.label("x2"), .count(m.groupsX2)], [.label("x3"), .count(m.groupsX3)],
                        [.label("x4_plus"), .count(m.groupsX4Plus)],
                    ],
                    total: [.label("total"), .count(m.groups)])))
        return tables
    }

    /// Categories, then care vs management (a purpose hidden where it would give a hidden category away).
    static func categoryAndPurposeTables(_ m: WorkloadMetrics, disclosure d: Disclosure) -> [PublishedTable] {
        var tables: [PublishedTable] = []
        // Categories: canonical order, then others by name (an order that says nothing about hidden counts).
        let categories = m.byCategory.keys.sorted { a, b in
            let ia = Category.canonical.firstIndex(of: a) ?? Int.max,
                ib = Category.canonical.firstIndex(of: b) ?? Int.max
            return (ia, a) < (ib, b)
        }
        let categoryTable = d.disclose(
            PublishedTable(
                id: "by_category",
                columns: [
                    .init("category"), .init("entries", additive: true), .init("re_entries", additive: true),
                    .init("redundancy_rate", basis: [1, 2]), .init("hours_per_month", basis: [2]),
                ],
                rows: categories.map { name in
                    let slice = m.byCategory[name]!
                    return [
                        .label(name), .count(slice.entries), .count(slice.reEntries), .rate(slice.redundancyRate),
                        .hours(m.hoursPerMonthByCategory[name]?.central ?? 0),
                    ]
                },
                total: [
                    .label("total"), .count(m.entries), .count(m.reEntries), .rate(m.redundancyRate),
                    .hours(m.hoursPerMonth.central),
                ]))
        tables.append(categoryTable)

        // Purpose: care vs management. When purposes follow from categories (no export gave its own), each
        // purpose is the sum of its categories: it is hidden where it would give a hidden category away by
        // subtraction.
        let purposes = m.byPurpose.keys.sorted()
        func categoriesSum(_ purpose: Purpose, _ value: (SliceCount) -> Int) -> Int {
            categories.filter { Category.purpose(of: $0) == purpose }.reduce(0) { $0 + value(m.byCategory[$1]!) }
        }
        let derived = purposes.allSatisfy { purpose in
            categoriesSum(purpose, \.entries) == m.byPurpose[purpose]!.entries
                && categoriesSum(purpose, \.reEntries) == m.byPurpose[purpose]!.reEntries
        }
        var purposeTable = PublishedTable(
            id: "by_purpose",
            columns: [
                .init("purpose"), .init("entries", additive: true), .init("re_entries", additive: true),
                .init("redundancy_rate", basis: [1, 2]), .init("hours_per_month", basis: [2]),
            ],
            rows: purposes.map { purpose in
                let slice = m.byPurpose[purpose]!
                return [
                    .label(purpose.name), .count(slice.entries), .count(slice.reEntries), .rate(slice.redundancyRate),
                    .hours(m.hoursPerMonthByPurpose[purpose]?.central ?? 0),
                ]
            },
            total: [
                .label("total"), .count(m.entries), .count(m.reEntries), .rate(m.redundancyRate),
                .hours(m.hoursPerMonth.central),
            ])
        if derived {
            for (row, purpose) in purposes.enumerated() {
                for column in [1, 2] {
                    // One hidden category alone in the purpose would be the purpose minus the others; two or
                    // more only give their sum (the purpose table's own secondary cell covers the rest).
                    let hidden = zip(categories, categoryTable.rows).filter { name, cells in
                        Category.purpose(of: name) == purpose && cells[column].isHidden
                    }.count
                    if hidden == 1 { purposeTable.rows[row][column] = .withheld }
                }
            }
        }
        tables.append(d.disclose(purposeTable))
        return tables
    }

    /// Professions (merged below the author minimum), then who re-entered.
    static func professionAndWhoTables(_ m: WorkloadMetrics, disclosure d: Disclosure) -> [PublishedTable] {
        var tables: [PublishedTable] = []
        // Who re-entered: the professional of the first entry, or another one (the table does not say why).
        let share = { (n: Int) in m.reEntries == 0 ? 0 : Double(n) / Double(m.reEntries) }
        let who: [(String, Int, HoursRange)] = [
            ("self", m.selfReEntries, m.hoursPerMonthSelf),
            ("transcription", m.transcriptions, m.hoursPerMonthTranscription),
            ("author_unknown", m.authorUnknown, m.hoursPerMonthAuthorUnknown),
        ]
        let whoTable = d.disclose(
            PublishedTable(
                id: "who",
                columns: [
                    .init("who"), .init("re_entries", additive: true), .init("share", basis: [1]),
                    .init("hours_per_month_low", basis: [1]), .init("hours_per_month_central", basis: [1]),
                    .init("hours_per_month_high", basis: [1]),
                ],
                rows: who.map {
                    [
                        .label($0.0), .count($0.1), .rate(share($0.1)), .hours($0.2.low), .hours($0.2.central),
                        .hours($0.2.high),
                    ]
                },
                total: [
                    .label("total"), .count(m.reEntries), .rate(m.reEntries == 0 ? 0 : 1), .hours(m.hoursPerMonth.low),
                    .hours(m.hoursPerMonth.central), .hours(m.hoursPerMonth.high),
                ]))

        // Professions: merged below the author minimum, never per person.
        let professions = d.professions(m.byProfession)
        let hasStaffing = professions.contains { $0.metrics.fte != nil }
        var professionColumns: [PublishedTable.Column] = [
            .init("profession"), .init("authors"), .init("entries", additive: true),
            .init("re_entries", additive: true),
            .init("self", additive: true), .init("transcription", additive: true), .init("hours_per_month", basis: [3]),
        ]
        if hasStaffing { professionColumns += [.init("fte"), .init("hours_per_fte_per_month", basis: [3])] }
        var professionTable = PublishedTable(
            id: "by_profession", columns: professionColumns,
            rows: professions.map { slice in
                let p = slice.metrics
                // Every profession under the author minimum: one row that says so, not an "others" that
                // would read as a profession of its own.
                let name = professionCell(slice.name, slices: professions.count)
                guard slice.shown else {
                    return [name] + Array(repeating: Cell.withheld, count: professionColumns.count - 1)
                }
                var row: [Cell] = [
                    name, .count(p.authors), .count(p.entries), .count(p.reEntries), .count(p.selfReEntries),
                    .count(p.transcriptions), .hours(p.hoursPerMonth.central),
                ]
                if hasStaffing {
                    row += [p.fte.map { .fte($0) } ?? .none, p.hoursPerFTEPerMonth.map { .hours($0.central) } ?? .none]
                }
                return row
            },
            // Self and transcription totals are the who table's, disclosed there (showing them here too
            // could undo its secondary suppression).
            total: [
                .label("total"), .count(m.authors), .count(m.entries), .count(m.reEntries), .none, .none,
                .hours(m.hoursPerMonth.central),
            ]
                + (hasStaffing
                    ? [m.fte.map { .fte($0) } ?? .none, m.hoursPerFTEPerMonth.map { .hours($0.central) } ?? .none] : [])
        )
        // The authors column is a count of persons: a small one is hidden like any count.
        professionTable = d.disclose(professionTable)
        // Self and transcription per profession add up to the who table's cells: where one of those is
        // hidden, at least one profession's must be (disclosing again then hides a second).
        for (whoRow, column) in [(0, 4), (1, 5)] where whoTable.rows[whoRow][1].isHidden {
            guard !professionTable.rows.contains(where: { $0[column].isHidden }) else { continue }
            let smallest = professionTable.rows.indices.compactMap { row -> (Int, Int)? in
                if case .count(let value) = professionTable.rows[row][column], value > 0 { return (row, value) }
                return nil
            }.min { $0.1 < $1.1 }
            if let smallest { professionTable.rows[smallest.0][column] = .withheld }
        }
        professionTable = d.disclose(professionTable)
        tables.append(professionTable)
        tables.append(whoTable)
        return tables
    }

    /// A profession as a row names it: a word the report translates (canonical, others, unspecified; every
    /// profession merged when `slices` is one "others"), else the export's own word.
    static func professionCell(_ name: String, slices: Int) -> Cell {
        if slices == 1 && name == Disclosure.othersProfession { return .label("all_professions_merged") }
        return name == Disclosure.othersProfession || name == Profession.unspecified
            || Wording.isCanonicalProfession(name) ? .label(name) : .text(name)
    }

    /// Who retypes whose information: re-entries by the profession of the original's author → the profession
    /// of the re-entry's author (professions merged below the author minimum exactly as in `by_profession`, so
    /// that the re-entries into a profession add up to its re-entries there), every pair of the site's
    /// professions; then the same by staff group (care staff, administrative and other staff, unclassified),
    /// which still says something where no profession has enough authors.
    static func whoWhomTables(_ m: WorkloadMetrics, disclosure d: Disclosure) -> [PublishedTable] {
        let professions = d.professions(m.byProfession)
        var pairs: [FromTo<String>: Int] = [:]
        for (pair, count) in m.reEntriesByProfessionPair {
            let merged = FromTo(
                d.mergedProfession(pair.from, in: professions), d.mergedProfession(pair.to, in: professions))
            pairs[merged, default: 0] += count
        }
        let professionTable = pairTable(
            "who_whom", groups: professions.map { (professionCell($0.name, slices: professions.count), $0.shown) },
            // Re-entries into one profession add up to its re-entries (by_profession).
            subtotals: [[1]], total: m.reEntries
        ) { from, to in pairs[FromTo(professions[from].name, professions[to].name)] ?? 0 }
        // Staff groups: each shown when it has enough authors (never merged: a group means the same at every
        // site and in the totals).
        let groups = m.byStaffGroup.keys.sorted()
        let staffTable = pairTable(
            "who_whom_staff",
            groups: groups.map {
                (Cell.label($0.name), (m.byStaffGroup[$0]?.authors ?? 0) >= d.minAuthorsPerProfession)
            },
            subtotals: [], total: m.reEntries
        ) { from, to in m.reEntriesByStaffPair[FromTo(groups[from], groups[to])] ?? 0 }
        return [d.disclose(professionTable), d.disclose(staffTable)]
    }

    /// Who types again, into what, for whom: re-entries by the profession of the re-entry's author, the system
    /// it was typed into and that system's declared purpose (professions merged below the author minimum
    /// exactly as in `by_profession`); then the same by staff group, which still says something where no
    /// profession has enough authors (a nine-person centre: care staff, administrative staff). Rows of one
    /// profession add up to its re-entries (by_profession), of one system to its re-entries (by_system), of one
    /// purpose to its re-entries (by_destination_purpose): secondary suppression within each. A row of a group
    /// of too few authors is withheld and protected unless it is 0, as in `pairTable`. Rows of 0 are left out.
    static func professionSystemTables(_ m: WorkloadMetrics, disclosure d: Disclosure) -> [PublishedTable] {
        let professions = d.professions(m.byProfession)
        var merged: [TypedInto<String>: Int] = [:]
        for (key, count) in m.reEntriesByProfessionSystem {
            merged[TypedInto(d.mergedProfession(key.staff, in: professions), key.system, key.purpose), default: 0] +=
                count
        }
        let professionGroups = professions.map {
            (name: $0.name, cell: professionCell($0.name, slices: professions.count), shown: $0.shown)
        }
        let professionTable = typedIntoTable(
            "profession_system_purpose", staffColumn: "profession", groups: professionGroups, counts: merged,
            total: m.reEntries)
        let staffGroups = m.byStaffGroup.keys.sorted().map {
            (
                name: $0, cell: Cell.label($0.name),
                shown: (m.byStaffGroup[$0]?.authors ?? 0) >= d.minAuthorsPerProfession
            )
        }
        let staffTable = typedIntoTable(
            "staff_system_purpose", staffColumn: "staff_group", groups: staffGroups, counts: m.reEntriesByStaffSystem,
            total: m.reEntries)
        return [d.disclose(professionTable), d.disclose(staffTable)]
    }

    /// The rows of `professionSystemTables`: per group in order, its systems then purposes, re-entries not 0.
    static func typedIntoTable<Staff: Hashable & Sendable>(
        _ id: String, staffColumn: String, groups: [(name: Staff, cell: Cell, shown: Bool)],
        counts: [TypedInto<Staff>: Int], total: Int
    ) -> PublishedTable {
        var table = PublishedTable(
            id: id,
            columns: [
                .init(staffColumn), .init("system"), .init("destination_purpose"),
                .init("re_entries", additive: true, subtotals: [[0], [1], [2]]),
            ],
            rows: [], total: [.label("total"), .none, .none, .count(total)])
        table.hiddenGroups = groups.filter { !$0.shown }.map(\.cell)
        for group in groups {
            let keys = counts.keys.filter { $0.staff == group.name && counts[$0]! > 0 }.sorted {
                ($0.system, $0.purpose) < ($1.system, $1.purpose)
            }
            for key in keys {
                if !group.shown { table.protectedRows.insert(table.rows.count) }
                table.rows.append([
                    group.cell, .label(key.system.name), .label(key.purpose.name),
                    group.shown ? .count(counts[key]!) : .withheld,
                ])
            }
        }
        return table
    }

    /// Re-entries for every pair (from, to) of `groups`. A pair with a group of too few authors (`shown` false)
    /// is withheld and protected (`PublishedTable.protectedRows`) unless it is 0: a figure about a handful of
    /// persons, never given back by the other numbers.
    static func pairTable(
        _ id: String, groups: [(cell: Cell, shown: Bool)], subtotals: [[Int]], total: Int,
        count: (Int, Int) -> Int
    ) -> PublishedTable {
        var table = PublishedTable(
            id: id, columns: [.init("from"), .init("to"), .init("re_entries", additive: true, subtotals: subtotals)],
            rows: [], total: [.label("total"), .none, .count(total)])
        table.hiddenGroups = groups.filter { !$0.shown }.map(\.cell)
        for (from, fromGroup) in groups.enumerated() {
            for (to, toGroup) in groups.enumerated() {
                let value = count(from, to)
                if !(fromGroup.shown && toGroup.shown) && value > 0 { table.protectedRows.insert(table.rows.count) }
                table.rows.append([
                    fromGroup.cell, toGroup.cell,
                    table.protectedRows.contains(table.rows.count) ? .withheld : .count(value),
                ])
            }
        }
        return table
    }

    /// For whom it is typed again: entries and re-entries by the declared purpose of the system they were typed
    /// into (each the sum of its systems in by_system), and re-entries by origin purpose → destination purpose
    /// (each the sum of its flows). Shown when the analyst declared a purpose for at least one system.
    /// A purpose that regroups a hidden system (or flow) is hidden with it, so that it gives nothing back that
    /// `systems` and `flows`, already disclosed, hide.
    static func destinationTables(
        _ m: WorkloadMetrics, disclosure d: Disclosure, systems: PublishedTable?, flows: PublishedTable?
    ) -> [PublishedTable] {
        /// Hides `cell` when one of the `source` rows regrouped into it (`keep`) is hidden in `column`.
        func inherit(_ cell: Cell, from source: PublishedTable?, _ column: String, where keep: ([Cell]) -> Bool) -> Cell
        {
            guard let source, let c = source.column(column), case .count(let value) = cell else { return cell }
            guard source.rows.contains(where: { keep($0) && $0[c].isHidden }) else { return cell }
            return d.hides(value) ? .suppressed : .withheld
        }
        let purposes = m.byDestinationPurpose.keys.sorted()
        let destination = PublishedTable(
            id: "by_destination_purpose",
            columns: [
                .init("destination_purpose"), .init("entries", additive: true), .init("re_entries", additive: true),
                .init("redundancy_rate", basis: [1, 2]),
            ],
            rows: purposes.map { purpose in
                let slice = m.byDestinationPurpose[purpose]!
                func belongs(_ row: [Cell]) -> Bool { Self.purpose(row[0], m) == .label(purpose.name) }
                return [
                    .label(purpose.name),
                    inherit(.count(slice.entries), from: systems, "entries", where: belongs),
                    inherit(.count(slice.reEntries), from: systems, "re_entries", where: belongs),
                    .rate(slice.redundancyRate),
                ]
            },
            total: [.label("total"), .count(m.entries), .count(m.reEntries), .rate(m.redundancyRate)])
        let pairs = m.reEntriesByPurposePair.keys.sorted { ($0.from, $0.to) < ($1.from, $1.to) }
        let purposeFlows = PublishedTable(
            id: "purpose_flows",
            columns: [
                .init("from"), .init("to"),
                // Re-entries into one purpose add up to its re-entries (by_destination_purpose).
                .init("re_entries", additive: true, subtotals: [[1]]),
            ],
            rows: pairs.map { pair in
                let cells: [Cell] = [.label(pair.from.name), .label(pair.to.name)]
                let count = inherit(.count(m.reEntriesByPurposePair[pair]!), from: flows, "re_entries") {
                    [Self.purpose($0[0], m), Self.purpose($0[1], m)] == cells
                }
                return cells + [count]
            },
            total: [.label("total"), .none, .count(m.reEntries)])
        return [d.disclose(destination), d.disclose(purposeFlows)]
    }

    /// The declared purpose of the system a cell names, as a row of the destination tables names it.
    static func purpose(_ cell: Cell, _ m: WorkloadMetrics) -> Cell? {
        guard case .label(let name) = cell, let purpose = m.systemPurposes.first(where: { $0.key.name == name })?.value
        else { return nil }
        return .label(purpose.name)
    }

    /// Lags, then when entries and re-entries were typed.
    static func timeTables(_ m: WorkloadMetrics, disclosure d: Disclosure) -> [PublishedTable] {
        var tables: [PublishedTable] = []
        // Lag distribution.
        let buckets = ["lag_lt_1h", "lag_1h_4h", "lag_4h_24h", "lag_1d_3d", "lag_3d_7d", "lag_ge_7d"]
        tables.append(
            d.disclose(
                PublishedTable(
                    id: "lag",
                    columns: [.init("lag_bucket"), .init("re_entries", additive: true)],
                    rows: zip(buckets, m.lagHistogram).map { [.label($0), .count($1)] },
                    total: [.label("total"), .count(m.reEntries)])))

        // When: parts of the day and days of the week, against the entries of the same slice.
        func when(_ id: String, _ keys: [String], _ slices: [SliceCount]) -> PublishedTable {
            d.disclose(
                PublishedTable(
                    id: id,
                    columns: [
                        .init(id == "when_day_part" ? "day_part" : "weekday"), .init("entries", additive: true),
                        .init("re_entries", additive: true), .init("redundancy_rate", basis: [1, 2]),
                    ],
                    rows: zip(keys, slices).map {
                        [.label($0), .count($1.entries), .count($1.reEntries), .rate($1.redundancyRate)]
                    },
                    total: [.label("total"), .count(m.entries), .count(m.reEntries), .rate(m.redundancyRate)]))
        }
        tables.append(when("when_day_part", WhenMetrics.DayPart.allCases.map(\.name), m.when.byDayPart))
        tables.append(when("when_weekday", WhenMetrics.weekdays, m.when.byWeekday))
        return tables
    }

    /// What-if: hours an interface would save, largest first.
    static func whatIfTables(_ m: WorkloadMetrics, disclosure d: Disclosure) -> [PublishedTable] {
        var tables: [PublishedTable] = []
        // What-if: hours an interface would save, largest first.
        tables.append(
            d.disclose(
                PublishedTable(
                    id: "what_if",
                    columns: [
                        // Each pair of systems adds up to its flow (flows table); each category to its cross-system share.
                        .init("rank"), .init("from"), .init("to"), .init("category"),
                        .init("re_entries", additive: true, subtotals: [[1, 2]]),
                        .init("hours_per_month_low", basis: [4]), .init("hours_per_month_central", basis: [4]),
                        .init("hours_per_month_high", basis: [4]),
                    ],
                    rows: m.whatIf.enumerated().map { index, item in
                        [
                            .rank(index + 1), .label(item.from.name), .label(item.to.name), .label(item.category),
                            .count(item.reEntries),
                            .hours(item.hoursPerMonth.low), .hours(item.hoursPerMonth.central),
                            .hours(item.hoursPerMonth.high),
                        ]
                    },
                    total: [.label("total"), .none, .none, .none, .count(m.crossSystem), .none, .none, .none])))
        return tables
    }

    /// A table of a period under a week: hours per month become hours per day (columns and overview rows
    /// whose id says `per_month`), so that nothing is extrapolated to a month.
    static func perDay(_ table: PublishedTable) -> PublishedTable {
        var table = table
        func renamed(_ id: String) -> String? {
            id.contains("per_month") ? id.replacingOccurrences(of: "per_month", with: "per_day") : nil
        }
        func perDay(_ cell: Cell) -> Cell {
            if case .hours(let value) = cell { return .hours(value / CostModel.daysPerMonth) }
            return cell
        }
        var scaled = Set<Int>()
        for index in table.columns.indices {
            if let id = renamed(table.columns[index].id) {
                table.columns[index].id = id
                scaled.insert(index)
            }
        }
        func row(_ cells: [Cell]) -> [Cell] {
            var cells = cells
            if case .label(let id) = cells.first, let renamedID = renamed(id) {
                cells[0] = .label(renamedID)
                return cells.map(perDay)
            }
            for index in scaled where index < cells.count { cells[index] = perDay(cells[index]) }
            return cells
        }
        table.rows = table.rows.map(row)
        table.total = table.total.map(row)
        return table
    }

    /// The all-sites figures are sums of the sites' figures: a sum is hidden where exactly one of its terms
    /// is (the other sites' figures would give that term away), then the all-sites tables are disclosed
    /// again for the secondary cells. Rows are matched by their words (labels and names).
    static func protected(_ totals: PublishedSite, sites: [PublishedSite], disclosure: Disclosure) -> PublishedSite {
        guard sites.count > 1 else { return totals }
        let key = PublishedTable.key
        var totals = totals
        for (index, table) in totals.tables.enumerated() {
            // Sites whose term is hidden, by row key + [column as .rank]. One alone would be the sum minus
            // the others; two or more only give their sum.
            var hiddenTerms: [[Cell]: Int] = [:]
            for site in sites {
                guard let siteTable = site.table(table.id) else { continue }
                for row in siteTable.rows + (siteTable.total.map { [$0] } ?? []) {
                    for (column, cell) in row.enumerated() where cell.isHidden {
                        hiddenTerms[key(row) + [.rank(column)], default: 0] += 1
                    }
                }
            }
            let hidden = Set(hiddenTerms.filter { $0.value == 1 }.keys)
            guard !hidden.isEmpty else { continue }
            var protected = table
            func hide(_ row: inout [Cell]) {
                let rowKey = key(row)
                for column in row.indices where row[column].number != nil && hidden.contains(rowKey + [.rank(column)]) {
                    row[column] = .withheld
                }
            }
            for row in protected.rows.indices { hide(&protected.rows[row]) }
            if protected.total != nil { hide(&protected.total!) }
            totals.tables[index] = protected.id == "overview" ? protected : disclosure.disclose(protected)
        }
        return totals
    }

    // MARK: Across sites

    /// Values side by side, with ranks and quartiles among peers only (`ComparisonSettings`: sites of one
    /// type unless asked otherwise, at least `minimumSites` with a value). Rank 1 is the highest value.
    static func comparison(
        _ sites: [WorkloadMetrics], settings: ReportSettings, disclosure d: Disclosure
    ) -> (PublishedTable, PublishedTable, SiteComparison) {
        let peerGroups = settings.comparison.peerGroups(of: sites.map(\.site), profiles: settings.siteProfiles)
        let comparison = SiteComparison(sites, peerGroups: peerGroups, minimumSites: settings.comparison.minimumSites)
        let groupOf = Dictionary(
            uniqueKeysWithValues: comparison.groups.flatMap { group in group.sites.map { ($0, group.name) } })
        // A type (or all, or undeclared) is a word the report translates; a region or vendor is a name.
        func groupCell(_ name: String) -> Cell {
            [.type, .all].contains(settings.comparison.peers) || name == "unspecified"
                ? .label("peer_" + name) : .text(name)
        }
        var rows: [[Cell]] = []
        var quartiles: [[Cell]] = []
        for row in comparison.rows {
            var hiddenGroups = Set<String>()
            for (index, site) in sites.enumerated() {
                let name = groupOf[index] ?? "all"
                let group = groupCell(name)
                guard let value = row.values[index] else {
                    rows.append([.text(site.site), .label(row.metric.rawValue), .none, .none, group])
                    continue
                }
                // Every compared figure is computed from the site's re-entries: hidden with them. A share is
                // a count in disguise: hidden when its part or the rest is small (1 management re-entry in 32
                // would otherwise read as 3.1 %).
                let parts = row.metric.counts(of: site)
                let hidden = d.hides(site.reEntries) || parts.map { d.hides($0.part) || d.hides($0.rest) } ?? false
                if hidden { hiddenGroups.insert(name) }
                let rank: Cell = row.ranks[index].map { row.tied[index] ? .tiedRank($0) : .rank($0) } ?? .none
                rows.append([
                    .text(site.site), .label(row.metric.rawValue),
                    hidden ? hiddenMark(row.metric, value) : cell(row.metric, value),
                    hidden && rank != .none ? .withheld : rank, group,
                ])
            }
            for q in row.quartiles {
                let hidden = hiddenGroups.contains(q.group)
                func c(_ value: Double) -> Cell { hidden ? .withheld : cell(row.metric, value) }
                quartiles.append([
                    groupCell(q.group), .label(row.metric.rawValue), .count(q.sites), c(q.q1), c(q.median), c(q.q3),
                ])
            }
        }
        return (
            PublishedTable(
                id: "comparison",
                columns: [.init("site"), .init("metric"), .init("value"), .init("rank"), .init("peer_group")],
                rows: rows),
            PublishedTable(
                id: "quartiles",
                columns: [
                    .init("peer_group"), .init("metric"), .init("sites"), .init("q1"), .init("median"), .init("q3"),
                ],
                rows: quartiles),
            comparison
        )
    }

    /// How a hidden compared value shows: a small count of re-entries as such, anything else withheld.
    static func hiddenMark(_ metric: SiteComparison.Metric, _ value: Double) -> Cell {
        metric == .reEntries ? .suppressed : .withheld
    }

    static func cell(_ metric: SiteComparison.Metric, _ value: Double) -> Cell {
        switch metric {
        case .redundancyRate, .crossSystemShare, .transcriptionShare, .managementShare: .rate(value)
        case .reEntries: .count(Int(value))
        case .hoursPerMonth, .hoursPerFTEPerMonth: .hours(value)
        case .lagMedianMinutes: .minutes(value)
        }
    }

    // MARK: Data quality (about files, not persons: never suppressed)

    static func dataQuality(_ quality: DataQuality) -> PublishedTable {
        var rows: [[Cell]] = [
            [.label("files"), .count(quality.files)], [.label("rows_read"), .count(quality.rowsRead)],
            [.label("entries"), .count(quality.entries)], [.label("rows_rejected"), .count(quality.rowsRejected)],
        ]
        for kind in quality.rejectedByKind.keys.sorted() {
            rows.append([.label("rejected_" + kind.rawValue), .count(quality.rejectedByKind[kind]!)])
        }
        rows.append([.label("identity_conflicts"), .count(quality.identityConflicts)])
        rows.append([.label("invalid_ins"), .count(quality.invalidINS)])
        rows.append([.label("entries_without_patient_link"), .count(quality.entriesWithoutPatientLink)])
        rows.append([.label("files_skipped"), .count(quality.filesSkipped)])
        rows.append([.label("republished"), .count(quality.republished)])
        rows.append([.label("reused_record_ids"), .count(quality.reusedRecordIDs)])
        rows.append([.label("interface_copies"), .count(quality.interfaceCopies)])
        rows.append([.label("implausible_times"), .count(quality.implausibleTimes)])
        rows.append([
            .label("effective_times_stamped"), .count(quality.stampedEffectiveTimes.reduce(0) { $0 + $1.entries }),
        ])
        return PublishedTable(id: "data_quality", columns: [.init("item"), .init("value")], rows: rows)
    }

    // MARK: Method (about the run, not persons: never suppressed)

    /// How the figures were made, on the page of every published format: the window, the matching and
    /// linkage methods, the links by method, and how much boilerplate was learned (the phrases themselves
    /// stay in the analyst's text and JSON reports: a phrase may hold a name).
    static func method(_ input: ReportInput) -> PublishedTable {
        let settings = input.settings, linkage = input.linkage
        var rows: [[Cell]] = [
            [.label("window_hours"), .count(settings.windowHours)],
            [.label("matching"), .text(settings.matching)],
            [.label("linkage"), .text(settings.linkage)],
            [.label("links_by_ins"), .count(linkage.linksByINS)],
            [.label("links_by_traits"), .count(linkage.linksByTraits)],
            [.label("links_by_probability"), .count(linkage.linksByProbability)],
            [.label("refused_by_ins"), .count(linkage.refusedByINS)],
            [.label("boilerplate_phrases"), .count(settings.boilerplate.phrases.count)],
            [.label("routine_notes_learned"), .count(settings.boilerplate.routineNotes.count)],
            [.label("boilerplate_sample_rows"), .count(settings.boilerplateSample.rows)],
        ]
        // How sure the counts are: the review of a sample, else the tool's tested accuracy (never an interval).
        if let review = settings.review {
            rows.append([.label("reviewed_pairs"), .count(review.reviewed)])
            rows.append([.label("unlabelled_pairs"), .count(review.unlabelled)])
            for (id, interval) in [("precision", review.precision), ("recall", review.recall)] {
                guard let interval else { continue }
                rows.append([.label("\(id)_estimate"), .rate(interval.estimate)])
                rows.append([.label("\(id)_low"), .rate(max(0, interval.lower))])
                rows.append([.label("\(id)_high"), .rate(min(1, interval.upper))])
            }
        } else {
            rows.append([.label("reviewed_pairs"), .count(0)])
            rows.append([.label("tested_f1"), .number(TestedAccuracy.f1)])
            rows.append([.label("tested_precision"), .number(TestedAccuracy.precision)])
            rows.append([.label("tested_recall"), .number(TestedAccuracy.recall)])
        }
        return PublishedTable(id: "method", columns: [.init("item"), .init("value")], rows: rows)
    }
}

/// A redacted example of a duplicate group, for the analyst (`--evidence`): which systems, which
/// category, how long after, and the group's stable id to look it up in `--groups`; never an identifier,
/// a name or free text.
public struct EvidenceExample: Sendable, Equatable {
    public var site: String
    public var groupID: String
    public var category: String
    /// Systems in the order typed, with the minutes after the original.
    public var steps: [(system: InformationSystem, minutesAfter: Double, words: Int)]

    public init(
        site: String, groupID: String, category: String,
        steps: [(system: InformationSystem, minutesAfter: Double, words: Int)]
    ) {
        self.site = site
        self.groupID = groupID
        self.category = category
        self.steps = steps
    }

    public static func == (a: EvidenceExample, b: EvidenceExample) -> Bool {
        a.site == b.site && a.groupID == b.groupID && a.category == b.category
            && a.steps.map(\.system) == b.steps.map(\.system)
            && a.steps.map(\.minutesAfter) == b.steps.map(\.minutesAfter)
    }
}

extension EvidenceExample {
    /// Up to `perSite` examples per site: the groups typed the most times, cross-system first, earliest
    /// first. Only the group's stable id (a hash, as in `--groups`), category, systems, lags and word
    /// counts are kept.
    public static func examples(groups: [DuplicateGroup], store: EntryStore, perSite: Int = 5) -> [EvidenceExample] {
        let entries = store.entries
        var bySite: [UInt16: [DuplicateGroup]] = [:]
        for group in groups { bySite[group.site, default: []].append(group) }
        var result: [EvidenceExample] = []
        for site in bySite.keys.sorted(by: { store.sites[Int($0)] < store.sites[Int($1)] }) {
            let chosen = bySite[site]!.sorted { a, b in
                let crossA = a.reEntries.contains { entries[$0].system != entries[a.original].system }
                let crossB = b.reEntries.contains { entries[$0].system != entries[b.original].system }
                if a.multiplicity != b.multiplicity { return a.multiplicity > b.multiplicity }
                if crossA != crossB { return crossA }
                return entries[a.original].recordedAt < entries[b.original].recordedAt
            }.prefix(perSite)
            for group in chosen {
                let original = entries[group.original]
                let id = GroupsCSV.groupID(
                    site: store.sites[Int(site)], system: store.system(of: original),
                    recordID: store.recordID(of: original))
                result.append(
                    EvidenceExample(
                        site: store.sites[Int(site)], groupID: id, category: store.categories[Int(original.category)],
                        steps: group.members.map { member in
                            let entry = entries[member]
                            return (
                                store.system(of: entry), Double(entry.recordedAt - original.recordedAt) / 60,
                                Int(entry.textWords)
                            )
                        }))
            }
        }
        return result
    }
}
