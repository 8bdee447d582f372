import ArgumentParser
import Foundation
import RessaisieCore
import RessaisieIngest
import RessaisieReport

/// Which audit to read and how to match it: the options `analyze` and `review` share, so that a review
/// draws its pairs from exactly the groups the report counts.
struct AuditOptions: ParsableArguments {
    @Argument(help: "Export files or folders (default: the demo audit in Fixtures/demo).")
    var paths: [String] = []

    @Option(
        help: ArgumentHelp(
            "Settings file (JSON): cost model parameters, disclosure threshold, boilerplate.", valueName: "file"))
    var config: String?

    @Option(
        name: .customLong("profile"),
        help: ArgumentHelp(
            "A profile for vendor CSV exports (repeatable; applied to the files its globs match). "
                + "A profile beside an export (dui.profile.toml) is used without this option.",
            valueName: "file"))
    var profiles: [String] = []

    @OptionGroup var reading: ReadingOptions

    @Option(help: ArgumentHelp("Largest gap between two entries of one fact, in hours.", valueName: "hours"))
    var windowHours: Int = ReEntryDetector.defaultWindowHours

    @Option(
        help: ArgumentHelp(
            "Largest gap between a fact typed at one site and typed again at another site of the audit, in days (pathways across organizations).",
            valueName: "days"))
    var pathwayWindowDays: Int = PathwayDetector.defaultWindowDays

    @Option(help: ArgumentHelp("Files read at once (default: one per core).", valueName: "n"))
    var jobs: Int?

    @Option(
        help: ArgumentHelp(
            "Period behind per-month figures, first and last day included, for exports that declare none (default: the span of their plausible recorded times).",
            valueName: "YYYY-MM-DD..YYYY-MM-DD"))
    var period: String?

    @Option(
        help: ArgumentHelp(
            "Analyse only the sites of shard I of N, 0-based (0 ≤ I < N): those whose name's stable hash modulo N is I.",
            valueName: "I/N"))
    var shard: String?

    @Option(name: .customLong("site"), help: ArgumentHelp("Analyse only this site (repeatable).", valueName: "name"))
    var sites: [String] = []

    /// The sites `--shard` or `--site` select; nil: every site.
    var siteSelection: SiteSelection? {
        if let shard { return SiteSelection(shard: shard) }
        return sites.isEmpty ? nil : SiteSelection(.named(Set(sites)))
    }

    func validate() throws {
        if let shard {
            guard SiteSelection(shard: shard) != nil else {
                throw ValidationError(
                    "--shard: expected I/N with 0 ≤ I < N (0-based, as JOB_COMPLETION_INDEX gives it), found '\(shard)'"
                )
            }
            if !sites.isEmpty { throw ValidationError("give --shard or --site, not both") }
        }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        guard windowHours > 0 else { throw ValidationError("--window-hours must be a positive number of hours") }
        guard (1...366).contains(pathwayWindowDays) else {
            throw ValidationError("--pathway-window-days must be between 1 and 366")
        }
        if let period, DeclaredPeriod.parse(range: period) == nil {
            throw ValidationError(
                "--period: expected FIRST..LAST as YYYY-MM-DD..YYYY-MM-DD, the first not after the last")
        }
    }

    /// The inputs to read: the paths given, else the demo audit. Throws when one is missing.
    func inputs() throws -> [String] {
        var inputs = paths
        if inputs.isEmpty {
            guard let demo = DemoAudit.path() else {
                throw IngestError.notFound(
                    path: DemoAudit.relativePath + " (the demo audit; give export paths instead)")
            }
            inputs = [demo]
        }
        for path in inputs where !FileManager.default.fileExists(atPath: path) {
            throw IngestError.notFound(path: path)
        }
        return inputs
    }
}

/// One run of the pipeline on an audit (`AuditPipeline`, in RessaisieIngest) from the shared options: the
/// inputs, settings file, key and profiles loaded here, progress on the terminal. `analyze` renders it;
/// `review` samples its pairs.
struct AuditRun {
    let inputs: [String]
    let configuration: AuditConfig
    let pseudonymizer: Pseudonymizer
    let pipeline: AuditPipeline
    /// The time zone as the analyst named it (`--time-zone`), as the reports print it.
    let timeZoneName: String

    var options: IngestOptions { pipeline.options }
    var loaded: AuditLoader.Loaded { pipeline.loaded }
    var detector: ReEntryDetector { pipeline.detector }
    var linker: ProbabilisticLinker { pipeline.linker }
    var clock: SiteClock { pipeline.clock }
    var analysis: Analysis { pipeline.analysis }
    var started: Date { pipeline.started }
    var loadedAt: Date { pipeline.loadedAt }
    var analyzedAt: Date { pipeline.analyzedAt }

    /// `auditFile`: the `--audit` file (read from `auditPath`), whose sites' declared systems are read as such.
    init(
        _ audit: AuditOptions, shared: SharedOptions, staffing: Staffing? = nil, auditFile: AuditFile? = nil,
        auditPath: String? = nil
    ) throws {
        inputs = try audit.inputs()
        timeZoneName = audit.reading.timeZone
        configuration = try audit.config.map { try AuditConfig.load(path: $0) } ?? AuditConfig()
        pseudonymizer = try KeySource.pseudonymizer(keyFile: shared.keyFile, quiet: shared.quiet)
        var settings = AuditPipeline.Settings(inputs: inputs)
        settings.configuration = configuration
        settings.profiles = try audit.profiles.map { try Profile.load(path: $0) }
        settings.strict = audit.reading.strict
        settings.timeZone = TimeZone(identifier: audit.reading.timeZone)!
        settings.encoding = audit.reading.textEncoding
        settings.jobs = audit.jobs
        settings.windowHours = audit.windowHours
        settings.pathwayWindowDays = audit.pathwayWindowDays
        settings.period = audit.period.flatMap(DeclaredPeriod.parse(range:))
        settings.staffing = staffing
        settings.auditFile = auditFile
        settings.siteSelection = audit.siteSelection
        if let pairs = auditFile?.crossCategories?.pairs { settings.crossCategoryPairs = pairs }
        if let hours = auditFile?.crossCategories?.windowHours { settings.crossCategoryWindowHours = hours }
        do {
            settings.systems = try AuditConfig.declaredSystems(settings.siteProfiles)
        } catch let error as AuditConfig.ConfigError {
            throw AuditFile.LoadError(path: auditPath ?? audit.config ?? "audit.toml", reason: error.reason)
        }
        let showProgress = !shared.quiet && Terminal.stderrIsTTY
        let started = Date()
        pipeline = try AuditPipeline(
            settings, pseudonymizer: pseudonymizer,
            progress: showProgress ? { Terminal.status(ProgressLine.describe($0, since: started)) } : nil,
            matching: showProgress
                ? { Terminal.status("linking patients and matching \($0.store.count) entries…") } : nil)
        if showProgress { Terminal.clearStatus() }
    }
}

extension ReportSettings {
    /// How this run's figures were produced, as the reports print them: tool, window, linker and matcher,
    /// time zone, key, cost model, boilerplate, sites' types and how they are compared, and the review of a
    /// sample when there is one.
    init(_ run: AuditRun, review: ReviewEstimate?) {
        let settings = run.pipeline.settings
        self.init(
            toolVersion: Ressaisie.version, windowHours: settings.windowHours, linkage: run.linker.name,
            matching: run.detector.name, timeZone: run.timeZoneName,
            ephemeralKey: run.pseudonymizer.isEphemeral, generatedAt: GenerationTime.now(),
            costModel: run.configuration.costModel)
        boilerplate = run.loaded.boilerplate.boilerplate
        boilerplateSample = (run.loaded.boilerplate.filesSampled, run.loaded.boilerplate.rowsSampled)
        siteProfiles = settings.siteProfiles
        comparison = settings.comparison
        siteSelection = settings.siteSelection?.description
        self.review = review
    }
}
