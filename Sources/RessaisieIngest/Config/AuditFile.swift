import Foundation
import RessaisieCore

/// `audit.toml`: what a nightly run reads, writes and keeps, so the crontab line stays short.
///
/// Relative paths are relative to the folder of the file, so the audit folder can move. Unknown keys are
/// an error (a typo in a cron job's config must fail loudly, not be ignored). Every value can be overridden
/// on the command line.
public struct AuditFile: Equatable, Sendable {
    public struct Inputs: Equatable, Sendable {
        public var paths: [String]?
        public var timeZone: String?
        public var strict: Bool?
        public var jobs: Int?
        public var encoding: String?
        public var profiles: [String]?
    }

    public struct Privacy: Equatable, Sendable {
        public var keyFile: String?
    }

    public struct Matching: Equatable, Sendable {
        public var windowHours: Int?
    }

    /// `[cross_categories]`: the pairs of categories compared for facts re-typed into another category
    /// (`"note<->administrative"` both ways, `"vital_sign->note"` one way) and their window.
    public struct CrossCategories: Equatable, Sendable {
        public var pairs: [CrossCategoryDetector.CategoryPair]?
        public var windowHours: Int?
    }

    public struct Outputs: Equatable, Sendable {
        public var format: String?
        public var report: String?
        public var groups: String?
        public var lang: String?
        /// The JSON settings file of `--config` (cost model, disclosure threshold).
        public var settings: String?
        public var staffing: String?
        public var suppressBelow: Int?
        public var evidence: Bool?
    }

    public struct History: Equatable, Sendable {
        /// A SQLite file.
        public var database: String?
        public var waitSeconds: Int?
        /// A PostgreSQL database (`postgres://USER@HOST:PORT/DATABASE`), instead of `database`.
        public var url: String? = nil
        /// The file whose first line is the PostgreSQL password.
        public var passwordFile: String? = nil

        /// The history this section names: `url` as it is, else `database` resolved against the audit's folder.
        public func location(in config: AuditFile) -> String? { url ?? config.resolve(database) }
    }

    public struct Logging: Equatable, Sendable {
        public var format: String?
        public var quiet: Bool?
    }

    public var inputs: Inputs?
    public var privacy: Privacy?
    public var matching: Matching?
    public var crossCategories: CrossCategories?
    public var outputs: Outputs?
    public var history: History?
    public var logging: Logging?
    /// `[sites."name"]`: each site's type (hospital, ehpad, msp, home_care, other), region and vendor.
    public var sites: [String: SiteProfile] = [:]
    /// `[comparison]`: `peers` (type, region, vendor, all) and `min_sites`.
    public var comparison: ComparisonSettings?

    /// A missing file (66) or an invalid one (64), with the file and, for syntax errors, line and column.
    public struct LoadError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var notFound = false
        public var description: String { "\(path): \(reason)" }
        /// The kind of failure, which the command line maps to its exit status.
        public var failure: InputFailure { notFound ? .missing : .invalidSetting }

        public init(path: String, reason: String, notFound: Bool = false) {
            self.path = path
            self.reason = reason
            self.notFound = notFound
        }
    }

    /// The folder relative paths are resolved against.
    public var baseFolder = ""

    public init() {}

    public static func load(_ path: String) throws(LoadError) -> AuditFile {
        guard FileManager.default.fileExists(atPath: path) else {
            throw LoadError(path: path, reason: "no such audit configuration", notFound: true)
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw LoadError(path: path, reason: "cannot read the audit configuration (UTF-8 expected)")
        }
        var config = try parse(text, path: path)
        config.baseFolder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return config
    }

    /// Reads the file's text: TOML syntax first (line and column), then unknown keys (all named), then types.
    public static func parse(_ text: String, path: String) throws(LoadError) -> AuditFile {
        let table: TOMLTable
        do {
            table = try TOMLReader.parse(text)
        } catch {
            throw LoadError(path: path, reason: "line \(error.line), column \(error.column): \(error.reason)")
        }
        let schema: [String: Set<String>] = [
            "inputs": ["paths", "time_zone", "strict", "jobs", "encoding", "profiles"],
            "privacy": ["key_file"],
            "matching": ["window_hours"],
            "cross_categories": ["pairs", "window_hours"],
            "outputs": ["format", "report", "groups", "lang", "settings", "staffing", "suppress_below", "evidence"],
            "history": ["database", "wait_seconds", "url", "password_file"],
            "logging": ["format", "quiet"],
            "comparison": ["peers", "min_sites"],
        ]
        var unknown: [String] = []
        var config = AuditFile()
        if let sites = table["sites"] {
            guard let sites = sites.table else {
                throw LoadError(path: path, reason: "sites: expected a table of sites")
            }
            for (name, value) in sites {
                guard let site = value.table else {
                    throw LoadError(path: path, reason: "sites.\(name): expected a table")
                }
                unknown += site.keys.filter { !["type", "region", "vendor", "systems"].contains($0) }.map {
                    "sites.\(name).\($0)"
                }
                var fields: [String: String] = [:]
                for key in ["type", "region", "vendor"] {
                    guard let field = site[key] else { continue }
                    guard let text = field.string else {
                        throw LoadError(
                            path: path, reason: "sites.\(name).\(key): expected a string, found \(field.kindName)")
                    }
                    fields[key] = text
                }
                let (declared, unknownKeys) = try systemPurposes(site["systems"], site: name, path: path)
                unknown += unknownKeys
                try checked(path, locatingIn: text) {
                    config.sites[name] = try AuditConfig.siteProfile(
                        type: fields["type"], region: fields["region"], vendor: fields["vendor"], at: "sites.\(name)")
                    let (systems, purposes) = try AuditConfig.systemDeclarations(declared, at: "sites.\(name).systems")
                    config.sites[name]?.systems = systems
                    config.sites[name]?.systemPurposes = purposes
                }
            }
        }
        for (name, value) in table where name != "sites" {
            guard let keys = schema[name] else {
                unknown.append(name)
                continue
            }
            guard let section = value.table else { throw LoadError(path: path, reason: "\(name): expected a table") }
            unknown += section.keys.filter { !keys.contains($0) }.map { "\(name).\($0)" }
        }
        if !unknown.isEmpty {
            throw LoadError(path: path, reason: "unknown key(s): \(unknown.sorted().joined(separator: ", "))")
        }

        let reader = SectionReader(table: table, path: path)
        if reader.has("comparison") {
            config.comparison = try checked(path) {
                try AuditConfig.comparisonSettings(
                    peers: reader.string("comparison", "peers"), minimumSites: reader.int("comparison", "min_sites"))
            }
            if let minimum = config.comparison?.minimumSites, minimum < 1 {
                throw LoadError(path: path, reason: "comparison.min_sites: expected a whole number ≥ 1")
            }
        }
        if reader.has("inputs") {
            config.inputs = try Inputs(
                paths: reader.strings("inputs", "paths"), timeZone: reader.string("inputs", "time_zone"),
                strict: reader.bool("inputs", "strict"), jobs: reader.int("inputs", "jobs"),
                encoding: reader.string("inputs", "encoding"), profiles: reader.strings("inputs", "profiles"))
        }
        if reader.has("privacy") { config.privacy = try Privacy(keyFile: reader.string("privacy", "key_file")) }
        if reader.has("matching") {
            config.matching = try Matching(windowHours: reader.int("matching", "window_hours"))
        }
        if reader.has("cross_categories") {
            config.crossCategories = try crossCategories(reader, path: path)
        }
        if reader.has("outputs") {
            config.outputs = try Outputs(
                format: reader.string("outputs", "format"), report: reader.string("outputs", "report"),
                groups: reader.string("outputs", "groups"), lang: reader.string("outputs", "lang"),
                settings: reader.string("outputs", "settings"), staffing: reader.string("outputs", "staffing"),
                suppressBelow: reader.int("outputs", "suppress_below"), evidence: reader.bool("outputs", "evidence"))
        }
        if reader.has("history") {
            config.history = try History(
                database: reader.string("history", "database"), waitSeconds: reader.int("history", "wait_seconds"),
                url: reader.string("history", "url"), passwordFile: reader.string("history", "password_file"))
            if config.history?.database != nil, config.history?.url != nil {
                throw LoadError(
                    path: path, reason: "history: give database (a SQLite file) or url (PostgreSQL), not both")
            }
            if let url = config.history?.url, !(url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")) {
                throw LoadError(path: path, reason: "history.url: expected postgres://USER@HOST:PORT/DATABASE")
            }
        }
        if reader.has("logging") {
            config.logging = try Logging(
                format: reader.string("logging", "format"), quiet: reader.bool("logging", "quiet"))
        }
        return config
    }

    /// `[sites."name".systems.DUI]` `purpose = "…"`, `[sites."name".systems.cahier]` `kind = "other"`: the
    /// declared (system, kind, purpose), and the unknown keys.
    private static func systemPurposes(_ value: TOMLValue?, site name: String, path: String) throws(LoadError) -> (
        [(system: String, kind: String?, purpose: String?)], [String]
    ) {
        guard let value else { return ([], []) }
        guard let systems = value.table else {
            throw LoadError(path: path, reason: "sites.\(name).systems: expected a table of systems")
        }
        var declared: [(system: String, kind: String?, purpose: String?)] = [], unknown: [String] = []
        for (system, fields) in systems {
            guard let fields = fields.table else {
                throw LoadError(path: path, reason: "sites.\(name).systems.\(system): expected a table")
            }
            unknown += fields.keys.filter { $0 != "purpose" && $0 != "kind" }.map {
                "sites.\(name).systems.\(system).\($0)"
            }
            var texts: [String: String] = [:]
            for key in ["kind", "purpose"] {
                guard let field = fields[key] else { continue }
                guard let text = field.string else {
                    throw LoadError(
                        path: path,
                        reason: "sites.\(name).systems.\(system).\(key): expected a string, found \(field.kindName)")
                }
                texts[key] = text
            }
            declared.append((system, texts["kind"], texts["purpose"]))
        }
        return (declared, unknown)
    }

    /// The 1-based line of the first place `word` stands in `text` as a whole key or value (comments aside).
    static func line(of word: String, in text: String) -> Int? {
        let separators = Set(" \t.[]=\"'{},")
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            if code.split(whereSeparator: { separators.contains($0) }).contains(where: { $0 == word }) {
                return index + 1
            }
        }
        return nil
    }

    /// Runs one of `AuditConfig`'s checks (shared with the settings file) on values of audit.toml: the one
    /// place its `ConfigError` becomes a `LoadError` of this file, said where it is when `text` is given (the
    /// line of the value the error names, when one holds it); a `LoadError` of reading the values goes through
    /// as it is.
    private static func checked<T>(_ path: String, locatingIn text: String? = nil, _ check: () throws -> T)
        throws(LoadError) -> T
    {
        do {
            return try check()
        } catch let error as LoadError {
            throw error
        } catch {
            let reason = (error as? AuditConfig.ConfigError)?.reason ?? "\(error)"
            let culprit = reason.split(separator: "'").dropFirst().first.map(String.init)
            let line = text.flatMap { text in culprit.flatMap { Self.line(of: $0, in: text) } }
            throw LoadError(path: path, reason: (line.map { "line \($0): " } ?? "") + reason)
        }
    }

    /// Typed reads of `section.key`, with `section.key: expected …, found …` when the type is wrong.
    private struct SectionReader {
        let table: TOMLTable
        let path: String

        func has(_ section: String) -> Bool { table[section] != nil }

        func value(_ section: String, _ key: String) -> TOMLValue? { table[section]?.table?[key] }

        func mismatch(_ section: String, _ key: String, _ expected: String, _ found: TOMLValue) -> LoadError {
            LoadError(path: path, reason: "\(section).\(key): expected \(expected), found \(found.kindName)")
        }

        func string(_ section: String, _ key: String) throws(LoadError) -> String? {
            guard let value = value(section, key) else { return nil }
            guard let string = value.string else { throw mismatch(section, key, "a string", value) }
            return string
        }

        func int(_ section: String, _ key: String) throws(LoadError) -> Int? {
            guard let value = value(section, key) else { return nil }
            guard let int = value.int else { throw mismatch(section, key, "an integer", value) }
            return int
        }

        func bool(_ section: String, _ key: String) throws(LoadError) -> Bool? {
            guard let value = value(section, key) else { return nil }
            guard let bool = value.bool else { throw mismatch(section, key, "a boolean", value) }
            return bool
        }

        func strings(_ section: String, _ key: String) throws(LoadError) -> [String]? {
            guard let value = value(section, key) else { return nil }
            guard let array = value.array else { throw mismatch(section, key, "an array of strings", value) }
            var strings: [String] = []
            for item in array {
                guard let string = item.string else { throw mismatch(section, key, "an array of strings", item) }
                strings.append(string)
            }
            return strings
        }
    }

    /// `[cross_categories]`: each pair `from->to` or `a<->b`, of two categories (canonical ones, or
    /// `unspecified`), and a window of 1 hour to 366 days.
    private static func crossCategories(_ reader: SectionReader, path: String) throws(LoadError) -> CrossCategories {
        var settings = CrossCategories(windowHours: try reader.int("cross_categories", "window_hours"))
        if let hours = settings.windowHours, !(1...8784).contains(hours) {
            throw LoadError(path: path, reason: "cross_categories.window_hours: expected 1 to 8784 hours")
        }
        if let specs = try reader.strings("cross_categories", "pairs") {
            let known = Set(Category.canonical + [Category.unspecified])
            var pairs: [CrossCategoryDetector.CategoryPair] = []
            for spec in specs {
                guard let parsed = CrossCategoryDetector.CategoryPair.parse(spec),
                    parsed.allSatisfy({ known.contains($0.from) && known.contains($0.to) })
                else {
                    throw LoadError(
                        path: path,
                        reason:
                            "cross_categories.pairs: \"\(spec)\": expected two categories as \"from->to\" or \"a<->b\" (\(Category.canonical.joined(separator: ", ")))"
                    )
                }
                pairs += parsed
            }
            settings.pairs = Array(Set(pairs)).sorted()
        }
        return settings
    }

    /// A path of the file, made absolute against the file's folder.
    public func resolve(_ path: String?) -> String? {
        guard let path, !path.isEmpty else { return path }
        if path.hasPrefix("/") { return path }
        return (baseFolder as NSString).appendingPathComponent(path)
    }
}
