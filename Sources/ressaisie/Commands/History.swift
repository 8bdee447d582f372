import ArgumentParser
import Foundation
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

    @Option(
        help: ArgumentHelp(
            "Metric of the trend: \(HistoryMetric.allCases.map(\.rawValue).joined(separator: ", ")).",
            valueName: "metric"))
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
