import Foundation
import RessaisieHistory

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where and how to reach a PostgreSQL history: `postgres://USER@HOST:PORT/DATABASE?sslmode=…` completed by the
/// usual libpq environment (`PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE`, `PGSSLMODE`, `PGCONNECT_TIMEOUT`) and a
/// password read from a file (`--history-password-file`), `PGPASSWORD`, or the password file (`PGPASSFILE`, else
/// `~/.pgpass`), in that order. A password in the URL itself is refused: it would show in the process list,
/// the shell's history and the job's definition.
public struct PostgresSettings: Sendable, Equatable, CustomStringConvertible {
    /// TLS as libpq's `sslmode` says it. `prefer` (the default): TLS when the server offers it, else plain;
    /// `require`: TLS or no connection; neither checks the server's certificate (as libpq); `verify-full` checks
    /// it and its name against the system's roots or `PGSSLROOTCERT`.
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    /// A URL or a setting that cannot be used (exit 64).
    public struct Invalid: Error, CustomStringConvertible {
        public var location: String
        public var reason: String
        public var description: String { "\(location): \(reason)" }
    }

    /// The server's host name or address; a path (starting with `/`) is a folder of Unix sockets.
    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    /// Never printed: `description` leaves it out.
    public var password: String?
    public var tls: TLSMode
    public var connectTimeoutSeconds: Int
    /// `PGSSLROOTCERT`: the roots that `verify-full` trusts, else the system's.
    public var rootCertificate: String?
    /// What was noticed on the way (a password file that others can read, ignored as libpq does).
    public var warnings: [String] = []

    /// The database as messages name it: `postgres://USER@HOST:PORT/DATABASE`, never with a password.
    public var description: String { "postgres://\(user)@\(hostForURL):\(port)/\(database)" }

    private var hostForURL: String {
        host.hasPrefix("/") ? host.replacingOccurrences(of: "/", with: "%2F") : host.contains(":") ? "[\(host)]" : host
    }

    /// True when `location` names a PostgreSQL database (`postgres://…` or `postgresql://…`), not a file.
    public static func isURL(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    /// Reads the URL, the environment and the password sources.
    ///
    /// - Parameters:
    ///   - passwordFile: `--history-password-file`: its first line is the password (it wins over the others).
    ///   - environment: the process's environment (the tests give their own).
    public static func parse(
        _ url: String, passwordFile: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> PostgresSettings {
        let shown = redacted(url)
        func invalid(_ reason: String) -> Invalid { Invalid(location: shown, reason: reason) }
        guard isURL(url), let components = URLComponents(string: url) else {
            throw invalid("not a PostgreSQL URL (expected postgres://USER@HOST:PORT/DATABASE)")
        }
        if components.password != nil {
            throw invalid(
                "a password in the URL is refused (it would show in the process list and in logs): put it in a "
                    + "file named by --history-password-file (or [history] password_file), in PGPASSWORD, or in "
                    + "~/.pgpass")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard ["sslmode", "connect_timeout", "host", "port", "user", "dbname"].contains(item.name) else {
                throw invalid(
                    "unknown parameter '\(item.name)' (known: sslmode, connect_timeout, host, port, user, dbname)")
            }
            query[item.name] = item.value ?? ""
        }
        func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        let host =
            nonEmpty(components.percentEncodedHost?.removingPercentEncoding) ?? nonEmpty(query["host"])
            ?? nonEmpty(environment["PGHOST"]) ?? "localhost"
        let portText = components.port.map(String.init) ?? nonEmpty(query["port"]) ?? nonEmpty(environment["PGPORT"])
        let port = portText.map { Int($0) } ?? 5432
        guard let port, (1...65_535).contains(port) else { throw invalid("port '\(portText ?? "")' is not a port") }
        guard
            let user = nonEmpty(components.user?.removingPercentEncoding) ?? nonEmpty(query["user"])
                ?? nonEmpty(environment["PGUSER"]) ?? currentUser()
        else { throw invalid("no user: give postgres://USER@HOST/DATABASE or PGUSER") }
        let path = String((components.path.removingPercentEncoding ?? components.path).drop(while: { $0 == "/" }))
        let database = nonEmpty(path) ?? nonEmpty(query["dbname"]) ?? nonEmpty(environment["PGDATABASE"]) ?? user
        let modeText = nonEmpty(query["sslmode"]) ?? nonEmpty(environment["PGSSLMODE"]) ?? "prefer"
        let aliases = ["allow": TLSMode.prefer, "verify-ca": .verifyFull]
        guard let tls = TLSMode(rawValue: modeText) ?? aliases[modeText] else {
            throw invalid(
                "sslmode '\(modeText)' is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let timeoutText = nonEmpty(query["connect_timeout"]) ?? nonEmpty(environment["PGCONNECT_TIMEOUT"])
        let timeout = timeoutText.map { Int($0) } ?? 10
        guard let timeout, timeout > 0 else { throw invalid("connect_timeout '\(timeoutText ?? "")' is not seconds") }
        var settings = PostgresSettings(
            host: host, port: port, user: user, database: database, password: nil, tls: tls,
            connectTimeoutSeconds: timeout, rootCertificate: nonEmpty(environment["PGSSLROOTCERT"]))
        try settings.findPassword(file: passwordFile, environment: environment)
        return settings
    }

    /// The password from the file given, else `PGPASSWORD`, else the first matching line of the password file.
    private mutating func findPassword(file: String?, environment: [String: String]) throws {
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw Invalid(location: file, reason: "cannot read the password file")
            }
            let text = String(decoding: data, as: UTF8.self)
            password = String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
                .trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            return
        }
        if let value = environment["PGPASSWORD"], !value.isEmpty {
            password = value
            return
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let passfile = environment["PGPASSFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.pgpass"
        var status = stat()
        guard stat(passfile, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return }
        if status.st_mode & 0o077 != 0 {
            warnings.append(
                "password file \(passfile) is readable by others (chmod 0600 to use it): ignored, as libpq does")
            return
        }
        guard let data = FileManager.default.contents(atPath: passfile) else { return }
        password = Self.passfileMatch(
            String(decoding: data, as: UTF8.self), host: host, port: port, database: database, user: user)
    }

    /// The password of the first `host:port:database:user:password` line that matches (`*` matches anything,
    /// `\:` and `\\` escape); `localhost` matches a Unix socket too, as in libpq.
    static func passfileMatch(_ text: String, host: String, port: Int, database: String, user: String) -> String? {
        let wanted = [host.hasPrefix("/") ? "localhost" : host, String(port), database, user]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            var fields: [String] = [""]
            var escaped = false
            for character in line {
                if escaped {
                    fields[fields.count - 1].append(character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == ":" && fields.count < 5 {
                    fields.append("")
                } else {
                    fields[fields.count - 1].append(character)
                }
            }
            guard fields.count == 5 else { continue }
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// The URL with any password replaced by `***`, for messages.
    public static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "postgres://…"
    }

    private static func currentUser() -> String? {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return nil }
        return String(cString: name)
    }
}
