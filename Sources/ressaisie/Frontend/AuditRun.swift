import ArgumentParser
import Foundation
import RessaisieCore
import RessaisieIngest

/// Which audit to read and how to match it: the options `analyze` and `review` share, so that a review
/// draws its pairs from exactly the groups the report counts.
struct AuditOptions: ParsableArguments {
    @Argument(help: "Export files or folders (default: the demo audit in Fixtures/demo).")
    var paths: [String] = []

    @Option(help: ArgumentHelp("Settings file (JSON): cost model parameters, disclosure threshold, boilerplate.", valueName: "file"))
    var config: String?

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

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
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

    /// The inputs to read: the paths given, else the demo audit. Throws when one is missing.
    func inputs() throws -> [String] {
        var inputs = paths
        if inputs.isEmpty {
            guard let demo = DemoAudit.path() else {
                throw IngestError.notFound(path: DemoAudit.relativePath + " (the demo audit; give export paths instead)")
            }
            inputs = [demo]
        }
        for path in inputs where !FileManager.default.fileExists(atPath: path) { throw IngestError.notFound(path: path) }
        return inputs
    }
}

/// One run of the pipeline on an audit: read every export (learning its boilerplate), link the patients,
/// find the duplicate groups and compute the metrics. `analyze` renders it; `review` samples its pairs.
struct AuditRun {
    let inputs: [String]
    let configuration: AuditConfig
    let pseudonymizer: Pseudonymizer
    let options: IngestOptions
    let loaded: AuditLoader.Loaded
    let detector: ReEntryDetector
    let linker: ProbabilisticLinker
    let clock: SiteClock
    let analysis: Analysis
    /// When reading ended and when linking, matching and metrics ended.
    let started: Date
    let loadedAt: Date
    let analyzedAt: Date

    init(_ audit: AuditOptions, shared: SharedOptions, staffing: Staffing? = nil) throws {
        inputs = try audit.inputs()
        configuration = try audit.config.map { try AuditConfig.load(path: $0) } ?? AuditConfig()
        pseudonymizer = try KeySource.pseudonymizer(keyFile: shared.keyFile, quiet: shared.quiet)
        let zone = TimeZone(identifier: audit.timeZone)!
        var options = IngestOptions(strict: audit.strict, timeZone: zone, encoding: audit.encoding.flatMap(TextEncoding.init(name:)))
        let loadedProfiles = try audit.profiles.map { try Profile.load(path: $0) }
        options.csvProfiles = loadedProfiles.filter { $0.xml == nil }
        options.xmlProfiles = loadedProfiles.compactMap(\.mappedXMLProfile)
        options.configuredBoilerplate = configuration.boilerplate
        options.boilerplateVetoes = configuration.boilerplateVetoes
        options.learnsBoilerplate = configuration.learnsBoilerplate
        self.options = options
        let loader = AuditLoader(pseudonymizer: pseudonymizer, options: options, parallelism: audit.jobs)
        let showProgress = !shared.quiet && Terminal.stderrIsTTY
        let started = Date()
        self.started = started
        loaded = try loader.load(paths: inputs, progress: showProgress ? { progress in
            Terminal.status(ProgressLine.describe(progress, since: started))
        } : nil)
        if showProgress { Terminal.status("linking patients and matching \(loaded.store.count) entries…") }
        loadedAt = Date()

        detector = ReEntryDetector(window: Int64(audit.windowHours) * 3600)
        linker = ProbabilisticLinker()
        var clock = SiteClock(timeZone: zone)
        // The analyst's period, from the first second of its first day to the last of its last, local time.
        var analystPeriod: ClosedRange<Int64>?
        if let days = audit.period.flatMap(AuditOptions.days(of:)) {
            let first = clock.utc(fromLocal: days.first * 86_400), end = clock.utc(fromLocal: (days.last + 1) * 86_400)
            analystPeriod = first...(end - 1)
        }
        self.clock = clock
        analysis = Analysis(
            store: loaded.store, linker: linker, detector: detector, costModel: configuration.costModel, staffing: staffing,
            period: analystPeriod, timeZone: zone)
        analyzedAt = Date()
        if showProgress { Terminal.clearStatus() }
    }
}
