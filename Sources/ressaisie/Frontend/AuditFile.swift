import Foundation
import TOMLKit

/// `audit.toml`: what a nightly run reads, writes and keeps, so the crontab line stays short.
///
/// Relative paths are relative to the folder of the file, so the audit folder can move. Unknown keys are
/// an error (a typo in a cron job's config must fail loudly, not be ignored). Every value can be overridden
/// on the command line.
struct AuditFile: Decodable, Equatable {
    struct Inputs: Decodable, Equatable {
        var paths: [String]?
        var timeZone: String?
        var strict: Bool?
        var jobs: Int?
        var encoding: String?
        var profiles: [String]?
        enum CodingKeys: String, CodingKey { case paths, timeZone = "time_zone", strict, jobs, encoding, profiles }
    }

    struct Privacy: Decodable, Equatable {
        var keyFile: String?
        enum CodingKeys: String, CodingKey { case keyFile = "key_file" }
    }

    struct Matching: Decodable, Equatable {
        var windowHours: Int?
        enum CodingKeys: String, CodingKey { case windowHours = "window_hours" }
    }

    struct Outputs: Decodable, Equatable {
        var format: String?
        var report: String?
        var groups: String?
        var lang: String?
        /// The JSON settings file of `--config` (cost model, disclosure threshold).
        var settings: String?
        var staffing: String?
        var suppressBelow: Int?
        var evidence: Bool?
        enum CodingKeys: String, CodingKey {
            case format, report, groups, lang, settings, staffing, suppressBelow = "suppress_below", evidence
        }
    }

    struct History: Decodable, Equatable {
        var database: String?
        var waitSeconds: Int?
        enum CodingKeys: String, CodingKey { case database, waitSeconds = "wait_seconds" }
    }

    struct Logging: Decodable, Equatable {
        var format: String?
        var quiet: Bool?
    }

    var inputs: Inputs?
    var privacy: Privacy?
    var matching: Matching?
    var outputs: Outputs?
    var history: History?
    var logging: Logging?

    /// A missing file (66) or an invalid one (64), with the file and, for syntax errors, line and column.
    struct LoadError: Error, CustomStringConvertible {
        var path: String
        var reason: String
        var notFound = false
        var description: String { "\(path): \(reason)" }
        var exitCode: Int32 { notFound ? 66 : 64 }
    }

    /// The folder relative paths are resolved against.
    var baseFolder = ""

    enum CodingKeys: String, CodingKey { case inputs, privacy, matching, outputs, history, logging }

    static func load(_ path: String) throws -> AuditFile {
        guard FileManager.default.fileExists(atPath: path) else {
            throw LoadError(path: path, reason: "no such audit configuration", notFound: true)
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw LoadError(path: path, reason: "cannot read the audit configuration (UTF-8 expected)")
        }
        var config: AuditFile
        do {
            config = try TOMLDecoder(strictDecoding: true).decode(AuditFile.self, from: text)
        } catch let error as TOMLParseError {
            throw LoadError(
                path: path, reason: "line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
        } catch let error as UnexpectedKeysError {
            let keys = error.keys.values.map { $0.map(\.stringValue).joined(separator: ".") }.sorted()
            throw LoadError(path: path, reason: "unknown key(s): \(keys.joined(separator: ", "))")
        } catch let DecodingError.typeMismatch(type, context) {
            throw LoadError(
                path: path, reason: "\(context.codingPath.map(\.stringValue).joined(separator: ".")): expected \(type)")
        } catch {
            throw LoadError(path: path, reason: "\(error)")
        }
        config.baseFolder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return config
    }

    /// A path of the file, made absolute against the file's folder.
    func resolve(_ path: String?) -> String? {
        guard let path, !path.isEmpty else { return path }
        if path.hasPrefix("/") { return path }
        return (baseFolder as NSString).appendingPathComponent(path)
    }
}

/// Which options the command line named, so that a config value never overrides one of them.
struct GivenOptions {
    let names: Set<String>

    init(arguments: [String] = CommandLine.arguments) {
        var names = Set<String>()
        for argument in arguments.dropFirst() {
            if argument == "--" { break }
            if argument.hasPrefix("--") {
                names.insert(String(argument.split(separator: "=", maxSplits: 1)[0]))
            } else if argument.hasPrefix("-"), argument.count >= 2 {
                // Short options, possibly combined (-qf json): each letter counts.
                for letter in argument.dropFirst() where letter.isLetter { names.insert("-\(letter)") }
            }
        }
        self.names = names
    }

    func contains(_ long: String, short: Character? = nil) -> Bool {
        names.contains("--" + long) || short.map { names.contains("-\($0)") } == true
    }
}
