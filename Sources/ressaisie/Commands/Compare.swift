import ArgumentParser
import Foundation
import RessaisieCore
import RessaisieHistory
import RessaisieReport

/// `ressaisie compare`: every site of a history against the others.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare the sites of a history: latest figures, ranks, quartiles and trend per site.",
        discussion: """
            Reads the history that 'analyze --history FILE|URL' fills, a SQLite file or a PostgreSQL database \
            (postgres://USER@HOST:PORT/DATABASE; password from --history-password-file, PGPASSWORD or \
            ~/.pgpass); one job per site or per shard may write to it at once: see 'analyze --shard'. Each site's latest run gives its figures, ranked among \
            all sites with quartiles (from 5 sites with a value); its runs since --since give its trend. Counts \
            under 11 are hidden in every format, JSON included, with the published reports' rules.

            Example:
              ressaisie compare --history audit/history.sqlite --since 2026-01-01 --format json
              ressaisie compare --history postgres://ressaisie@db.example:5432/audits --format md
            """
    )

    @Option(help: ArgumentHelp("The history database: a SQLite file or a postgres:// URL.", valueName: "file|url"))
    var history: String

    @Option(help: ArgumentHelp("PostgreSQL history: the file whose first line is the password.", valueName: "file"))
    var historyPasswordFile: String?

    @Option(help: ArgumentHelp("Only runs from this day on (UTC).", valueName: "YYYY-MM-DD"))
    var since: String?

    @Option(name: .shortAndLong, help: "Output format.")
    var format: CompareReport.Format = .text

    @Option(help: "Language of md, html and csv.")
    var lang: ReportLanguage = .fr

    @Option(help: ArgumentHelp("Hide counts below this (default 11; 0 hides none).", valueName: "n"))
    var suppressBelow: Int = Disclosure.defaultThreshold

    /// `--since` as UTC seconds at the start of that day.
    var sinceSeconds: Int64? {
        guard let since else { return nil }
        let parts = since.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 3, let year = parts[0], let month = parts[1], let day = parts[2], since.count == 10,
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        return CivilDate.days(year: year, month: month, day: day) * 86_400
    }

    func validate() throws {
        if let since, sinceSeconds == nil { throw ValidationError("--since: expected YYYY-MM-DD, found '\(since)'") }
        if suppressBelow < 0 { throw ValidationError("--suppress-below must be 0 or more") }
    }

    func run() throws {
        let rows: [HistoryRow]
        do {
            rows = try HistoryDatabase.openForReading(history, passwordFile: historyPasswordFile).rows().filter {
                $0.runAt >= (sinceSeconds ?? .min)
            }
        } catch {
            throw ExitStatus.failure(error)
        }
        let report = CompareReport(
            sites: CompareReport.sites(rows), since: since, disclosure: Disclosure(threshold: suppressBelow))
        StandardStreams.output(report.render(format, language: lang))
    }
}

extension CompareReport.Format: ExpressibleByArgument {}

extension CompareReport {
    /// The history's rows (by site, oldest first) as sites and their runs.
    static func sites(_ rows: [HistoryRow]) -> [Site] {
        var order: [String] = []
        var runs: [String: [Run]] = [:]
        for row in rows {
            let s = row.snapshot
            if runs[s.site] == nil { order.append(s.site) }
            runs[s.site, default: []].append(
                Run(
                    runAt: row.runAt, entries: s.entries, patients: s.patients, reEntries: s.reEntries,
                    hoursPerMonth: HoursRange(
                        low: s.hoursPerMonthLow, central: s.hoursPerMonthCentral, high: s.hoursPerMonthHigh)))
        }
        return order.map { Site(name: $0, runs: runs[$0]!) }
    }
}
