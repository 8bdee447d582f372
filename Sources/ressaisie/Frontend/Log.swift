import Foundation
import Logging

/// The run's log on standard error, through swift-log: `ressaisie: notice: message key=value` for people,
/// one JSON object per line (`--log-format json`) for log collectors (journald, Loki…).
enum Log {
    enum Format: String, CaseIterable, Sendable {
        case text, json
    }

    nonisolated(unsafe) private(set) static var format: Format = .text
    nonisolated(unsafe) private static var bootstrapped = false

    /// Sets the format and the level once per process (`--quiet`: errors only).
    static func configure(format: Format, quiet: Bool) {
        Log.format = format
        let level: Logger.Level = quiet ? .error : .notice
        if !bootstrapped {
            bootstrapped = true
            LoggingSystem.bootstrap { label in
                var handler = StderrLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }

    static let logger = Logger(label: "ressaisie")
}

/// Writes each message as one line on standard error, in `Log.format`.
struct StderrLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .notice
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { _, new in new } }
        let line: String
        switch Log.format {
        case .text:
            let pairs = all.keys.sorted().map { " \($0)=\(all[$0]!)" }.joined()
            line = "ressaisie: \(event.level.rawValue): \(event.message)\(pairs)\n"
        case .json:
            var object: [String: Any] = [
                "time": ISO8601DateFormatter().string(from: Date()), "level": event.level.rawValue,
                "message": "\(event.message)", "logger": label,
            ]
            for (key, value) in all { object[key] = "\(value)" }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            line = String(decoding: data, as: UTF8.self) + "\n"
        }
        StandardStreams.error(line)
    }
}
