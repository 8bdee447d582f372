import ArgumentParser
import Foundation
import RessaisieCore
import RessaisieIngest
import RessaisieReport

/// `ressaisie analyze`: exports in, workload report out.
struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find re-entered data in a site's exports and report the workload it represents.",
        discussion: """
            Reads canonical CSV and XML exports (FHIR R4, CDA R2; files or folders, searched recursively). Without a 'site' column the \
            site is the folder just under the input folder; without a 'system' column the system comes from \
            the file or folder name (dpi, dui, sip). With no path, runs on the bundled demo audit.

            Published formats (markdown, html, csv) hide counts under 11 as <11 (with secondary suppression) \
            and merge professions with fewer than 5 authors into "others"; text and json keep exact counts for \
            the analyst. csv writes one file per table into the --output folder.

            Example:
              ressaisie analyze exports/ --key-file audit.key --format json --output report.json --groups groups.csv
              ressaisie analyze exports/ --key-file audit.key --format html --output rapport.html --staffing etp.csv
            """
    )

    typealias Format = AuditReport.Format

    @Option(name: .shortAndLong, help: "Report format.")
    var format: Format = .text

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "Write the report to this file instead of standard output (a folder for csv).", valueName: "file|dir"))
    var output: String?

    @Option(help: "Language of markdown, html and csv reports.")
    var lang: ReportLanguage = .fr

    @Option(
        help: ArgumentHelp("Staffing CSV (site,profession,fte) for hours per full-time equivalent.", valueName: "file"))
    var staffing: String?

    @Option(
        help: ArgumentHelp("Hide counts below this in published formats (default 11; 0 hides none).", valueName: "n"))
    var suppressBelow: Int?

    @Flag(help: "Add redacted examples of duplicate groups (ids of groups, systems, lags; never identifiers or text).")
    var evidence = false

    @Option(help: ArgumentHelp("Write every entry of every duplicate group to this CSV file.", valueName: "file"))
    var groups: String?

    @Option(
        help: ArgumentHelp(
            "Write each fact typed at one site and typed again at another (pathways across organizations) to this CSV file.",
            valueName: "file"))
    var pathways: String?

    @Option(
        help: ArgumentHelp(
            "Write each fact typed in one category and typed again in another (a note summarized in an administrative record…) to this CSV file.",
            valueName: "file"))
    var crossCategory: String?

    @Flag(help: ArgumentHelp("Print the time of each stage on standard error.", visibility: .hidden))
    var timings = false

    @Option(
        help: ArgumentHelp(
            "A labelled review sample (review --sample, then the same_fact column filled): the counts get their estimated range.",
            valueName: "file"))
    var review: String?

    @OptionGroup var audit: AuditOptions

    @OptionGroup var shared: SharedOptions

    @OptionGroup(title: "Unattended runs") var unattended: UnattendedOptions

    func validate() throws {
        if let suppressBelow, suppressBelow < 0 { throw ValidationError("--suppress-below must be 0 or more") }
        if format == .csv, output == nil {
            throw ValidationError("--format csv writes one file per table: give --output DIR")
        }
    }

    func run() throws {
        do {
            let command = try applyingAuditConfig()
            Log.configure(format: command.unattended.logFormat ?? .text, quiet: command.shared.quiet)
            try command.runUnattended()
        } catch IngestError.noSiteSelected(let selection) {
            // A shard with no site of a small audit: nothing to do is no failure (an indexed Job would retry it).
            if !shared.quiet { Terminal.warning("no entry of \(selection) in the inputs: nothing written") }
        } catch {
            throw ExitStatus.failure(error)
        }
    }

    private func ms(_ seconds: TimeInterval) -> Int { Int(seconds * 1000) }

    /// The report to `--output` (staged), else to standard output now: written before anything is renamed, so
    /// a failed stdout leaves every file output as it was.
    private func stageReport(_ report: String, into outputs: OutputSet) throws {
        if let output { try outputs.stage(report, to: output) } else { StandardStreams.output(report) }
    }

    /// Reads, links, matches and renders; the file outputs are staged into `outputs`, for the caller to commit.
    func analyze(into outputs: OutputSet) throws -> AuditMetrics {
        let staffingTable = try staffing.map { try StaffingReader.load(path: $0) }
        // The labelled sample is read first: a bad label stops the run before the exports are read.
        let reviewEstimate = try review.map { ReviewEstimate(labels: try ReviewFile.labels(path: $0)) }
        let auditFile = try unattended.audit.map { try AuditFile.load($0) }
        let run = try AuditRun(
            audit, shared: shared, staffing: staffingTable, auditFile: auditFile, auditPath: unattended.audit)
        let input = ReportInput(
            metrics: run.pipeline.metrics, quality: run.pipeline.quality, linkage: run.analysis.linkage,
            settings: ReportSettings(run, review: reviewEstimate), clock: run.clock)
        let disclosure = Disclosure(
            threshold: suppressBelow ?? run.configuration.threshold ?? Disclosure.defaultThreshold,
            minAuthorsPerProfession: run.configuration.minAuthorsPerProfession
                ?? Disclosure.defaultMinAuthorsPerProfession)
        let report = AuditReport(
            format: format, language: lang, color: output == nil && Terminal.colorOnStdout, disclosure: disclosure,
            evidence: evidence)
        // Every output is staged (written whole to a temporary file) here and renamed by the caller's commit.
        switch report.render(input, groups: run.analysis.groups, store: run.loaded.store) {
        case .document(let text): try stageReport(text, into: outputs)
        case .tables(let tables): try outputs.stageFolder(tables.map { ($0.name, $0.contents) }, to: output!)
        }
        if let groups {
            try outputs.stage(
                GroupsCSV.render(groups: run.analysis.groups, store: run.loaded.store, clock: run.clock), to: groups)
        }
        if let pathways {
            try outputs.stage(
                PathwaysCSV.render(run.pipeline.pathways, store: run.loaded.store, clock: run.clock), to: pathways)
        }
        if let crossCategory {
            try outputs.stage(
                CrossCategoryCSV.render(run.pipeline.crossCategories, store: run.loaded.store, clock: run.clock),
                to: crossCategory)
        }
        if timings { printTimings(run) }
        if !shared.quiet, run.loaded.quality.rowsRejected > 0 {
            let first = run.loaded.quality.rejections.first.map { " (first: \($0))" } ?? ""
            Terminal.warning("\(run.loaded.quality.rowsRejected) row(s) rejected\(first); see the data-quality section")
        }
        return run.pipeline.metrics
    }

    /// `--timings`: the time of each stage on standard error (rendering: until now).
    private func printTimings(_ run: AuditRun) {
        let ingest = run.loadedAt.timeIntervalSince(run.started), match = run.analyzedAt.timeIntervalSince(run.loadedAt)
        let render = Date().timeIntervalSince(run.analyzedAt)
        let (store, quality) = (run.loaded.store, run.loaded.quality)
        let megabytes = Double(quality.bytes) / 1_000_000
        StandardStreams.error(
            "timings: ingest \(ms(ingest)) ms (\(Int(megabytes / max(ingest, 1e-9))) MB/s, "
                + "\(Int(Double(store.count) / max(ingest, 1e-9))) entries/s), link+match+metrics \(ms(match)) ms "
                + "(per site \(ms(run.pipeline.perSiteAt.timeIntervalSince(run.loadedAt))) ms, pathways "
                + "\(ms(run.pipeline.pathwaysAt.timeIntervalSince(run.pipeline.perSiteAt))) ms, across categories "
                + "\(ms(run.analyzedAt.timeIntervalSince(run.pipeline.pathwaysAt))) ms), "
                + "report \(ms(render)) ms; \(store.count) entries, \(quality.bytes) bytes, "
                + "\(run.analysis.groups.count) groups\n")
    }
}
