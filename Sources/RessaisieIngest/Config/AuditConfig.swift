import Foundation
import RessaisieCore

/// The analyst's settings file (`--config FILE`, JSON): cost model parameters and disclosure rules.
/// Every key is optional; what is absent keeps its default.
///
/// ```json
/// {
///   "cost_model": {
///     "central": { "overhead_minutes": 0.8, "words_per_minute": 40,
///                  "overhead_minutes_by_category": { "note": 1.5 } },
///     "low": { "words_per_minute": 60 }, "high": { "overhead_minutes": 1.1 }
///   },
///   "disclosure": { "threshold": 11, "min_authors_per_profession": 5 },
///   "boilerplate": { "leading": ["Transmis par l'IDE :"], "trailing": ["(cf. dossier)"],
///                    "never": ["Patient"], "learn": true }
/// }
/// ```
public struct AuditConfig: Sendable, Equatable {
    public var costModel: CostModel = .default
    /// Counts below this are hidden in published formats.
    public var threshold: Int?
    public var minAuthorsPerProfession: Int?
    /// Phrases the analyst adds to those learned, phrases never to set aside, and whether to learn at all.
    public var boilerplate: [Boilerplate.Phrase] = []
    public var boilerplateVetoes: [String] = []
    public var learnsBoilerplate = true
    /// Sites' declared types, regions and vendors (`"sites": {"name": {"type": "ehpad"}}`), and how sites
    /// are compared (`"comparison": {"peers": "type", "min_sites": 5}`).
    public var siteProfiles: [String: SiteProfile] = [:]
    public var comparison = ComparisonSettings()

    public init() {}

    /// Reads and checks a settings file.
    public static func load(path: String) throws -> AuditConfig {
        guard FileManager.default.fileExists(atPath: path) else { throw IngestError.notFound(path: path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IngestError.unreadable(path: path, reason: "cannot open")
        }
        do {
            return try parse(data)
        } catch let error as ConfigError {
            throw IngestError.invalidFile(path: path, reason: error.reason)
        }
    }

    public struct ConfigError: Error, Equatable {
        public var reason: String
    }

    /// Parses a settings document; unknown keys are an error, so that a typo does not pass silently.
    public static func parse(_ data: Data) throws -> AuditConfig {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw ConfigError(reason: "not valid JSON")
        }
        guard let root = object as? [String: Any] else { throw ConfigError(reason: "expected a JSON object") }
        try checkKeys(root, allowed: ["cost_model", "disclosure", "boilerplate", "sites", "comparison"], at: "")
        var config = AuditConfig()
        if let model = root["cost_model"] {
            guard let model = model as? [String: Any] else {
                throw ConfigError(reason: "cost_model: expected an object")
            }
            try checkKeys(model, allowed: ["low", "central", "high"], at: "cost_model.")
            config.costModel.low = try scenario(model["low"], base: config.costModel.low, at: "cost_model.low")
            config.costModel.central = try scenario(
                model["central"], base: config.costModel.central, at: "cost_model.central")
            config.costModel.high = try scenario(model["high"], base: config.costModel.high, at: "cost_model.high")
        }
        if let disclosure = root["disclosure"] {
            guard let disclosure = disclosure as? [String: Any] else {
                throw ConfigError(reason: "disclosure: expected an object")
            }
            try checkKeys(disclosure, allowed: ["threshold", "min_authors_per_profession"], at: "disclosure.")
            config.threshold = try integer(disclosure["threshold"], at: "disclosure.threshold", minimum: 0)
            config.minAuthorsPerProfession = try integer(
                disclosure["min_authors_per_profession"], at: "disclosure.min_authors_per_profession", minimum: 1)
        }
        if let boilerplate = root["boilerplate"] {
            guard let boilerplate = boilerplate as? [String: Any] else {
                throw ConfigError(reason: "boilerplate: expected an object")
            }
            try checkKeys(boilerplate, allowed: ["leading", "trailing", "never", "learn"], at: "boilerplate.")
            for position in Boilerplate.Position.allCases {
                for text in try phrases(boilerplate[position.rawValue], at: "boilerplate.\(position.rawValue)") {
                    config.boilerplate.append(Boilerplate.Phrase(text: text, position: position))
                }
            }
            config.boilerplateVetoes = try phrases(boilerplate["never"], at: "boilerplate.never")
            if let learn = boilerplate["learn"] {
                guard isBoolean(learn), let learn = learn as? Bool else {
                    throw ConfigError(reason: "boilerplate.learn: expected true or false")
                }
                config.learnsBoilerplate = learn
            }
        }
        if let sites = root["sites"] {
            guard let sites = sites as? [String: Any] else {
                throw ConfigError(reason: "sites: expected an object of sites")
            }
            for (name, value) in sites {
                guard let site = value as? [String: Any] else {
                    throw ConfigError(reason: "sites.\(name): expected an object")
                }
                try checkKeys(site, allowed: ["type", "region", "vendor", "systems"], at: "sites.\(name).")
                for key in ["type", "region", "vendor"] where site[key] != nil && !(site[key] is String) {
                    throw ConfigError(reason: "sites.\(name).\(key): expected a string")
                }
                config.siteProfiles[name] = try siteProfile(
                    type: site["type"] as? String, region: site["region"] as? String, vendor: site["vendor"] as? String,
                    at: "sites.\(name)")
                if let systems = site["systems"] {
                    guard let systems = systems as? [String: Any] else {
                        throw ConfigError(reason: "sites.\(name).systems: expected an object of systems")
                    }
                    var declared: [(system: String, kind: String?, purpose: String?)] = []
                    for system in systems.keys.sorted() {
                        guard let fields = systems[system] as? [String: Any] else {
                            throw ConfigError(reason: "sites.\(name).systems.\(system): expected an object")
                        }
                        try checkKeys(fields, allowed: ["purpose", "kind"], at: "sites.\(name).systems.\(system).")
                        for key in ["purpose", "kind"] where fields[key] != nil && !(fields[key] is String) {
                            throw ConfigError(reason: "sites.\(name).systems.\(system).\(key): expected a string")
                        }
                        declared.append((system, fields["kind"] as? String, fields["purpose"] as? String))
                    }
                    let (declaredSystems, purposes) = try systemDeclarations(declared, at: "sites.\(name).systems")
                    config.siteProfiles[name]?.systems = declaredSystems
                    config.siteProfiles[name]?.systemPurposes = purposes
                }
            }
        }
        if let comparison = root["comparison"] {
            guard let comparison = comparison as? [String: Any] else {
                throw ConfigError(reason: "comparison: expected an object")
            }
            try checkKeys(comparison, allowed: ["peers", "min_sites"], at: "comparison.")
            config.comparison = try comparisonSettings(
                peers: comparison["peers"].map { $0 as? String ?? "" },
                minimumSites: integer(comparison["min_sites"], at: "comparison.min_sites", minimum: 1))
        }
        return config
    }

    /// A site's declared profile, its type checked against the known ones.
    public static func siteProfile(type: String?, region: String?, vendor: String?, at path: String) throws
        -> SiteProfile
    {
        var profile = SiteProfile(region: region, vendor: vendor)
        if let type { profile.kind = try choice(type, at: "\(path).type") }
        return profile
    }

    /// A site's systems as declared (`systems.DUI.purpose = "care_coordination"`, `systems.cahier.kind =
    /// "other"`): any name is a system (`DPI`, `DUI`, `SIP` of their own kind; another name of the kind
    /// declared, `other` by default), kinds checked against `SystemKind`, purposes against
    /// `SystemPurpose.declarable` (a value the tool does not know is an error, never a guess).
    public static func systemDeclarations(
        _ declared: [(system: String, kind: String?, purpose: String?)], at path: String
    ) throws -> (systems: [InformationSystem], purposes: [InformationSystem: SystemPurpose]) {
        // `systems`: those beyond DPI, DUI and SIP, which the declaration makes known.
        var systems: [InformationSystem] = [], purposes: [InformationSystem: SystemPurpose] = [:]
        for (name, kindText, purposeText) in declared {
            guard var system = InformationSystem(reading: name) else {
                throw ConfigError(reason: "\(path).\(name): a system needs a name")
            }
            if let kindText {
                guard let kind = SystemKind(name: kindText) else {
                    throw ConfigError(
                        reason: "\(path).\(name).kind: '\(kindText)' is not one of "
                            + SystemKind.allCases.map(\.name).joined(separator: ", "))
                }
                if system.kind != .other, kind != system.kind {
                    throw ConfigError(
                        reason: "\(path).\(name).kind: '\(kindText)' is not \(system.name)'s kind (\(system.kind.name))"
                    )
                }
                system.kind = kind
            }
            if !InformationSystem.named.contains(system) { systems.append(system) }
            guard let purposeText else { continue }
            guard let purpose = SystemPurpose(rawValue: purposeText), purpose != .notDeclared else {
                throw ConfigError(
                    reason: "\(path).\(name).purpose: '\(purposeText)' is not one of "
                        + SystemPurpose.declarable.map(\.name).joined(separator: ", "))
            }
            purposes[system] = purpose
        }
        return (systems, purposes)
    }

    /// The systems declared across sites beyond `DPI`, `DUI` and `SIP`, sorted by name; one name declared
    /// with two kinds is an error (a name means one system throughout an audit).
    public static func declaredSystems(_ profiles: [String: SiteProfile]) throws -> [InformationSystem] {
        var byKey: [String: InformationSystem] = [:]
        for site in profiles.keys.sorted() {
            for system in profiles[site]!.systems where !InformationSystem.named.contains(system) {
                let key = InformationSystem.lookupKey(system.name)
                if let known = byKey[key], known.kind != system.kind {
                    throw ConfigError(
                        reason:
                            "sites.\(site).systems.\(system.name).kind: '\(system.kind.name)' but '\(known.kind.name)' "
                            + "at another site (a name means one system throughout an audit)")
                }
                byKey[key] = byKey[key] ?? system
            }
        }
        return byKey.values.sorted { $0.name < $1.name }
    }

    /// How sites are compared: `peers` one of type, region, vendor, all; `min_sites` at least 1.
    public static func comparisonSettings(peers: String?, minimumSites: Int?) throws -> ComparisonSettings {
        var settings = ComparisonSettings()
        if let peers { settings.peers = try choice(peers, at: "comparison.peers") }
        if let minimumSites { settings.minimumSites = minimumSites }
        return settings
    }

    /// The case `value` names, or the error listing the cases.
    private static func choice<Choice: RawRepresentable & CaseIterable>(_ value: String, at path: String) throws
        -> Choice where Choice.RawValue == String
    {
        guard let parsed = Choice(rawValue: value) else {
            throw ConfigError(
                reason: "\(path): '\(value)' is not one of " + Choice.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return parsed
    }

    /// A list of phrases, each with at least one letter or digit once folded.
    static func phrases(_ value: Any?, at path: String) throws -> [String] {
        guard let value else { return [] }
        guard let list = value as? [Any] else { throw ConfigError(reason: "\(path): expected a list of phrases") }
        return try list.enumerated().map { index, item in
            guard let text = item as? String, !Boilerplate.foldedWords(text).isEmpty else {
                throw ConfigError(reason: "\(path)[\(index)]: expected a phrase with at least one letter or digit")
            }
            return text
        }
    }

    static func scenario(_ value: Any?, base: CostModel.Scenario, at path: String) throws -> CostModel.Scenario {
        guard let value else { return base }
        guard let object = value as? [String: Any] else { throw ConfigError(reason: "\(path): expected an object") }
        try checkKeys(
            object, allowed: ["overhead_minutes", "words_per_minute", "overhead_minutes_by_category"], at: path + ".")
        var scenario = base
        if let overhead = try number(object["overhead_minutes"], at: path + ".overhead_minutes", positive: false) {
            scenario.defaultOverhead = overhead
        }
        if let speed = try number(object["words_per_minute"], at: path + ".words_per_minute", positive: true) {
            scenario.wordsPerMinute = speed
        }
        if let byCategory = object["overhead_minutes_by_category"] {
            guard let byCategory = byCategory as? [String: Any] else {
                throw ConfigError(reason: "\(path).overhead_minutes_by_category: expected an object")
            }
            for (category, minutes) in byCategory {
                scenario.overheadMinutes[category] = try number(
                    minutes, at: "\(path).overhead_minutes_by_category.\(category)", positive: false)
            }
        }
        return scenario
    }

    static func number(_ value: Any?, at path: String, positive: Bool) throws -> Double? {
        guard let value else { return nil }
        guard let number = value as? NSNumber, !isBoolean(value), number.doubleValue.isFinite,
            positive ? number.doubleValue > 0 : number.doubleValue >= 0
        else { throw ConfigError(reason: "\(path): expected a \(positive ? "positive" : "non-negative") number") }
        return number.doubleValue
    }

    static func integer(_ value: Any?, at path: String, minimum: Int) throws -> Int? {
        guard let value else { return nil }
        guard let number = value as? NSNumber, !isBoolean(value), number.doubleValue == number.doubleValue.rounded(),
            number.intValue >= minimum
        else { throw ConfigError(reason: "\(path): expected a whole number ≥ \(minimum)") }
        return number.intValue
    }

    /// Whether a parsed JSON value is `true` or `false`. `value is Bool` also holds for the numbers 0 and 1
    /// (NSNumber bridges to Bool), which refused `"overhead_minutes": 1`; a JSON boolean is the one
    /// NSNumber whose type is a C `char`.
    static func isBoolean(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return value is Bool }
        return String(cString: number.objCType) == "c" || type(of: value) == Bool.self
    }

    static func checkKeys(_ object: [String: Any], allowed: Set<String>, at path: String) throws {
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw ConfigError(
                reason: "unknown setting '\(path)\(unknown)' (known: \(allowed.sorted().joined(separator: ", ")))")
        }
    }
}
