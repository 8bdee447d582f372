import Foundation
import RessaisieCore

/// `ressaisie compare`: the sites of a history side by side: each site's latest recorded figures, its rank and
/// the quartiles across sites (`SiteComparison`, through the published reports' comparison table), and its
/// trend over its runs. The published reports' disclosure rules apply in every format, JSON included (a
/// comparison across sites is made to be shared). Renders; the figures are the ones the history recorded.
public struct CompareReport: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case text, json, md, html, csv
    }

    /// One recorded run of a site: the figures a history keeps.
    public struct Run: Sendable, Equatable {
        public var runAt: Int64
        public var entries: Int
        public var patients: Int
        public var reEntries: Int
        public var hoursPerMonth: HoursRange

        public init(runAt: Int64, entries: Int, patients: Int, reEntries: Int, hoursPerMonth: HoursRange) {
            self.runAt = runAt
            self.entries = entries
            self.patients = patients
            self.reEntries = reEntries
            self.hoursPerMonth = hoursPerMonth
        }
    }

    /// A site and its runs, oldest first (at least one).
    public struct Site: Sendable, Equatable {
        public var name: String
        public var runs: [Run]

        public init(name: String, runs: [Run]) {
            self.name = name
            self.runs = runs
        }
    }

    /// The metrics a history records, compared (the others of `SiteComparison` need the full analysis).
    public static let metrics: [SiteComparison.Metric] = [.redundancyRate, .reEntries, .hoursPerMonth]
    public static let schema = "ressaisie.compare/1"

    public var sites: [Site]
    /// The first day of the runs taken (`--since`), as given; nil: every run.
    public var since: String?
    public var disclosure: Disclosure
    public var minimumSites = SiteComparison.defaultMinimumSites

    public init(sites: [Site], since: String? = nil, disclosure: Disclosure = Disclosure()) {
        self.sites = sites.filter { !$0.runs.isEmpty }.sorted { $0.name < $1.name }
        self.since = since
        self.disclosure = disclosure
    }

    /// The latest run of a site as the metrics `SiteComparison` reads (a month's period: the hours recorded
    /// are already per month).
    static func metrics(_ site: Site) -> WorkloadMetrics {
        let run = site.runs.last!
        var metrics = WorkloadMetrics(site: site.name)
        metrics.entries = run.entries
        metrics.patients = run.patients
        metrics.reEntries = run.reEntries
        metrics.hoursPerMonth = run.hoursPerMonth
        metrics.firstRecordedAt = 0
        metrics.lastRecordedAt = Int64(CostModel.daysPerMonth * 86_400)
        return metrics
    }

    /// Values and ranks per site and metric, and quartiles per metric, with the published rules applied (the
    /// rows of the metrics a history does not record left out).
    func comparisonTables() -> (values: PublishedTable, quartiles: PublishedTable) {
        var settings = ReportSettings(
            toolVersion: "", windowHours: 0, linkage: "", matching: "", timeZone: "UTC", ephemeralKey: false,
            generatedAt: nil)
        settings.comparison = ComparisonSettings(peers: .all, minimumSites: minimumSites)
        var (values, quartiles, _) = PublishedReport.comparison(
            sites.map(Self.metrics), settings: settings, disclosure: disclosure)
        let kept = Set(Self.metrics.map(\.rawValue))
        func recorded(_ row: [Cell]) -> Bool { if case .label(let id) = row[1] { kept.contains(id) } else { false } }
        values.rows = values.rows.filter(recorded)
        quartiles.rows = quartiles.rows.filter(recorded)
        return (values, quartiles)
    }

    /// A run's redundancy rate, hidden as the published rules hide a rate whose part or rest is a small count.
    func rate(_ run: Run) -> Cell {
        guard run.entries > 0 else { return .none }
        if disclosure.hides(run.reEntries) || disclosure.hides(run.entries - run.reEntries) { return .withheld }
        return .rate(Double(run.reEntries) / Double(run.entries))
    }

    /// Per site: runs, first and last redundancy rate, and its change.
    func trendTable() -> PublishedTable {
        let rows: [[Cell]] = sites.map { site in
            let first = rate(site.runs.first!), last = rate(site.runs.last!)
            var change = Cell.none
            if case .rate(let a) = first, case .rate(let b) = last, site.runs.count > 1 { change = .rate(b - a) }
            return [.text(site.name), .count(site.runs.count), first, last, change]
        }
        return PublishedTable(
            id: "trends",
            columns: [.init("site"), .init("runs"), .init("first_run"), .init("last_run"), .init("change")], rows: rows)
    }

    /// The latest figures per site (entries, patients, re-entries), small counts hidden.
    func latestTable() -> PublishedTable {
        PublishedTable(
            id: "latest",
            columns: [.init("site"), .init("last_run_at"), .init("entries"), .init("patients"), .init("re_entries")],
            rows: sites.map { site in
                let run = site.runs.last!
                return [
                    .text(site.name), .text(Self.time(run.runAt)), disclosure.count(run.entries),
                    disclosure.count(run.patients), disclosure.count(run.reEntries),
                ]
            })
    }

    static func time(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// The report in `format`; `language` for md, html and csv words.
    public func render(_ format: Format, language: ReportLanguage) -> String {
        let v = Wording(format == .text ? .en : language, threshold: disclosure.threshold)
        let (values, quartiles) = comparisonTables()
        let tables = [latestTable(), values, quartiles, trendTable()]
        switch format {
        case .json: return json(values: values, quartiles: quartiles).serialized() + "\n"
        case .csv:
            let ids = values.columns.map(\.id)
            let header = (["key"] + ids + ["status"]).joined(separator: ",")
            return ([header] + values.rows.map { TablesCSV.line(prefix: [], row: $0, columns: ids, ids: ids, v) })
                .joined(separator: "\n") + "\n"
        case .md:
            return "# \(v.word("compare_title"))\n\n\(preamble(v))\n\n"
                + tables.map { "## \(v.word($0.id))\n\n" + MarkdownReport.markdownTable($0, v) }.joined()
        case .html:
            return """
                <!DOCTYPE html>
                <html lang="\(v.language.rawValue)"><head><meta charset="utf-8"><title>\(v.word("compare_title"))</title>
                <style>\(HTMLReport.style)</style></head><body>
                <h1>\(v.word("compare_title"))</h1>
                <p>\(HTMLReport.escape(preamble(v)))</p>

                """
                    + tables.map { "<h2>\(HTMLReport.escape(v.word($0.id)))</h2>\n" + HTMLReport.table($0, v) }.joined()
                    + "</body></html>\n"
        case .text:
            return preamble(v) + "\n" + tables.map { "\n" + v.word($0.id) + "\n" + Self.text($0, v) }.joined()
        }
    }

    func preamble(_ v: Wording) -> String {
        let hidden =
            disclosure.suppressSmallCounts && disclosure.threshold > 1
            ? "counts under \(disclosure.threshold) hidden" : "no count hidden"
        return
            "\(sites.count) site\(sites.count == 1 ? "" : "s"), \(sites.reduce(0) { $0 + $1.runs.count }) run(s)"
            + (since.map { " since \($0)" } ?? "") + "; \(hidden); ranks and quartiles need \(minimumSites) sites"
    }

    /// A table as aligned columns.
    static func text(_ table: PublishedTable, _ v: Wording) -> String {
        let lines = [table.columns.map { $0.id }] + table.rows.map { $0.map(v.format) }
        let widths = table.columns.indices.map { column in lines.map { $0[column].count }.max() ?? 0 }
        return lines.map { cells in
            "  "
                + zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(
                    separator: "  ")
        }.map { String($0.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n") + "\n"
    }
}

extension CompareReport {
    /// `ressaisie.compare/1`: one object per site under `sites` (latest figures, ranks, where it stands
    /// against the others, trend), and the quartiles per metric. A hidden or meaningless figure is `null`, and
    /// a hidden one is named in the site's `hidden`.
    func json(values: PublishedTable, quartiles: PublishedTable) -> JSONValue {
        var cells: [String: [String: (value: Cell, rank: Cell)]] = [:]
        for row in values.rows {
            guard case .text(let site) = row[0], case .label(let metric) = row[1] else { continue }
            cells[site, default: [:]][metric] = (row[2], row[3])
        }
        var bands: [String: (q1: Double, q3: Double)] = [:]
        for row in quartiles.rows {
            if case .label(let metric) = row[1], let q1 = Self.number(row[3]), let q3 = Self.number(row[5]) {
                bands[metric] = (q1, q3)
            }
        }
        let latest = latestTable()
        let objects: [JSONValue] = sites.enumerated().map { index, site in
            var hidden: [String] = []
            func figure(_ name: String, _ cell: Cell) -> (String, JSONValue) {
                if cell.isHidden { hidden.append(name) }
                return (name, JSONReport.value(cell))
            }
            let metrics = Self.metrics.map(\.rawValue)
            let latestRow = latest.rows[index]
            var members: [(String, JSONValue)] = [
                ("site", .string(site.name)), ("runs", .int(site.runs.count)),
                ("last_run_at", .string(Self.time(site.runs.last!.runAt))),
                figure("entries", latestRow[2]), figure("patients", latestRow[3]), figure("re_entries", latestRow[4]),
            ]
            for metric in metrics where metric != "re_entries" {
                members.append(figure(metric, cells[site.name]?[metric]?.value ?? .none))
            }
            members.append(
                ("ranks", .object(metrics.map { ($0, JSONReport.value(cells[site.name]?[$0]?.rank ?? .none)) })))
            members.append(
                (
                    "against_others",
                    .object(
                        metrics.map { metric in
                            guard let value = Self.number(cells[site.name]?[metric]?.value ?? .none),
                                let band = bands[metric]
                            else { return (metric, .null) }
                            let where_ =
                                value > band.q3 ? "highest_quarter" : value < band.q1 ? "lowest_quarter" : "middle_half"
                            return (metric, .string(where_))
                        })
                ))
            members.append(
                (
                    "trend",
                    .object([
                        ("run_at", .array(site.runs.map { .string(Self.time($0.runAt)) })),
                        ("redundancy_rate", .array(site.runs.map { JSONReport.value(rate($0)) })),
                    ])
                ))
            members.append(("hidden", .array(hidden.map { .string($0) })))
            return .object(members)
        }
        return .object([
            ("schema", .string(Self.schema)),
            ("since", since.map { .string($0) } ?? .null),
            (
                "disclosure",
                .object([
                    ("small_counts_hidden", .bool(disclosure.suppressSmallCounts && disclosure.threshold > 1)),
                    ("threshold", .int(disclosure.threshold)),
                ])
            ),
            ("minimum_sites", .int(minimumSites)),
            ("sites", .array(objects)),
            (
                "quartiles",
                .array(
                    quartiles.rows.map { row in
                        .object([
                            ("metric", JSONReport.value(row[1])), ("sites", JSONReport.value(row[2])),
                            ("q1", JSONReport.value(row[3])),
                            ("median", JSONReport.value(row[4])), ("q3", JSONReport.value(row[5])),
                        ])
                    })
            ),
        ])
    }

    /// A shown figure as a number; nil when hidden or empty.
    static func number(_ cell: Cell) -> Double? {
        switch cell {
        case .count(let n), .rank(let n), .tiedRank(let n): Double(n)
        case .rate(let x), .hours(let x), .fte(let x), .number(let x), .minutes(let x): x
        default: nil
        }
    }
}
