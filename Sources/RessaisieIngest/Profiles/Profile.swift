import Foundation
import RessaisieCore

/// How to read one vendor's CSV export as canonical entries: its encoding and dialect, which column
/// holds which canonical field (a field may join columns, such as a date and a time), date layouts,
/// local words for professions and categories, and constant fields.
///
/// Written in TOML (`ressaisie.profile/1`, documented in the README); `ressaisie inspect` proposes one.
public struct Profile: Sendable, Equatable {
    public static let format = "ressaisie.profile/1"

    /// Where a canonical field comes from: one column, or several joined by a space (date + time), read
    /// with a date layout when one is given.
    public struct FieldSource: Sendable, Equatable {
        public var columns: [String]
        public var format: DateFormat?

        public init(columns: [String], format: DateFormat? = nil) {
            self.columns = columns
            self.format = format
        }
    }

    /// The file the profile was read from (for error messages).
    public var path: String
    public var name: String?
    /// Globs on file names (`*dui*.csv`) this profile applies to when given with `--profile`.
    public var files: [String] = []
    public var system: InformationSystem?
    public var site: String?
    /// nil: detected per file.
    public var encoding: TextEncoding?
    /// nil: detected from the header.
    public var delimiter: UInt8?
    /// The character that quotes fields.
    public var quote: UInt8 = UInt8(ascii: "\"")
    /// Line of the header row (title lines above it are skipped); nil: the first line that holds the
    /// mapped columns.
    public var headerLine: Int?
    public var timeZone: String?
    /// The period the export covers (`period = "2026-03-01..2026-03-31"`), when its title lines do not
    /// say it or say it wrong; nil: read from a title line, else the span of the entries.
    public var period: DeclaredPeriod?
    public var fields: [CanonicalField: FieldSource] = [:]
    /// For a vendor's flat XML export: the root element that identifies it, the record element and how
    /// dates are written; `fields` then hold paths (`child`, `child/@attr`, `@attr`) instead of columns.
    public struct XMLPart: Sendable, Equatable {
        public var root: String
        public var namespace: String
        public var record: String
        public var dateFormat: MappedXMLProfile.DateFormat
    }

    public var xml: XMLPart?

    /// The mapped-XML reader's profile, for a profile with an `[xml]` table.
    public var mappedXMLProfile: MappedXMLProfile? {
        guard let xml else { return nil }
        var constants: [CanonicalField: String] = [:]
        if let system { constants[.system] = system.name }
        if let site { constants[.site] = site }
        return MappedXMLProfile(
            rootElement: xml.root, namespace: xml.namespace, recordElement: xml.record,
            fields: fields.mapValues { $0.columns[0] }, constants: constants, dateFormat: xml.dateFormat)
    }

    /// Local professions and categories (as written in the export) → canonical ones.
    public var professionValues: [String: String] = [:]
    public var categoryValues: [String: String] = [:]

    public init(path: String) {
        self.path = path
    }

    /// True when the profile applies to a file of this name (its globs; none means every file).
    public func applies(toFileNamed name: String) -> Bool {
        // GNU's FNM_CASEFOLD is not exported to Swift: fold both sides instead.
        files.isEmpty || files.contains { fnmatch($0.lowercased(), name.lowercased(), 0) == 0 }
    }

    // MARK: Reading

    public static func load(path: String) throws -> Profile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileManager.default.fileExists(atPath: path)
                ? IngestError.unreadable(path: path, reason: "cannot read the profile")
                : IngestError.notFound(path: path)
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    public static func parse(_ text: String, path: String) throws -> Profile {
        func invalid(_ reason: String) -> IngestError { .invalidFile(path: path, reason: "profile: \(reason)") }
        let table: TOMLTable
        do {
            table = try TOMLReader.parse(text)
        } catch {
            throw IngestError.invalidFile(
                path: "\(path):\(error.line):\(error.column)", reason: "profile is not valid TOML: \(error.reason)")
        }
        var profile = Profile(path: path)
        if let format = table["format"]?.string, format != Self.format {
            throw invalid("format '\(format)' is not \(Self.format)")
        }
        profile.name = table["name"]?.string
        if let files = table["files"] {
            if let one = files.string {
                profile.files = [one]
            } else if let many = files.array {
                profile.files = many.compactMap { $0.string }
            } else {
                throw invalid("'files' must be a glob or a list of globs")
            }
        }
        if let system = table["system"]?.string, !system.isEmpty {
            profile.system = InformationSystem(reading: system)
        }
        if let site = table["site"]?.string, !site.isEmpty { profile.site = site }
        if let encoding = table["encoding"]?.string, encoding != "auto", !encoding.isEmpty {
            guard let known = TextEncoding(name: encoding) else { throw invalid("unknown encoding '\(encoding)'") }
            profile.encoding = known
        }
        if let delimiter = table["delimiter"]?.string, delimiter != "auto", !delimiter.isEmpty {
            let byte: UInt8? =
                delimiter == "\\t" || delimiter == "tab"
                ? 0x09 : (delimiter.utf8.count == 1 ? delimiter.utf8.first : nil)
            guard let byte else { throw invalid("delimiter must be one character, 'tab' or 'auto'") }
            profile.delimiter = byte
        }
        if let quote = table["quote"]?.string, !quote.isEmpty {
            guard quote.utf8.count == 1 else { throw invalid("quote must be one character") }
            profile.quote = quote.utf8.first!
        }
        if let line = table["header_line"]?.int, line > 0 { profile.headerLine = line }
        if let zone = table["time_zone"]?.string, !zone.isEmpty {
            guard TimeZone(identifier: zone) != nil else { throw invalid("unknown time zone '\(zone)'") }
            profile.timeZone = zone
        }
        if let period = table["period"]?.string, !period.isEmpty {
            guard let parsed = DeclaredPeriod.parse(range: period) else {
                throw invalid(
                    "period '\(period)': expected FIRST..LAST as YYYY-MM-DD..YYYY-MM-DD, the first not after the last")
            }
            profile.period = parsed
        }
        if let xml = table["xml"]?.table {
            guard let root = xml["root"]?.string, !root.isEmpty, let record = xml["record"]?.string, !record.isEmpty
            else {
                throw invalid("[xml] needs 'root' (the root element) and 'record' (the element of one record)")
            }
            let format = xml["date_format"]?.string ?? "iso"
            guard let dateFormat = MappedXMLProfile.DateFormat(rawValue: format) else {
                throw invalid("[xml] date_format must be \"iso\" or \"dd/MM/yyyy\"")
            }
            profile.xml = XMLPart(
                root: root, namespace: xml["namespace"]?.string ?? "", record: record, dateFormat: dateFormat)
        }
        guard let fields = table["fields"]?.table else { throw invalid("no [fields] table") }
        for (key, value) in fields {
            guard let field = CanonicalField(rawValue: key) else { throw invalid("unknown field '\(key)' in [fields]") }
            if let column = value.string {
                profile.fields[field] = FieldSource(columns: [column])
            } else if let spec = value.table {
                var columns: [String] = []
                if let column = spec["column"]?.string { columns = [column] }
                if let many = spec["columns"]?.array { columns = many.compactMap { $0.string } }
                guard !columns.isEmpty else { throw invalid("field '\(key)' names no column") }
                var format: DateFormat?
                if let pattern = spec["format"]?.string {
                    guard let parsed = DateFormat(pattern) else {
                        throw invalid("field '\(key)': bad date format '\(pattern)'")
                    }
                    format = parsed
                }
                profile.fields[field] = FieldSource(columns: columns, format: format)
            } else {
                throw invalid("field '\(key)' must be a column name or { column = …, format = … }")
            }
        }
        for field in [CanonicalField.recordID, .patientID, .recordedAt] where profile.fields[field] == nil {
            throw invalid("required field '\(field.rawValue)' is not mapped in [fields]")
        }
        if profile.system == nil && profile.fields[.system] == nil && profile.files.isEmpty {
            // The file name may still tell; checked per file.
        }
        if let values = table["values"]?.table {
            for (key, map) in values {
                guard let map = map.table else { throw invalid("[values.\(key)] must be a table") }
                var entries: [String: String] = [:]
                for (local, canonical) in map {
                    guard let canonical = canonical.string else {
                        throw invalid("[values.\(key)] '\(local)' must map to a string")
                    }
                    entries[local] = canonical
                }
                switch key {
                case "profession": profile.professionValues = entries
                case "category": profile.categoryValues = entries
                default: throw invalid("[values.\(key)]: only profession and category values can be mapped")
                }
            }
        }
        return profile
    }

    // MARK: Writing

    /// The profile as commented TOML, fields in canonical order.
    public func toml(comments: [CanonicalField: String] = [:]) -> String {
        func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        var lines = [
            "# ressaisie profile: how to read this export as canonical entries (README, \"Profiles\").",
            "format = \(quoted(Self.format))",
        ]
        if let name { lines.append("name = \(quoted(name))") }
        lines.append("# File names this profile applies to with --profile (globs).")
        lines.append("files = [\(files.map(quoted).joined(separator: ", "))]")
        lines.append(
            "system = \(quoted(system?.name ?? ""))  # DPI, DUI, SIP or another name; empty: from a column or the file name"
        )
        lines.append("site = \(quoted(site ?? ""))  # empty: from a column or the folder")
        lines.append("encoding = \(quoted(encoding?.rawValue ?? "auto"))")
        let delimiterText = delimiter.map { $0 == 0x09 ? "tab" : String(UnicodeScalar($0)) } ?? "auto"
        lines.append("delimiter = \(quoted(delimiterText))")
        lines.append("quote = \(quoted(String(UnicodeScalar(quote))))")
        lines.append("header_line = \(headerLine ?? 0)  # 0: the first line holding the mapped columns")
        if let timeZone { lines.append("time_zone = \(quoted(timeZone))") }
        if let period {
            lines.append("period = \(quoted(period.description))  # the period the export covers")
        } else {
            lines.append(
                "# period = \"YYYY-MM-DD..YYYY-MM-DD\"  # the period the export covers, when no title line says it")
        }
        lines.append("")
        lines.append("[fields]")
        for field in CanonicalField.allCases {
            guard let source = fields[field] else { continue }
            var value: String
            if source.columns.count == 1 && source.format == nil {
                value = quoted(source.columns[0])
            } else {
                let columns =
                    source.columns.count == 1
                    ? "column = \(quoted(source.columns[0]))"
                    : "columns = [\(source.columns.map(quoted).joined(separator: ", "))]"
                value = "{ \(columns)\(source.format.map { ", format = \(quoted($0.pattern))" } ?? "") }"
            }
            if let comment = comments[field] { value += "  # \(comment)" }
            lines.append("\(field.rawValue) = \(value)")
        }
        for (key, map) in [("profession", professionValues), ("category", categoryValues)] where !map.isEmpty {
            lines.append("")
            lines.append("[values.\(key)]")
            for local in map.keys.sorted() { lines.append("\(quoted(local)) = \(quoted(map[local]!))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
