import Foundation
import RessaisieCore

/// `ressaisie history`'s outputs: history rows as text (a table and a sparkline per site), JSON
/// (`ressaisie.history/1`) or CSV (one row per site and run). Renders; never computes a metric.
public enum HistoryReport {
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

    public static func text(_ rows: [HistoryRow], metric: HistoryMetric) -> String {
        guard !rows.isEmpty else { return "no runs recorded\n" }
        var out = ""
        for (site, runs) in bySite(rows) {
            let values = runs.map { $0.snapshot.value(of: metric) }
            let first = values.first!, last = values.last!
            out +=
                "\(site) · \(metric.rawValue) \(Sparkline.render(values)) \(format(first, metric)) → \(format(last, metric))"
                + " · \(runs.count) run\(runs.count == 1 ? "" : "s")\n"
            out += "  run  time (UTC)            entries  re-entries  redundancy  hours/month  \(metric.rawValue)\n"
            for run in runs {
                let s = run.snapshot
                out +=
                    "  " + pad(String(run.runID) + (run.inputsUnchanged ? "=" : ""), 3) + "  " + time(run.runAt)
                    + "  " + left(String(s.entries), 7) + "  " + left(String(s.reEntries), 10)
                    + "  " + left(format(s.redundancyRate, .redundancyRate), 10)
                    + "  " + left(format(s.hoursPerMonthCentral, .hoursPerMonth), 11)
                    + "  " + format(s.value(of: metric), metric) + "\n"
            }
        }
        if rows.contains(where: \.inputsUnchanged) { out += "= same input files as the previous run\n" }
        return out
    }

    public static func json(_ rows: [HistoryRow], metric: HistoryMetric) -> String {
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
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    public static func csv(_ rows: [HistoryRow]) -> String {
        var out =
            "run_id,run_at,site,tool_version,inputs_unchanged,entries,patients,re_entries,redundancy_rate,"
            + "groups_x2,groups_x3,groups_x4_plus,hours_per_month_low,hours_per_month_central,hours_per_month_high\n"
        for row in rows {
            let s = row.snapshot
            let fields: [String] = [
                String(row.runID), time(row.runAt), CSVField.escape(s.site), CSVField.escape(row.toolVersion),
                row.inputsUnchanged ? "1" : "0",
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
