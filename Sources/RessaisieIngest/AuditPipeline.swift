import Foundation
import RessaisieCore

/// One run of the pipeline on an audit, exactly as `ressaisie analyze` and `review` run it: read every export
/// (learning its boilerplate), link the patients with the tool's linker, find the duplicate groups and compute
/// the metrics. The command line parses options into `Settings`, calls this, and renders; a test or another
/// program gets the same figures by calling it too (docs/DESIGN.md, "Pipeline").
public struct AuditPipeline: Sendable {
    /// What to read and how to match it: `analyze`'s options, parsed and loaded.
    public struct Settings: Sendable {
        /// Export files or folders, all present.
        public var inputs: [String]
        /// The settings file (`--config`): cost model, disclosure threshold, boilerplate.
        public var configuration = AuditConfig()
        /// Vendor profiles (`--profile`), CSV and mapped XML.
        public var profiles: [Profile] = []
        public var strict = false
        /// Time zone of times written without an offset.
        public var timeZone = TimeZone(identifier: SiteClock.defaultTimeZoneIdentifier)!
        /// Encoding of the exports; nil: detected per file.
        public var encoding: TextEncoding?
        /// Files read at once; nil: one per core.
        public var jobs: Int?
        public var windowHours = ReEntryDetector.defaultWindowHours
        /// Largest gap between a fact typed at one site and typed again at another (`PathwayDetector`).
        public var pathwayWindowDays = PathwayDetector.defaultWindowDays
        /// The pairs of categories compared for facts re-typed into another category, and their window
        /// (`CrossCategoryDetector`); `[cross_categories]` of the audit file when it says them.
        public var crossCategoryPairs = CrossCategoryDetector.defaultPairs
        public var crossCategoryWindowHours = CrossCategoryDetector.defaultWindowHours
        /// The analyst's period (`--period`): first and last day, local time, included.
        public var period: DeclaredPeriod?
        public var staffing: Staffing?
        /// The audit configuration (`--audit`, audit.toml), for its sites' types, regions and vendors and how
        /// sites are compared.
        public var auditFile: AuditFile?
        /// Systems declared beyond `DPI`, `DUI` and `SIP` (`AuditConfig.declaredSystems`): recognized in file
        /// and folder names, with their declared kind.
        public var systems: [InformationSystem] = []
        /// Only these sites are analysed (`--shard`, `--site`); nil: every site.
        public var siteSelection: SiteSelection?

        public init(inputs: [String]) { self.inputs = inputs }

        /// Sites' types, regions and vendors: the settings file's, then audit.toml's (which wins for a site
        /// both name).
        public var siteProfiles: [String: SiteProfile] {
            configuration.siteProfiles.merging(auditFile?.sites ?? [:]) { _, toml in toml }
        }

        /// How sites are compared: audit.toml's, else the settings file's.
        public var comparison: ComparisonSettings { auditFile?.comparison ?? configuration.comparison }
    }

    public let settings: Settings
    public let options: IngestOptions
    public let loaded: AuditLoader.Loaded
    public let detector: ReEntryDetector
    public let linker: ProbabilisticLinker
    public let clock: SiteClock
    public let analysis: Analysis
    /// Facts re-typed from one site to another, beside the per-site analysis (whose figures it leaves as
    /// they are); its flows are filed in `metrics.pathways`.
    public let pathways: PathwayDetector.Result
    /// Facts re-typed into another category at one site, beside the per-site analysis (whose figures it leaves
    /// as they are); its flows are filed in `metrics.crossCategories`.
    public let crossCategories: CrossCategoryDetector.Result
    /// The analysis's metrics with the purposes the analyst declared for each site's systems filed (for whom
    /// information is typed again: `AuditMetrics.fileSystemPurposes`): the figures the reports show.
    public let metrics: AuditMetrics
    /// When reading started, when it ended, and when linking, matching and metrics ended.
    public let started: Date
    public let loadedAt: Date
    /// When the per-site analysis ended, and the pathways after it (the cross-category pass ends at `analyzedAt`).
    public let perSiteAt: Date
    public let pathwaysAt: Date
    public let analyzedAt: Date

    /// Runs the pipeline. `progress` is told how reading goes; `matching`, once reading is done.
    public init(
        _ settings: Settings, pseudonymizer: Pseudonymizer, progress: ((AuditLoader.Progress) -> Void)? = nil,
        matching: ((AuditLoader.Loaded) -> Void)? = nil
    ) throws {
        self.settings = settings
        var options = IngestOptions(strict: settings.strict, timeZone: settings.timeZone, encoding: settings.encoding)
        options.csvProfiles = settings.profiles.filter { $0.xml == nil }
        options.xmlProfiles = settings.profiles.compactMap(\.mappedXMLProfile)
        options.configuredBoilerplate = settings.configuration.boilerplate
        options.boilerplateVetoes = settings.configuration.boilerplateVetoes
        options.learnsBoilerplate = settings.configuration.learnsBoilerplate
        options.systems = settings.systems
        options.siteSelection = settings.siteSelection
        self.options = options
        let loader = AuditLoader(pseudonymizer: pseudonymizer, options: options, parallelism: settings.jobs)
        started = Date()
        loaded = try loader.load(paths: settings.inputs, progress: progress)
        matching?(loaded)
        loadedAt = Date()

        detector = ReEntryDetector(window: Int64(settings.windowHours) * 3600)
        linker = ProbabilisticLinker()
        var clock = SiteClock(timeZone: settings.timeZone)
        // The analyst's period, from the first second of its first day to the last of its last, local time.
        let analystPeriod = settings.period?.utc(on: &clock)
        self.clock = clock
        analysis = Analysis(
            store: loaded.store, linker: linker, detector: detector, costModel: settings.configuration.costModel,
            staffing: settings.staffing, period: analystPeriod, timeZone: settings.timeZone)
        var metrics = analysis.metrics
        metrics.fileSystemPurposes(settings.siteProfiles)
        perSiteAt = Date()
        pathways = PathwayDetector(windowDays: settings.pathwayWindowDays).detect(
            in: loaded.store, linkage: analysis.linkage, groups: analysis.groups,
            setAside: analysis.republished + analysis.interfaceCopies.map(\.copy))
        metrics.pathways = pathways.flows
        metrics.pathwayWindowDays = settings.pathwayWindowDays
        pathwaysAt = Date()
        let crossDetector = CrossCategoryDetector(
            pairs: settings.crossCategoryPairs, windowHours: settings.crossCategoryWindowHours)
        crossCategories = crossDetector.detect(
            in: loaded.store, linkage: analysis.linkage, groups: analysis.groups,
            setAside: analysis.republished + analysis.interfaceCopies.map(\.copy))
        metrics.crossCategories = crossCategories.flows
        metrics.crossCategoryPairs = settings.crossCategoryPairs
        metrics.crossCategoryWindowHours = settings.crossCategoryWindowHours
        self.metrics = metrics
        analyzedAt = Date()
    }

    /// The data quality of ingest, completed by detection: records exported again and interface copies
    /// (set aside, not counted as re-entries).
    public var quality: DataQuality {
        var quality = loaded.quality
        quality.republished += analysis.republished.count
        quality.interfaceCopies = analysis.interfaceCopies.count
        return quality
    }
}
