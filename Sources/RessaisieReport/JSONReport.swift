import RessaisieCore

/// The `--format json` report: `ressaisie.report/2` of docs/DESIGN.md (`/1` with the audit's `systems`, any
/// number of them, each with its kind), extended (never broken) with the period, slices, classification, lag
/// and the settings the figures depend on.
public enum JSONReport {
    public static let schema = "ressaisie.report/2"

    public static func render(_ input: ReportInput, published: PublishedReport? = nil) -> String {
        document(input, published: published).serialized()
    }

    /// The document; sections about professions, who re-entered, lags, what-if and the comparison come
    /// from `published` (exact counts unless its disclosure hides small ones; professions always merged
    /// below the author minimum).
    public static func document(_ input: ReportInput, published: PublishedReport? = nil) -> JSONValue {
        let published = published ?? PublishedReport(input, disclosure: Disclosure().exactCounts)
        var members: [(String, JSONValue)] = [("schema", .string(schema))]
        members.append(
            (
                "generator",
                .object([
                    ("name", .string("ressaisie")), ("version", .string(input.settings.toolVersion)),
                ])
            ))
        if let generatedAt = input.settings.generatedAt {
            members.append(("generated_at", .string(input.clock.iso8601(generatedAt))))
        }
        members.append(("settings", settings(input, disclosure: published.disclosure)))
        members.append(("systems", systems(input.metrics.totals)))
        members.append(
            (
                "sites",
                .array(
                    zip(input.metrics.sites, published.sites).map {
                        site($0, input: input, isTotal: false, published: $1)
                    })
            ))
        members.append(("totals", site(input.metrics.totals, input: input, isTotal: true, published: published.totals)))
        members.append(("data_quality", dataQuality(input.quality)))
        members.append(
            (
                "comparison",
                .object([
                    ("quartiles", rows(published.quartiles)), ("values", rows(published.comparison)),
                ])
            ))
        members.append(("pathways", pathways(published)))
        members.append(
            (
                "cross_categories",
                .object([
                    ("re_entries", totalCount(published.crossCategories)),
                    ("flows", rows(published.crossCategories)),
                    ("by_purposes", rows(published.crossCategoryPurposes)),
                ])
            ))
        if !published.evidence.isEmpty {
            members.append(
                (
                    "evidence",
                    .array(
                        published.evidence.map { example in
                            .object([
                                ("site", .string(example.site)), ("group_id", .string(example.groupID)),
                                ("category", .string(example.category)),
                                (
                                    "steps",
                                    .array(
                                        example.steps.map { step in
                                            .object([
                                                ("system", .string(step.system.name)),
                                                ("minutes_after", .double(step.minutesAfter, decimals: 1)),
                                                ("words", .int(step.words)),
                                            ])
                                        })
                                ),
                            ])
                        })
                ))
        }
        return .object(members)
    }

    /// Across organizations: per ordered pair of sites sharing patients, the shared patients (by INS, by identity
    /// traits), the facts typed at the first and typed again at the second, and those by category (from the
    /// published tables: `null` where hidden).
    static func pathways(_ published: PublishedReport) -> JSONValue {
        let categories = published.pathwayCategories
        return .array(
            zip(published.pathways.rows, rows(published.pathways).arrayValues).map { cells, row in
                guard case .object(let members) = row else { return row }
                let byCategory: [(String, JSONValue)] = zip(categories.rows, rows(categories).arrayValues).compactMap {
                    category, value in
                    guard category[0] == cells[0], category[1] == cells[1], case .label(let name) = category[2],
                        case .object(let fields) = value
                    else { return nil }
                    return (name, fields.first { $0.0 == "re_entries" }?.1 ?? .null)
                }
                return .object(members + [("by_category", .object(byCategory))])
            })
    }

    /// A published table as an array of objects keyed by column id; hidden cells are `null`.
    /// The last cell of a table's total row (its re-entries), `null` when hidden or absent.
    static func totalCount(_ table: PublishedTable) -> JSONValue {
        guard case .count(let value)? = table.total?.last else { return .null }
        return .int(value)
    }

    /// A published cell as JSON: counts as integers, rates to 4 decimals, hours to 2, minutes to 1, hidden cells
    /// as null (the comparison report writes its cells the same way).
    static func value(_ cell: Cell) -> JSONValue {
        switch cell {
        case .label(let id): .string(id)
        case .text(let text): .string(text)
        case .count(let n), .rank(let n), .tiedRank(let n): .int(n)
        case .rate(let r): .double(r, decimals: 4)
        case .hours(let h), .fte(let h), .number(let h): .double(h, decimals: 2)
        case .minutes(let m): .double(m, decimals: 1)
        case .suppressed, .withheld, .none: .null
        }
    }

    static func rows(_ table: PublishedTable) -> JSONValue {
        return .array(
            table.rows.map { row in
                .object(
                    zip(table.columns, row).map { column, cell in
                        // A peer group is its declared type (`ehpad`), region or vendor, not its translation key.
                        if column.id == "peer_group", case .label(let id) = cell, id.hasPrefix("peer_") {
                            return (column.id, .string(String(id.dropFirst(5))))
                        }
                        return (column.id, value(cell))
                    })
            })
    }

    /// How patients are found at two sites, and facts matched across them (`CrossSiteLinkage`, `PathwayDetector`).
    static let pathwayLinkage = "across sites: the same INS, else exact identity traits naming one person at each site"
    static let pathwayMatching =
        "typed earlier at another site within the window: same fingerprint, then near-identical text; routine notes, per-site re-entries and software copies left out; one-to-one"

    /// How facts re-typed into another category are found (`CrossCategoryDetector`).
    static let crossCategoryMatching =
        "same person, a compared pair of categories, typed earlier within the window: near-identical text or the shorter found inside the longer (at most 4 times shorter), its numbers among the longer's; routine notes, per-site re-entries, software copies and one author's entry filed twice within a minute left out; one-to-one"

    static func settings(_ input: ReportInput, disclosure: Disclosure) -> JSONValue {
        let settings = input.settings
        func scenario(_ s: CostModel.Scenario) -> JSONValue {
            var members: [(String, JSONValue)] = [
                ("overhead_minutes", .double(s.defaultOverhead, decimals: 3)),
                ("words_per_minute", .double(s.wordsPerMinute, decimals: 3)),
            ]
            if !s.overheadMinutes.isEmpty {
                members.append(
                    (
                        "overhead_minutes_by_category",
                        .object(
                            s.overheadMinutes.keys.sorted().map {
                                ($0, .double(s.overheadMinutes[$0]!, decimals: 3))
                            })
                    ))
            }
            return .object(members)
        }
        // Only for a run of some of the audit's sites (`--shard`, `--site`): the other sites were skipped.
        let selection: [(String, JSONValue)] = settings.siteSelection.map { [("sites_analysed", .string($0))] } ?? []
        return .object(
            selection + [
                ("window_hours", .int(settings.windowHours)),
                ("time_zone", .string(settings.timeZone)),
                ("linkage", .string(settings.linkage)),
                (
                    "linkage_counts",
                    .object([
                        ("links_by_ins", .int(input.linkage.linksByINS)),
                        ("links_by_traits", .int(input.linkage.linksByTraits)),
                        ("links_by_probability", .int(input.linkage.linksByProbability)),
                        ("refused_by_ins", .int(input.linkage.refusedByINS)),
                        ("refused_by_one_to_one", .int(input.linkage.refusedByOneToOne)),
                        ("refused_within_system", .int(input.linkage.refusedWithinSystem)),
                        ("candidate_pairs", .int(input.linkage.candidatePairs)),
                    ])
                ),
                ("matching", .string(settings.matching)),
                ("boilerplate", boilerplate(settings)),
                (
                    "pseudonymization",
                    .string(settings.ephemeralKey ? "hmac-sha256, key drawn for this run" : "hmac-sha256, key file")
                ),
                (
                    "cost_model",
                    .object([
                        ("low", scenario(settings.costModel.low)),
                        ("central", scenario(settings.costModel.central)),
                        ("high", scenario(settings.costModel.high)),
                    ])
                ),
                ("review", review(settings.review)),
                (
                    "pathways",
                    .object([
                        ("window_days", input.metrics.pathwayWindowDays.map { .int($0) } ?? .null),
                        ("linkage", .string(Self.pathwayLinkage)),
                        ("matching", .string(Self.pathwayMatching)),
                    ])
                ),
                (
                    "cross_categories",
                    .object([
                        (
                            "pairs",
                            .array((input.metrics.crossCategoryPairs ?? []).map { .string($0.description) })
                        ),
                        ("window_hours", input.metrics.crossCategoryWindowHours.map { .int($0) } ?? .null),
                        ("matching", .string(Self.crossCategoryMatching)),
                    ])
                ),
                ("system_purposes", systemPurposes(settings.siteProfiles)),
                (
                    "disclosure",
                    .object([
                        ("small_counts_hidden", .bool(disclosure.suppressSmallCounts && disclosure.threshold > 1)),
                        ("threshold", .int(disclosure.threshold)),
                        ("min_authors_per_profession", .int(disclosure.minAuthorsPerProfession)),
                    ])
                ),
            ])
    }

    /// The phrases set aside before comparing content: learned (with site, systems and counts) or
    /// configured, the vetoed ones, and the sample they were learned from.
    static func boilerplate(_ settings: ReportSettings) -> JSONValue {
        func phrase(_ p: Boilerplate.Phrase) -> JSONValue {
            .object([
                ("phrase", .string(p.text)), ("position", .string(p.position.rawValue)),
                ("field", .string(p.field.rawValue)),
                ("source", .string(p.source.rawValue)), ("site", .string(p.site)),
                ("systems", .array(p.systems.map { .string($0) })),
                ("occurrences", .int(p.occurrences)), ("distinct_contents", .int(p.distinctContents)),
            ])
        }
        return .object([
            ("sample_files", .int(settings.boilerplateSample.files)),
            ("sample_rows", .int(settings.boilerplateSample.rows)),
            ("phrases", .array(settings.boilerplate.phrases.map(phrase))),
            ("vetoed", .array(settings.boilerplate.vetoed.map(phrase))),
            ("routine_notes", .array(settings.boilerplate.routineNotes.map { .string($0) })),
        ])
    }

    /// How sure the counts are: `reviewed` false with the tool's `tested_accuracy`, or the review's estimates.
    static func review(_ review: ReviewEstimate?) -> JSONValue {
        guard let review else {
            return .object([
                ("reviewed", .bool(false)),
                (
                    "tested_accuracy",
                    .object([
                        ("f1", .double(TestedAccuracy.f1, decimals: 2)),
                        ("precision", .double(TestedAccuracy.precision, decimals: 2)),
                        ("recall", .double(TestedAccuracy.recall, decimals: 2)),
                        ("source", .string(TestedAccuracy.source)),
                    ])
                ),
            ])
        }
        return .object([
            ("reviewed", .bool(true)), ("pairs", .int(review.reviewed)), ("unlabelled", .int(review.unlabelled)),
            ("precision", ReviewReport.interval(review.precision, decimals: 4)),
            ("recall", ReviewReport.interval(review.recall, decimals: 4)),
            ("true_to_found", ReviewReport.interval(review.trueToFound, decimals: 4)),
        ])
    }

    /// What the analyst declared each system is for: site → system → purpose (sites and systems with a
    /// declaration only).
    /// The audit's systems with entries, `DPI`, `DUI`, `SIP` then the others by name: `name` (as in `by_system`,
    /// `flows` and `--groups`) and `kind` (`DPI`, `DUI`, `SIP` or `other`).
    static func systems(_ totals: WorkloadMetrics) -> JSONValue {
        .array(
            totals.bySystem.keys.sorted().map {
                .object([("name", .string($0.name)), ("kind", .string($0.kind.name))])
            })
    }

    static func systemPurposes(_ profiles: [String: SiteProfile]) -> JSONValue {
        .object(
            profiles.keys.sorted().filter { !profiles[$0]!.systemPurposes.isEmpty }.map { site in
                let purposes = profiles[site]!.systemPurposes
                return (site, .object(purposes.keys.sorted().map { ($0.name, .string(purposes[$0]!.name)) }))
            })
    }

    static func when(_ when: WhenMetrics) -> JSONValue {
        func slices(_ names: [String], _ values: [SliceCount]) -> JSONValue {
            .object(zip(names, values).map { ($0, slice($1)) })
        }
        return .object([
            ("day_parts", slices(WhenMetrics.DayPart.allCases.map(\.name), when.byDayPart)),
            ("weekdays", slices(WhenMetrics.weekdays, when.byWeekday)),
            (
                "documentation_delay_minutes",
                .object([
                    ("originals_median", when.delayMedianOriginals.map { .double($0, decimals: 1) } ?? .null),
                    ("re_entries_median", when.delayMedianReEntries.map { .double($0, decimals: 1) } ?? .null),
                ])
            ),
        ])
    }

    static func hours(_ range: HoursRange) -> JSONValue {
        .object([
            ("low", .double(range.low, decimals: 2)), ("central", .double(range.central, decimals: 2)),
            ("high", .double(range.high, decimals: 2)),
        ])
    }

    /// A site's member of the report (or the total's, `isTotal`): its members in the schema's order, by
    /// part (the schema in docs/DESIGN.md).
    static func site(_ metrics: WorkloadMetrics, input: ReportInput, isTotal: Bool, published: PublishedSite)
        -> JSONValue
    {
        var members: [(String, JSONValue)] = []
        if !isTotal {
            members.append(("site", .string(metrics.site)))
        } else {
            members.append(("sites", .int(input.metrics.sites.count)))
        }
        if metrics.entries > 0 { members.append(("period", period(metrics, clock: input.clock))) }
        members += counts(metrics, input: input)
        members.append(("by_system", bySystem(metrics)))
        members.append(("flows", .array(metrics.flows.map(flow))))
        members.append(("interface_copies", interfaceCopies(metrics)))
        let categories: [(String, JSONValue)] = metrics.byCategory.keys.sorted().map {
            ($0, slice(metrics.byCategory[$0]!))
        }
        members.append(("by_category", .object(categories)))
        let purposes: [(String, JSONValue)] = metrics.byPurpose.keys.sorted().map {
            ($0.name, slice(metrics.byPurpose[$0]!))
        }
        members.append(("by_purpose", .object(purposes)))
        members.append(
            (
                "classification",
                .object([
                    ("cross_system", .int(metrics.crossSystem)), ("same_system", .int(metrics.sameSystem)),
                    ("self", .int(metrics.selfReEntries)), ("transcription", .int(metrics.transcriptions)),
                    ("author_unknown", .int(metrics.authorUnknown)),
                ])
            ))
        let median: JSONValue = metrics.lagMedianMinutes.map { .double($0, decimals: 1) } ?? .null
        let p90: JSONValue = metrics.lagP90Minutes.map { .double($0, decimals: 1) } ?? .null
        members.append(("lag_minutes", .object([("median", median), ("p90", p90)])))
        members.append(("when", when(metrics.when)))
        members += estimatedHours(metrics)
        for id in ["by_profession", "lag", "what_if", "who_whom", "who_whom_staff"] {
            if let table = published.table(id) { members.append((id == "lag" ? "lag_histogram" : id, rows(table))) }
        }
        members += destinations(metrics)
        // Who types again, into what, for whom (added in ressaisie.report/2, after every earlier member).
        for id in ["profession_system_purpose", "staff_system_purpose"] {
            if let table = published.table(id) { members.append((id, rows(table))) }
        }
        return .object(members)
    }

    /// The period a site's entries cover (a site with entries only).
    static func period(_ metrics: WorkloadMetrics, clock: SiteClock) -> JSONValue {
        .object([
            ("from", .string(clock.iso8601(metrics.firstRecordedAt))),
            ("to", .string(clock.iso8601(metrics.lastRecordedAt))),
            ("days", .double(metrics.periodDays, decimals: 2)),
            ("source", .string(metrics.periodSource.name)),
            ("short", .bool(metrics.isShortPeriod)),
            ("entries_outside", .int(metrics.entriesOutsidePeriod)),
        ])
    }

    /// From `entries` to `groups`: the counts, the review's estimate of re-entries when there is one, and
    /// the redundancy rate.
    static func counts(_ metrics: WorkloadMetrics, input: ReportInput) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = []
        members.append(("entries", .int(metrics.entries)))
        members.append(("patients", .int(metrics.patients)))
        members.append(("patients_in_several_systems", .int(metrics.patientsInSeveralSystems)))
        members.append(("authors", .int(metrics.authors)))
        members.append(("re_entries", .int(metrics.reEntries)))
        members.append(("re_entries_possible_interface_copies", .int(metrics.possibleInterfaceCopies)))
        if let review = input.settings.review, let range = review.reEntries(found: metrics.reEntries) {
            members.append(
                (
                    "re_entries_estimated",
                    .object([
                        ("estimate", .int(range.estimate)), ("lower", .int(range.lower)), ("upper", .int(range.upper)),
                        ("reviewed_pairs", .int(review.reviewed)),
                    ])
                ))
        }
        members.append(("redundancy_rate", .double(metrics.redundancyRate, decimals: 4)))
        members.append(
            (
                "groups",
                .object([
                    ("x2", .int(metrics.groupsX2)), ("x3", .int(metrics.groupsX3)),
                    ("x4_plus", .int(metrics.groupsX4Plus)),
                    ("total", .int(metrics.groups)),
                ])
            ))
        return members
    }

    /// Interface copies: their total and their flows.
    static func interfaceCopies(_ metrics: WorkloadMetrics) -> JSONValue {
        .object([
            ("total", .int(metrics.interfaceCopies.reduce(0) { $0 + $1.reEntries })),
            (
                "flows",
                .array(
                    metrics.interfaceCopies.map { copy in
                        .object([
                            ("from", .string(copy.from.name)), ("to", .string(copy.to.name)),
                            ("copies", .int(copy.reEntries)),
                            ("share_of_target_entries", .double(copy.shareOfTargetEntries, decimals: 4)),
                        ])
                    })
            ),
        ])
    }

    /// The estimated hours: per month, in total, per day and week, by who and by purpose, and per FTE
    /// when the site's FTE are known.
    static func estimatedHours(_ metrics: WorkloadMetrics) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = []
        members.append(("estimated_hours", hours(metrics.hoursPerMonth)))
        members.append(("estimated_hours_total", hours(metrics.hoursTotal)))
        members.append(("estimated_hours_per_day", hours(metrics.hoursPerDay)))
        members.append(("estimated_hours_per_week", hours(metrics.hoursPerWeek)))
        members.append(
            (
                "estimated_hours_by_who",
                .object([
                    ("self", hours(metrics.hoursPerMonthSelf)),
                    ("transcription", hours(metrics.hoursPerMonthTranscription)),
                    ("author_unknown", hours(metrics.hoursPerMonthAuthorUnknown)),
                ])
            ))
        members.append(
            (
                "estimated_hours_by_purpose",
                .object(
                    metrics.hoursPerMonthByPurpose.keys.sorted().map {
                        ($0.name, hours(metrics.hoursPerMonthByPurpose[$0]!))
                    })
            ))
        if let fte = metrics.fte {
            members.append(("fte", .double(fte, decimals: 2)))
            members.append(("estimated_hours_per_fte", metrics.hoursPerFTEPerMonth.map(hours) ?? .null))
        }
        return members
    }

    /// For whom it is typed again: entries and re-entries by the declared purpose of the receiving system, and
    /// re-entries by pair of purposes (exact; `not_declared` for a system not declared).
    static func destinations(_ metrics: WorkloadMetrics) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = []
        members.append(
            (
                "by_destination_purpose",
                .object(
                    metrics.byDestinationPurpose.keys.sorted().map {
                        ($0.name, slice(metrics.byDestinationPurpose[$0]!))
                    })
            ))
        members.append(
            (
                "purpose_flows",
                .array(
                    metrics.reEntriesByPurposePair.keys.sorted { ($0.from, $0.to) < ($1.from, $1.to) }.map { pair in
                        .object([
                            ("from", .string(pair.from.name)), ("to", .string(pair.to.name)),
                            ("re_entries", .int(metrics.reEntriesByPurposePair[pair]!)),
                        ])
                    })
            ))
        return members
    }

    static func bySystem(_ metrics: WorkloadMetrics) -> JSONValue {
        var members: [(String, JSONValue)] = []
        for kind in metrics.bySystem.keys.sorted() {
            let system = metrics.bySystem[kind]!
            members.append(
                (
                    kind.name,
                    .object([
                        ("entries", .int(system.entries)), ("patients", .int(system.patients)),
                        ("authors", .int(system.authors)), ("originals", .int(system.originals)),
                        ("re_entries", .int(system.reEntries)),
                        ("redundancy_rate", .double(system.redundancyRate, decimals: 4)),
                        ("identity_duplicates", .int(system.identityDuplicates)),
                    ])
                ))
        }
        return .object(members)
    }

    static func flow(_ flow: Flow) -> JSONValue {
        .object([
            ("from", .string(flow.from.name)), ("to", .string(flow.to.name)),
            ("re_entries", .int(flow.reEntries)),
            ("share_of_target_entries", .double(flow.shareOfTargetEntries, decimals: 4)),
        ])
    }

    static func slice(_ slice: SliceCount) -> JSONValue {
        .object([
            ("entries", .int(slice.entries)), ("re_entries", .int(slice.reEntries)),
            ("redundancy_rate", .double(slice.redundancyRate, decimals: 4)),
        ])
    }

    static func dataQuality(_ quality: DataQuality) -> JSONValue {
        .object([
            ("files", .int(quality.files)),
            ("files_skipped", .int(quality.filesSkipped)),
            ("bytes", .int(quality.bytes)),
            ("rows_read", .int(quality.rowsRead)),
            ("rows_outside_selection", .int(quality.rowsOutsideSelection)),
            ("files_outside_selection", .int(quality.filesOutsideSelection)),
            ("entries", .int(quality.entries)),
            ("rows_rejected", .int(quality.rowsRejected)),
            (
                "rejected_by_reason",
                .object(quality.rejectedByKind.keys.sorted().map { ($0.rawValue, .int(quality.rejectedByKind[$0]!)) })
            ),
            (
                "rejections",
                .array(
                    quality.rejections.map { rejection in
                        .object([
                            ("file", .string(rejection.file)), ("line", .int(rejection.line)),
                            ("reason", .string(rejection.kind.rawValue)), ("detail", .string(rejection.detail)),
                        ])
                    })
            ),
            ("rejections_listed", .int(quality.rejections.count)),
            ("identity_conflicts", .int(quality.identityConflicts)),
            ("invalid_ins", .int(quality.invalidINS)),
            ("entries_without_patient_link", .int(quality.entriesWithoutPatientLink)),
            ("republished", .int(quality.republished)),
            ("reused_record_ids", .int(quality.reusedRecordIDs)),
            (
                "reused_record_id_examples",
                .array(
                    quality.reusedRecordIDExamples.map { example in
                        .object([
                            ("file", .string(example.file)), ("line", .int(example.line)),
                            ("detail", .string(example.detail)),
                        ])
                    })
            ),
            ("interface_copies", .int(quality.interfaceCopies)),
            (
                "effective_times_stamped",
                .array(
                    quality.stampedEffectiveTimes.map { stamped in
                        .object([
                            ("site", .string(stamped.site)), ("system", .string(stamped.system.name)),
                            ("entries", .int(stamped.entries)),
                        ])
                    })
            ),
            ("implausible_times", .int(quality.implausibleTimes)),
            (
                "implausible_time_examples",
                .array(
                    quality.implausibleTimeExamples.map { example in
                        .object([
                            ("file", .string(example.file)), ("line", .int(example.line)),
                            ("detail", .string(example.detail)),
                        ])
                    })
            ),
            ("encodings", .object(quality.encodings.keys.sorted().map { ($0, .string(quality.encodings[$0]!)) })),
            (
                "ignored_columns",
                .object(
                    quality.ignoredColumns.keys.sorted().map { file in
                        (file, .array(quality.ignoredColumns[file]!.map { .string($0) }))
                    })
            ),
        ])
    }
}
