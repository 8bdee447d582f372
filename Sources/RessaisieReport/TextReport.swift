import RessaisieCore

/// The terminal summary: per site, what was typed more than once, between which systems, and what it
/// costs; then data quality. Aligned columns; bold headings only when `color` is on (a TTY without
/// `NO_COLOR`, as the command decides).
public enum TextReport {
    /// `published` gives who retypes whose information with professions merged as everywhere (exact counts);
    /// made from `input` when not given.
    public static func render(_ input: ReportInput, color: Bool = false, published: PublishedReport? = nil) -> String {
        let published = published ?? PublishedReport(input, disclosure: Disclosure().exactCounts)
        let metrics = input.metrics
        let totals = metrics.totals
        var out = ""
        func bold(_ text: String) -> String { color ? "\u{1B}[1m\(text)\u{1B}[0m" : text }

        out +=
            bold("ressaisie \(input.settings.toolVersion)")
            + " · \(metrics.sites.count) site\(metrics.sites.count == 1 ? "" : "s")"
            + " · \(totals.entries) entries · \(totals.reEntries) re-entries (\(percent(totals.redundancyRate)))\n"
        for (site, shown) in zip(metrics.sites, published.sites) {
            out += siteSection(site, input, color: color)
            out += whoWhomAndDestinations(site, shown)
        }
        out += pathwaysSection(metrics, color: color)
        out += crossCategoriesSection(metrics, color: color)

        out += qualitySection(input, color: color)
        out += methodSection(input)
        return out
    }

    /// One site: its period, counts, systems, flows, classification, lags, when, hours and what-ifs.
    static func siteSection(_ site: WorkloadMetrics, _ input: ReportInput, color: Bool) -> String {
        func bold(_ text: String) -> String { color ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
        var out = ""
        out += "\n" + bold(site.site)
        if site.entries > 0 {
            out +=
                " · \(input.clock.day(site.firstRecordedAt)) → \(input.clock.day(site.lastRecordedAt))"
                + " (\(decimal(site.periodDays, 1)) days, \(site.periodSource.name)"
                + (site.entriesOutsidePeriod > 0
                    ? "; \(site.entriesOutsidePeriod) entries with a stray date left out of it" : "") + ")"
        }
        out += "\n"
        out +=
            "  entries \(site.entries) · patients \(site.patients) (\(site.patientsInSeveralSystems) in several systems)"
            + " · authors \(site.authors)\n"
        out += "  re-entries \(site.reEntries)"
        if let review = input.settings.review, let range = review.reEntries(found: site.reEntries) {
            out += " (estimated \(range.lower) – \(range.upper) from \(review.reviewed) reviewed pairs)"
        }
        out +=
            " · redundancy \(percent(site.redundancyRate))"
            + " · groups ×2 \(site.groupsX2) · ×3 \(site.groupsX3) · ×4+ \(site.groupsX4Plus)\n"
        if site.possibleInterfaceCopies > 0 {
            out +=
                "    of which \(site.possibleInterfaceCopies) could be interface copies (same author and content in another"
                + " system the same day, one side recorded without a time): at least \(site.reEntries - site.possibleInterfaceCopies)"
                + " typed again\n"
        }
        var rows = [["system", "entries", "re-entries", "redundancy"]]
        for kind in site.bySystem.keys.sorted() {
            let system = site.bySystem[kind]!
            rows.append([
                kind.name, String(system.entries), String(system.reEntries), percent(system.redundancyRate),
            ])
        }
        out += table(rows, indent: 2)
        // Systems read beyond DPI, DUI and SIP (a spreadsheet, a paper log…), said with their kind.
        let others = site.bySystem.keys.sorted().filter { !InformationSystem.named.contains($0) }
        if !others.isEmpty {
            out +=
                "  systems beyond DPI, DUI, SIP: \(others.map { "\($0.name) (\($0.kind.name))" }.joined(separator: ", "))\n"
        }
        let duplicates = site.bySystem.keys.sorted().compactMap { kind -> String? in
            let count = site.bySystem[kind]!.identityDuplicates
            return count > 0 ? "\(kind.name) \(count)" : nil
        }
        if !duplicates.isEmpty {
            out += "  identity duplicates (one person under two local ids): \(duplicates.joined(separator: ", "))\n"
        }
        if !site.flows.isEmpty {
            out += "  flows (original → re-entry)\n"
            var flowRows: [[String]] = []
            for flow in site.flows {
                flowRows.append([
                    "\(flow.from.name) → \(flow.to.name)", String(flow.reEntries),
                    "\(percent(flow.shareOfTargetEntries)) of \(flow.to.name) entries",
                ])
            }
            out += table(flowRows, indent: 4, header: false)
        }
        if !site.interfaceCopies.isEmpty {
            out +=
                "  interface copies (same content and author, seconds apart: software, not re-entries): "
                + site.interfaceCopies.map { "\($0.from.name) → \($0.to.name) \($0.reEntries)" }.joined(
                    separator: ", ") + "\n"
        }
        if site.reEntries > 0 {
            out +=
                "  re-entries: \(site.crossSystem) cross-system, \(site.sameSystem) same-system"
                + " · \(site.selfReEntries) self, \(site.transcriptions) transcription, \(site.authorUnknown) author unknown\n"
            if let median = site.lagMedianMinutes, let p90 = site.lagP90Minutes {
                out += "  lag: median \(duration(median)), p90 \(duration(p90))\n"
            }
            let night = site.when.byDayPart[WhenMetrics.DayPart.night.rawValue]
            let weekend = site.when.byWeekday[5...].reduce(SliceCount()) {
                SliceCount(entries: $0.entries + $1.entries, reEntries: $0.reEntries + $1.reEntries)
            }
            out +=
                "  when: night \(night.reEntries) re-entries (\(percent(night.redundancyRate)) of night entries)"
                + " · weekend \(weekend.reEntries) (\(percent(weekend.redundancyRate)))"
            if let originals = site.when.delayMedianOriginals, let again = site.when.delayMedianReEntries {
                out += " · care → typing median: originals \(duration(originals)), re-entries \(duration(again))"
            }
            out += "\n"
            // Under a week of exports, per day (and week), never extrapolated to a month.
            let short = site.isShortPeriod
            let scale = short ? 1 / CostModel.daysPerMonth : 1
            let unit = short ? "day" : "month"
            let hours = site.hoursPerMonth.scaled(by: scale)
            out +=
                "  estimated time: \(decimal(hours.central, 1)) h/\(unit)"
                + (short ? ", \(decimal(site.hoursPerWeek.central, 1)) h/week" : "")
                + " (range \(decimal(hours.low, 1)) – \(decimal(hours.high, 1)))\n"
            out +=
                "    self re-entry \(decimal(site.hoursPerMonthSelf.central * scale, 1)) h · transcription"
                + " \(decimal(site.hoursPerMonthTranscription.central * scale, 1)) h · author unknown"
                + " \(decimal(site.hoursPerMonthAuthorUnknown.central * scale, 1)) h\n"
            if let perFTE = site.hoursPerFTEPerMonth {
                out +=
                    "    per FTE: \(decimal(perFTE.central * scale, 2)) h/\(unit) (\(decimal(site.fte ?? 0, 1)) FTE)\n"
            }
            if !site.whatIf.isEmpty {
                out += "  what-if: an interface from → to for a category would save (re-entries, hours/\(unit))\n"
                out += table(
                    site.whatIf.prefix(3).map { item in
                        [
                            "\(item.from.name) → \(item.to.name) \(item.category)", String(item.reEntries),
                            decimal(item.hoursPerMonth.central * scale, 1) + " h",
                        ]
                    }, indent: 4, header: false)
            }
        }
        return out
    }

    /// Who retypes whose information (the largest pairs of professions, then staff groups; a group of too few
    /// authors withheld as `×`), and for whom: re-entries by the declared purpose of the receiving system and by
    /// pair of purposes.
    static func whoWhomAndDestinations(_ site: WorkloadMetrics, _ published: PublishedSite) -> String {
        guard site.reEntries > 0 else { return "" }
        var out = ""
        func pairs(_ id: String, limit: Int) -> String? {
            guard let table = published.table(id) else { return nil }
            func word(_ cell: Cell) -> String {
                switch cell {
                case .label(let id), .text(let id): id
                default: ""
                }
            }
            let rows = table.rows.filter { $0[2].isHidden || ($0[2].number ?? 0) > 0 }
                .sorted { ($0[2].number ?? -1) > ($1[2].number ?? -1) }.prefix(limit)
            guard !rows.isEmpty else { return nil }
            return rows.map {
                "\(word($0[0])) → \(word($0[1])) \($0[2].isHidden ? "×" : String(Int($0[2].number ?? 0)))"
            }
            .joined(separator: " · ")
        }
        if let line = pairs("who_whom", limit: 4) {
            out += "  who retypes whose (original's profession → re-entry's): \(line)\n"
        }
        if let line = pairs("who_whom_staff", limit: 9) {
            out += "    by staff group: \(line) (× a group of too few authors)\n"
        }
        if let line = typedInto("profession_system_purpose", published, limit: 4) {
            out += "  who types again into what, for whom (profession · system · purpose): \(line)\n"
        }
        if let line = typedInto("staff_system_purpose", published, limit: 6) {
            out += "    by staff group: \(line)\n"
        }
        let declared = site.byDestinationPurpose.keys.contains { $0 != .notDeclared }
        if declared {
            out +=
                "  for whom (purpose of the receiving system): "
                + site.byDestinationPurpose.keys.sorted().map { purpose in
                    let slice = site.byDestinationPurpose[purpose]!
                    return "\(purpose.name) \(slice.reEntries) (\(percent(slice.redundancyRate)) of its entries)"
                }.joined(separator: " · ") + "\n"
            out +=
                "    purposes (original → re-entry): "
                + site.reEntriesByPurposePair.sorted {
                    ($0.value, $1.key.from, $1.key.to) > ($1.value, $0.key.from, $0.key.to)
                }
                .map { "\($0.key.from.name) → \($0.key.to.name) \($0.value)" }.joined(separator: " · ") + "\n"
        }
        return out
    }

    /// The largest rows of a `profession_system_purpose` or `staff_system_purpose` table, `who · system (purpose)
    /// n` (`×` a row withheld), joined; nil when it has none.
    static func typedInto(_ id: String, _ published: PublishedSite, limit: Int) -> String? {
        guard let table = published.table(id), !table.rows.isEmpty else { return nil }
        func word(_ cell: Cell) -> String {
            switch cell {
            case .label(let id), .text(let id): id
            default: ""
            }
        }
        return table.rows.sorted { ($0[3].number ?? -1) > ($1[3].number ?? -1) }.prefix(limit).map {
            "\(word($0[0])) · \(word($0[1])) (\(word($0[2]))) \($0[3].isHidden ? "×" : String(Int($0[3].number ?? 0)))"
        }.joined(separator: " · ")
    }

    /// Across organizations: per pair of sites sharing patients, the patients (and how they were linked) and
    /// the facts re-typed from one to the other, with their categories; nothing when no two sites share one.
    static func pathwaysSection(_ metrics: AuditMetrics, color: Bool) -> String {
        guard !metrics.pathways.isEmpty else { return "" }
        func bold(_ text: String) -> String { color ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
        var out =
            "\n" + bold("Pathways across organizations")
            + " (facts typed at one site, typed again at another within \(metrics.pathwayWindowDays ?? PathwayDetector.defaultWindowDays) days)\n"
        var rows = [["from → to", "shared patients", "by INS", "by traits", "re-entries", "categories"]]
        for flow in metrics.pathways {
            let categories = flow.byCategory.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            rows.append([
                "\(flow.fromSite) → \(flow.toSite)", String(flow.sharedPatients), String(flow.sharedByINS),
                String(flow.sharedByTraits), String(flow.reEntries), categories.isEmpty ? "–" : categories,
            ])
        }
        return out + table(rows, indent: 2, header: false)
    }

    /// Across categories: per site and pair of categories, the facts re-typed from one into the other, with the
    /// purposes (care → management); nothing when none was found.
    static func crossCategoriesSection(_ metrics: AuditMetrics, color: Bool) -> String {
        guard !metrics.crossCategories.isEmpty else { return "" }
        func bold(_ text: String) -> String { color ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
        let hours = metrics.crossCategoryWindowHours ?? CrossCategoryDetector.defaultWindowHours
        let out =
            "\n" + bold("Re-entries across categories")
            + " (facts typed in one category, typed again in another within \(hours) h)\n"
        var rows = [["site", "from → to", "purposes", "re-entries"]]
        for flow in metrics.crossCategories {
            rows.append([
                flow.site, "\(flow.fromCategory) → \(flow.toCategory)",
                "\(flow.fromPurpose.name) → \(flow.toPurpose.name)", String(flow.reEntries),
            ])
        }
        return out + table(rows, indent: 2, header: false)
    }

    /// Data quality: files, rows, rejections by reason, and what was set aside or flagged at ingest.
    static func qualitySection(_ input: ReportInput, color: Bool) -> String {
        func bold(_ text: String) -> String { color ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
        var out = ""
        let quality = input.quality
        out +=
            "\n" + bold("data quality")
            + ": \(quality.files) file\(quality.files == 1 ? "" : "s"), \(quality.rowsRead) rows,"
            + " \(quality.entries) entries, \(quality.rowsRejected) rejected"
        if !quality.rejectedByKind.isEmpty {
            out +=
                " ("
                + quality.rejectedByKind.keys.sorted().map { "\($0.rawValue) \(quality.rejectedByKind[$0]!)" }
                .joined(separator: ", ") + ")"
        }
        out += "\n"
        for rejection in quality.rejections.prefix(5) { out += "  \(rejection)\n" }
        if quality.rowsRejected > 5 { out += "  … all listed rejections are in --format json (data_quality)\n" }
        if quality.republished > 0 {
            out +=
                "  \(quality.republished) record(s) exported again (same record id, or same content, author and time):"
                + " kept once, not re-entries\n"
        }
        if quality.reusedRecordIDs > 0 {
            out +=
                "  \(quality.reusedRecordIDs) record id(s) reused on other content: both kept"
                + (quality.reusedRecordIDExamples.first.map { " (first: \($0.file):\($0.line))" } ?? "") + "\n"
        }
        for stamped in quality.stampedEffectiveTimes {
            out +=
                "  \(stamped.site) \(stamped.system.name): effective times always on the recorded day, read as typing"
                + " times (\(stamped.entries) entries)\n"
        }
        if quality.implausibleTimes > 0 {
            out +=
                "  \(quality.implausibleTimes) entries with an implausible time, kept but out of the period"
                + (quality.implausibleTimeExamples.first.map { " (first: \($0))" } ?? "") + "\n"
        }
        if quality.interfaceCopies > 0 {
            out += "  \(quality.interfaceCopies) interface copies (kept as entries, not counted as re-entries)\n"
        }
        if quality.invalidINS > 0 {
            out += "  \(quality.invalidINS) patient id(s) with an INS whose check key is wrong (not used for linkage)\n"
        }
        if quality.identityConflicts > 0 {
            out += "  \(quality.identityConflicts) patient id(s) with conflicting INS or identity traits (first kept)\n"
        }
        if quality.entriesWithoutPatientLink > 0 {
            out +=
                "  \(quality.entriesWithoutPatientLink) entries about patients with neither INS nor complete identity traits"
                + " (cannot be linked across systems)\n"
        }
        if quality.filesSkipped > 0 {
            out += "  \(quality.filesSkipped) non-CSV file(s) under the input folders skipped\n"
        }
        for file in quality.encodings.keys.sorted() {
            out += "  \(file): read as \(quality.encodings[file]!)\n"
        }
        for file in quality.ignoredColumns.keys.sorted() {
            out += "  \(file): columns not used: \(quality.ignoredColumns[file]!.joined(separator: ", "))\n"
        }
        return out
    }

    /// How the figures were made: accuracy, window, methods, links, boilerplate learned.
    static func methodSection(_ input: ReportInput) -> String {
        var out = ""
        if let selection = input.settings.siteSelection {
            out +=
                "sites analysed: \(selection) only; other sites skipped: \(input.quality.rowsOutsideSelection) rows, "
                + "\(input.quality.filesOutsideSelection) files not read past their header\n"
        }
        out += accuracy(input.settings.review)
        out +=
            "method: window \(input.settings.windowHours) h, \(input.settings.matching); linkage \(input.settings.linkage)"
            + " (\(input.linkage.linksByINS) links by INS, \(input.linkage.linksByTraits) by traits"
            + (input.linkage.linksByProbability > 0 ? ", \(input.linkage.linksByProbability) probabilistic" : "")
            + ", \(input.linkage.refusedByINS) homonyms kept apart)\n"
        let boilerplate = input.settings.boilerplate
        let sample = input.settings.boilerplateSample
        if boilerplate.phrases.isEmpty {
            out += "boilerplate: none learned (\(sample.rows) rows of \(sample.files) file(s) sampled)\n"
        } else {
            out +=
                "boilerplate set aside before comparing (learned from \(sample.rows) rows of \(sample.files) file(s)):\n"
            for phrase in boilerplate.phrases {
                let origin =
                    phrase.source == .learned
                    ? "\(phrase.site) \(phrase.systems.joined(separator: "+")) \(phrase.field.rawValue), seen \(phrase.occurrences)×"
                        + " with ~\(phrase.distinctContents) contents"
                    : "configured"
                out +=
                    "  \(phrase.position == .leading ? "\"\(phrase.text) …\"" : "\"… \(phrase.text)\"")  (\(origin))\n"
            }
        }
        if !boilerplate.routineNotes.isEmpty {
            out +=
                "routine notes learned (a short note a system carries again and again): "
                + boilerplate.routineNotes.map { "\"\($0)\"" }.joined(separator: ", ") + "\n"
        }
        for phrase in boilerplate.vetoed {
            out += "  vetoed: \"\(phrase.text)\" (\(phrase.site) \(phrase.systems.joined(separator: "+")))\n"
        }
        return out
    }

    static func percent(_ rate: Double) -> String { decimal(rate * 100, 1) + " %" }

    static func decimal(_ value: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        let integer = Int(rounded.rounded(.towardZero))
        var fraction = Int((abs(rounded - Double(integer)) * scale).rounded())
        var digits = ""
        for _ in 0..<decimals {
            digits = String(fraction % 10) + digits
            fraction /= 10
        }
        let sign = rounded < 0 && integer == 0 ? "-" : ""
        return decimals == 0 ? "\(sign)\(integer)" : "\(sign)\(integer).\(digits)"
    }

    static func duration(_ minutes: Double) -> String {
        if minutes < 90 { return "\(decimal(minutes, 0)) min" }
        if minutes < 48 * 60 { return "\(decimal(minutes / 60, 1)) h" }
        return "\(decimal(minutes / 1440, 1)) days"
    }

    /// Left-aligned first column, right-aligned others.
    /// How sure the counts are: the review's estimates, or that they are unreviewed and the tool's tested accuracy.
    static func accuracy(_ review: ReviewEstimate?) -> String {
        func interval(_ interval: Interval?) -> String {
            interval.map {
                "\(decimal($0.estimate, 3)) (95 % CI \(decimal(max(0, $0.lower), 3)) – \(decimal(min(1, $0.upper), 3)))"
            } ?? "n/a"
        }
        guard let review else {
            return
                "accuracy: counts not reviewed on a sample of this audit (ressaisie review); tested on randomized synthetic"
                + " audits: median F1 \(decimal(TestedAccuracy.f1, 2)), precision \(decimal(TestedAccuracy.precision, 2)),"
                + " recall \(decimal(TestedAccuracy.recall, 2)) (\(TestedAccuracy.source))\n"
        }
        return "review: \(review.reviewed) pairs labelled"
            + (review.unlabelled > 0 ? " (\(review.unlabelled) not labelled)" : "")
            + "; precision \(interval(review.precision)), recall \(interval(review.recall))\n"
    }

    static func table(_ rows: [[String]], indent: Int, header: Bool = true) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = Array(repeating: 0, count: columns)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        var out = ""
        for row in rows {
            var line = String(repeating: " ", count: indent)
            for (index, cell) in row.enumerated() {
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                if index == 0 {
                    line += cell + padding
                } else if index == row.count - 1 && !header {
                    line += "  " + cell
                } else {
                    line += "  " + padding + cell
                }
            }
            out += line + "\n"
        }
        return out
    }
}
