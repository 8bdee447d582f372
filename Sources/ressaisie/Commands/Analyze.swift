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

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, csv, markdown, html
    }

    @Argument(help: "Export files or folders (default: the demo audit in Fixtures/demo).")
    var paths: [String] = []

    @Option(name: .shortAndLong, help: "Report format.")
    var format: Format = .text

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp("Write the report to this file instead of standard output (a folder for csv).", valueName: "file|dir"))
    var output: String?

    @Option(help: "Language of markdown, html and csv reports.")
    var lang: ReportLanguage = .fr

    @Option(help: ArgumentHelp("Settings file (JSON): cost model parameters, disclosure threshold.", valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("Staffing CSV (site,profession,fte) for hours per full-time equivalent.", valueName: "file"))
    var staffing: String?

    @Option(help: ArgumentHelp("Hide counts below this in published formats (default 11; 0 hides none).", valueName: "n"))
    var suppressBelow: Int?

    @Flag(help: "Add redacted examples of duplicate groups (ids of groups, systems, lags; never identifiers or text).")
    var evidence = false

    @Option(help: ArgumentHelp("Write every entry of every duplicate group to this CSV file.", valueName: "file"))
    var groups: String?

    @Option(
        name: .customLong("profile"),
        help: ArgumentHelp(
            "A profile for vendor CSV exports (repeatable; applied to the files its globs match). "
                + "A profile beside an export (dui.profile.toml) is used without this option.",
            valueName: "file"))
    var profiles: [String] = []

    @Flag(help: "Stop at the first rejected row (exit 65) instead of counting it.")
    var strict = false

    @Option(help: ArgumentHelp("Largest gap between two entries of one fact, in hours.", valueName: "hours"))
    var windowHours: Int = ReEntryDetector.defaultWindowHours

    @Option(help: ArgumentHelp("Time zone of times written without an offset.", valueName: "zone"))
    var timeZone: String = SiteClock.defaultTimeZoneIdentifier

    @Option(help: ArgumentHelp(
        "Encoding of the exports: utf-8, windows-1252, iso-8859-1, iso-8859-15, utf-16 (default: detected per file).",
        valueName: "name"))
    var encoding: String?

    @Option(help: ArgumentHelp("Files read at once (default: one per core).", valueName: "n"))
    var jobs: Int?

    @Option(help: ArgumentHelp(
        "Period behind per-month figures, first and last day included, for exports that declare none (default: the span of their plausible recorded times).",
        valueName: "YYYY-MM-DD..YYYY-MM-DD"))
    var period: String?

    @Flag(help: ArgumentHelp("Print the time of each stage on standard error.", visibility: .hidden))
    var timings = false

    @OptionGroup var shared: SharedOptions

    @OptionGroup(title: "Unattended runs") var unattended: UnattendedOptions

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let suppressBelow, suppressBelow < 0 { throw ValidationError("--suppress-below must be 0 or more") }
        if format == .csv, output == nil { throw ValidationError("--format csv writes one file per table: give --output DIR") }
        guard windowHours > 0 else { throw ValidationError("--window-hours must be a positive number of hours") }
        if let encoding, TextEncoding(name: encoding) == nil { throw ValidationError("unknown encoding '\(encoding)'") }
        guard TimeZone(identifier: timeZone) != nil else { throw ValidationError("unknown time zone '\(timeZone)'") }
        if let period, Self.days(of: period) == nil {
            throw ValidationError("--period: expected FIRST..LAST as YYYY-MM-DD..YYYY-MM-DD, the first not after the last")
        }
    }

    /// The first and last day of `--period` (days since 1970-01-01), or nil when it is not two ordered dates.
    static func days(of period: String) -> (first: Int64, last: Int64)? {
        let parts = period.components(separatedBy: "..")
        guard parts.count == 2, parts.allSatisfy({ $0.count == 10 }),
            let first = ISOTimeParser.parse(parts[0]), let last = ISOTimeParser.parse(parts[1]), first.seconds <= last.seconds
        else { return nil }
        return (first.seconds / 86_400, last.seconds / 86_400)
    }

    func run() throws {
        do {
            let command = try applyingAuditConfig()
            Log.configure(format: command.unattended.logFormat ?? .text, quiet: command.shared.quiet)
            try command.runUnattended()
        } catch let error where UnattendedFailure.exitCode(for: error) != nil {
            Terminal.error("\(error)")
            throw ExitCode(UnattendedFailure.exitCode(for: error)!)
        } catch let error as IngestError {
            Terminal.error(error.description)
            throw ExitCode(error.exitCode)
        } catch let error as OutputSet.WriteError {
            Terminal.error(error.description)
            throw ExitCode(73)
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
        var inputs = paths
        if inputs.isEmpty {
            guard let demo = DemoAudit.path() else {
                throw IngestError.notFound(path: DemoAudit.relativePath + " (the demo audit; give export paths instead)")
            }
            inputs = [demo]
        }
        for path in inputs where !FileManager.default.fileExists(atPath: path) { throw IngestError.notFound(path: path) }
        let configuration = try config.map { try AuditConfig.load(path: $0) } ?? AuditConfig()
        let staffingTable = try staffing.map { try StaffingReader.load(path: $0) }
        let pseudonymizer = try KeySource.pseudonymizer(keyFile: shared.keyFile, quiet: shared.quiet)
        let zone = TimeZone(identifier: timeZone)!
        var options = IngestOptions(strict: strict, timeZone: zone, encoding: encoding.flatMap(TextEncoding.init(name:)))
        let loadedProfiles = try profiles.map { try Profile.load(path: $0) }
        options.csvProfiles = loadedProfiles.filter { $0.xml == nil }
        options.xmlProfiles = loadedProfiles.compactMap(\.mappedXMLProfile)
        options.configuredBoilerplate = configuration.boilerplate
        options.boilerplateVetoes = configuration.boilerplateVetoes
        options.learnsBoilerplate = configuration.learnsBoilerplate
        let loader = AuditLoader(pseudonymizer: pseudonymizer, options: options, parallelism: jobs)
        let showProgress = !shared.quiet && Terminal.stderrIsTTY
        let started = Date()
        let loaded = try loader.load(paths: inputs, progress: showProgress ? { progress in
            Terminal.status(ProgressLine.describe(progress, since: started))
        } : nil)
        if showProgress { Terminal.status("linking patients and matching \(loaded.store.count) entries…") }
        let loadedAt = Date()

        let detector = ReEntryDetector(window: Int64(windowHours) * 3600)
        let linker = ProbabilisticLinker()
        var clock = SiteClock(timeZone: zone)
        // The analyst's period, from the first second of its first day to the last of its last, local time.
        var analystPeriod: ClosedRange<Int64>?
        if let days = period.flatMap(Self.days(of:)) {
            let first = clock.utc(fromLocal: days.first * 86_400), end = clock.utc(fromLocal: (days.last + 1) * 86_400)
            analystPeriod = first...(end - 1)
        }
        let analysis = Analysis(
            store: loaded.store, linker: linker, detector: detector, costModel: configuration.costModel, staffing: staffingTable,
            period: analystPeriod)
        let analyzedAt = Date()
        if showProgress { Terminal.clearStatus() }
        var settings = ReportSettings(
            toolVersion: Ressaisie.version, windowHours: windowHours, linkage: linker.name, matching: detector.name,
            timeZone: timeZone, ephemeralKey: pseudonymizer.isEphemeral, generatedAt: GenerationTime.now(),
            costModel: configuration.costModel)
        settings.boilerplate = loaded.boilerplate.boilerplate
        settings.boilerplateSample = (loaded.boilerplate.filesSampled, loaded.boilerplate.rowsSampled)
        // Sites' types and how they are compared: the settings file's, then audit.toml's.
        let auditFile = try unattended.audit.map { try AuditFile.load($0) }
        settings.siteProfiles = configuration.siteProfiles.merging(auditFile?.sites ?? [:]) { _, toml in toml }
        settings.comparison = auditFile?.comparison ?? configuration.comparison
        var quality = loaded.quality
        quality.republished += analysis.republished.count
        quality.interfaceCopies = analysis.interfaceCopies.count
        let input = ReportInput(
            metrics: analysis.metrics, quality: quality, linkage: analysis.linkage, settings: settings, clock: clock)

        // Every format goes through the one disclosure step; text and json keep exact counts.
        let disclosure = Disclosure(
            threshold: suppressBelow ?? configuration.threshold ?? Disclosure.defaultThreshold,
            minAuthorsPerProfession: configuration.minAuthorsPerProfession ?? Disclosure.defaultMinAuthorsPerProfession)
        let examples = evidence ? EvidenceExample.examples(groups: analysis.groups, store: loaded.store) : []
        let published = PublishedReport(
            input, disclosure: format == .text || format == .json ? disclosure.exactCounts : disclosure, evidence: examples)
        // Every output is staged (written whole to a temporary file) here and renamed by the caller's commit.
        switch format {
        case .text: try stageReport(TextReport.render(input, color: output == nil && Terminal.colorOnStdout), into: outputs)
        case .json: try stageReport(JSONReport.render(input, published: published), into: outputs)
        case .markdown: try stageReport(MarkdownReport.render(published, language: lang), into: outputs)
        case .html: try stageReport(HTMLReport.render(published, language: lang), into: outputs)
        case .csv: try outputs.stageFolder(TablesCSV.render(published, language: lang).map { ($0.name, $0.contents) }, to: output!)
        }
        if let groups {
            try outputs.stage(GroupsCSV.render(groups: analysis.groups, store: loaded.store, clock: clock), to: groups)
        }
        if timings {
            let ingest = loadedAt.timeIntervalSince(started), match = analyzedAt.timeIntervalSince(loadedAt)
            let render = Date().timeIntervalSince(analyzedAt)
            let megabytes = Double(loaded.quality.bytes) / 1_000_000
            StandardStreams.error(
                "timings: ingest \(ms(ingest)) ms (\(Int(megabytes / max(ingest, 1e-9))) MB/s, "
                    + "\(Int(Double(loaded.store.count) / max(ingest, 1e-9))) entries/s), link+match+metrics \(ms(match)) ms, "
                    + "report \(ms(render)) ms; \(loaded.store.count) entries, \(loaded.quality.bytes) bytes, "
                    + "\(analysis.groups.count) groups\n")
        }
        if !shared.quiet, loaded.quality.rowsRejected > 0 {
            let first = loaded.quality.rejections.first.map { " (first: \($0))" } ?? ""
            Terminal.warning("\(loaded.quality.rowsRejected) row(s) rejected\(first); see the data-quality section")
        }
        return analysis.metrics
    }
}
