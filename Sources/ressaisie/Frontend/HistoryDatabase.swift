import Foundation
import RessaisieHistory
import RessaisieHistoryPostgres

/// Opens the history a command names: a SQLite file (the embedded default), or a PostgreSQL database when the
/// name is a `postgres://` URL (docs/DESIGN.md, "Run history").
enum HistoryDatabase {
    /// Opens a history to read (`history`, `compare`): a file must exist (66); a server must answer (73).
    static func openForReading(_ location: String, passwordFile: String?) throws -> any HistoryBackend {
        if PostgresSettings.isURL(location) {
            return try openPostgres(location, passwordFile: passwordFile)
        }
        guard FileManager.default.fileExists(atPath: location) else {
            throw CommandFailure(.noInput, "\(location): no such history database")
        }
        return try HistoryStore(path: location)
    }

    /// Connects to a PostgreSQL history and migrates it; the password file's warnings go to the log.
    static func openPostgres(_ url: String, passwordFile: String?) throws -> PostgresHistoryStore {
        let settings = try PostgresSettings.parse(url, passwordFile: passwordFile)
        for warning in settings.warnings { Log.logger.warning("\(warning)") }
        return try PostgresHistoryStore(settings: settings)
    }
}
