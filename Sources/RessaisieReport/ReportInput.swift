import RessaisieCore

/// How the figures were produced, printed with them so that they can be defended.
public struct ReportSettings: Sendable {
    public var toolVersion: String
    public var windowHours: Int
    public var linkage: String
    public var matching: String
    public var timeZone: String
    /// True when no key file was given and pseudonyms are valid for this run only.
    public var ephemeralKey: Bool
    /// UTC seconds of generation (honours `SOURCE_DATE_EPOCH` upstream), nil to omit.
    public var generatedAt: Int64?
    public var costModel: CostModel
    /// Phrases set aside around labels and texts (learned and configured), and what they were learned from.
    public var boilerplate: Boilerplate = .none
    public var boilerplateSample = (files: 0, rows: 0)
    /// Sites' declared types, regions and vendors, and how sites are compared.
    public var siteProfiles: [String: SiteProfile] = [:]
    public var comparison = ComparisonSettings()
    /// What a review of a sample of pairs (`analyze --review`) says of the counts; nil when they were not
    /// reviewed (the reports then quote `TestedAccuracy`).
    public var review: ReviewEstimate?
    /// The sites this run analysed when not all (`--shard`, `--site`), as said (`shard 3/8 (0-based)`).
    public var siteSelection: String?

    public init(
        toolVersion: String, windowHours: Int, linkage: String, matching: String, timeZone: String,
        ephemeralKey: Bool, generatedAt: Int64?, costModel: CostModel = .default
    ) {
        self.toolVersion = toolVersion
        self.windowHours = windowHours
        self.linkage = linkage
        self.matching = matching
        self.timeZone = timeZone
        self.ephemeralKey = ephemeralKey
        self.generatedAt = generatedAt
        self.costModel = costModel
    }
}

/// Everything a renderer shows: computed metrics, data quality and settings. Renderers format; they
/// never compute a metric.
public struct ReportInput: Sendable {
    public var metrics: AuditMetrics
    public var quality: DataQuality
    public var linkage: PatientLinkage
    public var settings: ReportSettings
    public var clock: SiteClock

    public init(
        metrics: AuditMetrics, quality: DataQuality, linkage: PatientLinkage, settings: ReportSettings, clock: SiteClock
    ) {
        self.metrics = metrics
        self.quality = quality
        self.linkage = linkage
        self.settings = settings
        self.clock = clock
    }
}
