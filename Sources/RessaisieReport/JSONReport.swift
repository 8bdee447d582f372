import RessaisieCore

/// The `--format json` report: `ressaisie.report/1` of DESIGN.md, extended (never broken) with the
/// period, slices, classification, lag and the settings the figures depend on.
public enum JSONReport {
    public static let schema = "ressaisie.report/1"

    public static func render(_ input: ReportInput) -> String {
        document(input).serialized()
    }

    public static func document(_ input: ReportInput) -> JSONValue {
        var members: [(String, JSONValue)] = [("schema", .string(schema))]
        members.append(("generator", .object([
            ("name", .string("ressaisie")), ("version", .string(input.settings.toolVersion)),
        ])))
        if let generatedAt = input.settings.generatedAt {
            members.append(("generated_at", .string(input.clock.iso8601(generatedAt))))
        }
        members.append(("settings", settings(input)))
        members.append(("sites", .array(input.metrics.sites.map { site($0, input: input, isTotal: false) })))
        members.append(("totals", site(input.metrics.totals, input: input, isTotal: true)))
        members.append(("data_quality", dataQuality(input.quality)))
        return .object(members)
    }

    static func settings(_ input: ReportInput) -> JSONValue {
        let settings = input.settings
        func scenario(_ s: CostModel.Scenario) -> JSONValue {
            .object([
                ("overhead_minutes", .double(s.defaultOverhead, decimals: 3)),
                ("words_per_minute", .double(s.wordsPerMinute, decimals: 3)),
            ])
        }
        return .object([
            ("window_hours", .int(settings.windowHours)),
            ("time_zone", .string(settings.timeZone)),
            ("linkage", .string(settings.linkage)),
            ("matching", .string(settings.matching)),
            ("pseudonymization", .string(settings.ephemeralKey ? "hmac-sha256, key drawn for this run" : "hmac-sha256, key file")),
            ("cost_model", .object([
                ("low", scenario(settings.costModel.low)),
                ("central", scenario(settings.costModel.central)),
                ("high", scenario(settings.costModel.high)),
            ])),
        ])
    }

    static func hours(_ range: HoursRange) -> JSONValue {
        .object([
            ("low", .double(range.low, decimals: 2)), ("central", .double(range.central, decimals: 2)),
            ("high", .double(range.high, decimals: 2)),
        ])
    }

    static func site(_ metrics: WorkloadMetrics, input: ReportInput, isTotal: Bool) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if !isTotal { members.append(("site", .string(metrics.site))) } else {
            members.append(("sites", .int(input.metrics.sites.count)))
        }
        if metrics.entries > 0 {
            members.append(("period", .object([
                ("from", .string(input.clock.iso8601(metrics.firstRecordedAt))),
                ("to", .string(input.clock.iso8601(metrics.lastRecordedAt))),
                ("days", .double(metrics.periodDays, decimals: 2)),
            ])))
        }
        members.append(("entries", .int(metrics.entries)))
        members.append(("patients", .int(metrics.patients)))
        members.append(("patients_in_several_systems", .int(metrics.patientsInSeveralSystems)))
        members.append(("authors", .int(metrics.authors)))
        members.append(("re_entries", .int(metrics.reEntries)))
        members.append(("redundancy_rate", .double(metrics.redundancyRate, decimals: 4)))
        members.append(("groups", .object([
            ("x2", .int(metrics.groupsX2)), ("x3", .int(metrics.groupsX3)), ("x4_plus", .int(metrics.groupsX4Plus)),
            ("total", .int(metrics.groups)),
        ])))
        members.append(("by_system", bySystem(metrics)))
        members.append(("flows", .array(metrics.flows.map(flow))))
        let categories: [(String, JSONValue)] = metrics.byCategory.keys.sorted().map { ($0, slice(metrics.byCategory[$0]!)) }
        members.append(("by_category", .object(categories)))
        let purposes: [(String, JSONValue)] = metrics.byPurpose.keys.sorted().map { ($0.name, slice(metrics.byPurpose[$0]!)) }
        members.append(("by_purpose", .object(purposes)))
        members.append(("classification", .object([
            ("cross_system", .int(metrics.crossSystem)), ("same_system", .int(metrics.sameSystem)),
            ("self", .int(metrics.selfReEntries)), ("transcription", .int(metrics.transcriptions)),
            ("author_unknown", .int(metrics.authorUnknown)),
        ])))
        let median: JSONValue = metrics.lagMedianMinutes.map { .double($0, decimals: 1) } ?? .null
        let p90: JSONValue = metrics.lagP90Minutes.map { .double($0, decimals: 1) } ?? .null
        members.append(("lag_minutes", .object([("median", median), ("p90", p90)])))
        members.append(("estimated_hours", hours(metrics.hoursPerMonth)))
        members.append(("estimated_hours_total", hours(metrics.hoursTotal)))
        return .object(members)
    }

    static func bySystem(_ metrics: WorkloadMetrics) -> JSONValue {
        var members: [(String, JSONValue)] = []
        for kind in metrics.bySystem.keys.sorted() {
            let system = metrics.bySystem[kind]!
            members.append((kind.name, .object([
                ("entries", .int(system.entries)), ("patients", .int(system.patients)),
                ("authors", .int(system.authors)), ("originals", .int(system.originals)),
                ("re_entries", .int(system.reEntries)),
                ("redundancy_rate", .double(system.redundancyRate, decimals: 4)),
            ])))
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
            ("entries", .int(quality.entries)),
            ("rows_rejected", .int(quality.rowsRejected)),
            ("rejected_by_reason", .object(quality.rejectedByKind.keys.sorted().map { ($0.rawValue, .int(quality.rejectedByKind[$0]!)) })),
            ("rejections", .array(quality.rejections.map { rejection in
                .object([
                    ("file", .string(rejection.file)), ("line", .int(rejection.line)),
                    ("reason", .string(rejection.kind.rawValue)), ("detail", .string(rejection.detail)),
                ])
            })),
            ("rejections_listed", .int(quality.rejections.count)),
            ("identity_conflicts", .int(quality.identityConflicts)),
            ("encodings", .object(quality.encodings.keys.sorted().map { ($0, .string(quality.encodings[$0]!)) })),
            ("ignored_columns", .object(quality.ignoredColumns.keys.sorted().map { file in
                (file, .array(quality.ignoredColumns[file]!.map { .string($0) }))
            })),
        ])
    }
}
