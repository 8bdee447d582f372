import ArgumentParser
import Foundation
import RessaisieHistory
import RessaisieIngest

/// `ressaisie history`: how a site's figures moved from run to run.
struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the trend of per-site metrics across recorded runs (table and sparkline, JSON or CSV).",
        discussion: """
            Reads the history that 'analyze --history FILE|URL' (or [history] database or url in audit.toml) \
            fills, one row per site and run, oldest first: a SQLite file, or a PostgreSQL database named by a \
            postgres://USER@HOST:PORT/DATABASE URL (password from --history-password-file, PGPASSWORD or \
            ~/.pgpass, never in the URL). Runs whose input files were identical to the previous run's are \
            marked '='.

            Example:
              ressaisie history --database audit/history.sqlite --site ehpad-les-tilleuls --metric re_entries
              ressaisie history --database postgres://ressaisie@db.example:5432/audits --format csv
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, csv
    }

    @Option(help: ArgumentHelp("The history database: a SQLite file or a postgres:// URL.", valueName: "file|url"))
    var database: String?

    @Option(help: ArgumentHelp("PostgreSQL history: the file whose first line is the password.", valueName: "file"))
    var historyPasswordFile: String?

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
        let rows: [HistoryRow]
        do {
            var path = database
            var passwordFile = historyPasswordFile
            if path == nil, let audit {
                let config = try AuditFile.load(audit)
                path = config.history?.location(in: config)
                guard path != nil else {
                    throw AuditFile.LoadError(path: audit, reason: "no [history] database or url")
                }
                if passwordFile == nil { passwordFile = config.resolve(config.history?.passwordFile) }
            }
            rows = try HistoryDatabase.openForReading(path ?? "?", passwordFile: passwordFile).rows(site: site)
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
