import ArgumentParser
import Foundation
import RessaisieCore
import RessaisieHistory
import RessaisieIngest

/// `ressaisie history`: how a site's figures moved from run to run.
struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the trend of per-site metrics across recorded runs (table and sparkline, JSON or CSV).",
        discussion: """
            Reads the SQLite database that 'analyze --history FILE' (or [history] database in audit.toml) fills, \
            one row per site and run, oldest first. Runs whose input files were identical to the previous \
            run's are marked '='.

            Example:
              ressaisie history --database audit/history.sqlite --site ehpad-les-tilleuls --metric re_entries
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, csv
    }

    @Option(help: ArgumentHelp("The history database.", valueName: "file"))
    var database: String?

    @Option(help: ArgumentHelp("Take the database from this audit configuration.", valueName: "audit.toml"))
    var audit: String?

    @Option(help: "Only this site.")
    var site: String?

    @Option(help: ArgumentHelp(
        "Metric of the trend: \(HistoryMetric.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "metric"))
    var metric: String = HistoryMetric.redundancyRate.rawValue

    @Option(name: .shortAndLong, help: "Output format.")
    var format: Format = .text

    func validate() throws {
        guard HistoryMetric(rawValue: metric) != nil else {
            throw ValidationError(
                "unknown metric '\(metric)'; one of: \(HistoryMetric.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if database == nil, audit == nil { throw ValidationError("give --database FILE or --audit audit.toml") }
    }

    func run() throws {
        var path = database
        do {
            if path == nil, let audit {
                let config = try AuditFile.load(audit)
                path = config.resolve(config.history?.database)
                guard path != nil else { throw AuditFile.LoadError(path: audit, reason: "no [history] database") }
            }
        } catch {
            throw ExitStatus.failure(error)
        }
        guard let path, FileManager.default.fileExists(atPath: path) else {
            throw ExitStatus.failure(CommandFailure(.noInput, "\(path ?? "?"): no such history database"))
        }
        let rows: [HistoryRow]
        do {
            rows = try HistoryStore(path: path).rows(site: site)
        } catch {
            throw ExitStatus.failure(error)
        }
        let chosen = HistoryMetric(rawValue: metric)!
        let text: String
        switch format {
        case .text: text = HistoryReport.text(rows, metric: chosen)
        case .json: text = HistoryReport.json(rows, metric: chosen)
        case .csv: text = HistoryReport.csv(rows)
        }
        StandardStreams.output(text)
    }
}

/// Renders history rows; never computes a metric.
enum HistoryReport {
    static func time(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    static func format(_ value: Double, _ metric: HistoryMetric) -> String {
        switch metric {
        case .redundancyRate: String(format: "%.1f %%", value * 100)
        case .hoursPerMonth: String(format: "%.1f", value)
        default: String(Int(value))
        }
    }

    static func bySite(_ rows: [HistoryRow]) -> [(String, [HistoryRow])] {
        var order: [String] = []
        var groups: [String: [HistoryRow]] = [:]
        for row in rows {
            if groups[row.snapshot.site] == nil { order.append(row.snapshot.site) }
            groups[row.snapshot.site, default: []].append(row)
        }
        return order.map { ($0, groups[$0]!) }
    }

    static func text(_ rows: [HistoryRow], metric: HistoryMetric) -> String {
        guard !rows.isEmpty else { return "no runs recorded\n" }
        var out = ""
        for (site, runs) in bySite(rows) {
            let values = runs.map { $0.snapshot.value(of: metric) }
            let first = values.first!, last = values.last!
            out += "\(site) · \(metric.rawValue) \(Sparkline.render(values)) \(format(first, metric)) → \(format(last, metric))"
                + " · \(runs.count) run\(runs.count == 1 ? "" : "s")\n"
            out += "  run  time (UTC)            entries  re-entries  redundancy  hours/month  \(metric.rawValue)\n"
            for run in runs {
                let s = run.snapshot
                out += "  " + pad(String(run.runID) + (run.inputsUnchanged ? "=" : ""), 3) + "  " + time(run.runAt)
                    + "  " + left(String(s.entries), 7) + "  " + left(String(s.reEntries), 10)
                    + "  " + left(format(s.redundancyRate, .redundancyRate), 10)
                    + "  " + left(format(s.hoursPerMonthCentral, .hoursPerMonth), 11)
                    + "  " + format(s.value(of: metric), metric) + "\n"
            }
        }
        if rows.contains(where: \.inputsUnchanged) { out += "= same input files as the previous run\n" }
        return out
    }

    static func json(_ rows: [HistoryRow], metric: HistoryMetric) -> String {
        let sites: [[String: Any]] = bySite(rows).map { site, runs in
            [
                "site": site,
                "runs": runs.map { run -> [String: Any] in
                    let s = run.snapshot
                    return [
                        "run": run.runID, "run_at": time(run.runAt), "tool_version": run.toolVersion,
                        "inputs_unchanged": run.inputsUnchanged, "entries": s.entries, "patients": s.patients,
                        "re_entries": s.reEntries, "redundancy_rate": s.redundancyRate,
                        "groups": ["x2": s.groupsX2, "x3": s.groupsX3, "x4_plus": s.groupsX4Plus],
                        "hours_per_month": [
                            "low": s.hoursPerMonthLow, "central": s.hoursPerMonthCentral, "high": s.hoursPerMonthHigh,
                        ],
                        "value": s.value(of: metric),
                    ]
                },
            ]
        }
        let object: [String: Any] = ["schema": "ressaisie.history/1", "metric": metric.rawValue, "sites": sites]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func csv(_ rows: [HistoryRow]) -> String {
        var out = "run_id,run_at,site,tool_version,inputs_unchanged,entries,patients,re_entries,redundancy_rate,"
            + "groups_x2,groups_x3,groups_x4_plus,hours_per_month_low,hours_per_month_central,hours_per_month_high\n"
        for row in rows {
            let s = row.snapshot
            let fields: [String] = [
                String(row.runID), time(row.runAt), CSVField.escape(s.site), CSVField.escape(row.toolVersion), row.inputsUnchanged ? "1" : "0",
                String(s.entries), String(s.patients), String(s.reEntries), String(s.redundancyRate),
                String(s.groupsX2), String(s.groupsX3), String(s.groupsX4Plus), String(s.hoursPerMonthLow),
                String(s.hoursPerMonthCentral), String(s.hoursPerMonthHigh),
            ]
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    private static func left(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
