import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `ressaisie init DIR`: an audit folder ready for cron, with a commented `audit.toml` and a key.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create an audit folder: a commented audit.toml, a pseudonymization key and an exports folder.",
        discussion: """
            Writes DIR/audit.toml (never over an existing one), DIR/audit.key (32 random bytes, mode 600, \
            unless present) and DIR/exports/. Then drop the exports in DIR/exports/<site>/ and run:

              ressaisie analyze --audit DIR/audit.toml
            """
    )

    @Argument(help: "The audit folder (created if missing).")
    var folder: String

    func run() throws {
        let manager = FileManager.default
        let config = (folder as NSString).appendingPathComponent("audit.toml")
        let key = (folder as NSString).appendingPathComponent("audit.key")
        do {
            try manager.createDirectory(
                atPath: (folder as NSString).appendingPathComponent("exports"), withIntermediateDirectories: true)
            try manager.createDirectory(
                atPath: (folder as NSString).appendingPathComponent("reports"), withIntermediateDirectories: true)
        } catch {
            let reason = "\(folder): cannot create the audit folder: \(error.localizedDescription)"
            throw ExitStatus.failure(CommandFailure(.cannotCreate, reason))
        }
        guard !manager.fileExists(atPath: config) else {
            throw ExitStatus.failure(CommandFailure(.cannotCreate, "\(config) already exists; not overwritten"))
        }
        do {
            try OutputFile.write(Self.example, to: config)
            if !manager.fileExists(atPath: key) {
                var generator = SystemRandomNumberGenerator()
                let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let hex = bytes.map {
                    String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16)
                }
                try OutputFile.write(hex.joined() + "\n", to: key)
                chmod(key, 0o600)
            }
        } catch {
            throw ExitStatus.failure(error)
        }
        StandardStreams.output(
            "wrote \(config); edit it, put exports in \((folder as NSString).appendingPathComponent("exports"))/<site>/\n"
        )
    }

    /// The example written by `init`: every key, commented, with its default.
    static let example = """
        # ressaisie audit configuration (TOML). Used by: ressaisie analyze --audit audit.toml
        # Relative paths are relative to this file's folder. Options given on the command line override
        # the values here. Unknown keys are an error, so a typo fails the run instead of being ignored.

        [inputs]
        # Export files or folders, searched recursively. Without a 'site' column the site is the folder just
        # under the input folder (exports/<site>/dpi.csv).
        paths = ["exports"]
        # Time zone of times written without an offset.
        time_zone = "Europe/Paris"
        # true: stop at the first rejected row (exit 65) instead of counting it.
        strict = false
        # Files read at once (default: one per core).
        # jobs = 2
        # Encoding of the exports (default: detected per file): utf-8, windows-1252, iso-8859-1…
        # encoding = "windows-1252"
        # Profiles for vendor CSV exports (a profile beside an export is used without being named here).
        # profiles = ["profiles/dui-vendor.profile.toml"]

        [privacy]
        # Pseudonymization key (HMAC-SHA256), at least 16 bytes. Keep it: with another key, pseudonyms and
        # history cannot be joined across runs. Never put the key itself here.
        key_file = "audit.key"

        [matching]
        # Largest gap between two entries of one fact, in hours.
        window_hours = 72

        [outputs]
        # Report format: text, json, markdown, html, or csv (csv: report names a folder).
        format = "json"
        # Report file (written to a temporary file and renamed: never half-written).
        report = "reports/report.json"
        # Every entry of every duplicate group, as CSV.
        groups = "reports/groups.csv"
        # Language of markdown, html and csv reports: fr or en.
        # lang = "fr"
        # Settings file (JSON) of --config: cost model parameters, disclosure threshold.
        # settings = "settings.json"
        # Staffing CSV (site,profession,fte) for hours per full-time equivalent.
        # staffing = "staffing.csv"
        # Hide counts below this in published formats (default 11; 0 hides none).
        # suppress_below = 11
        # Add redacted examples of duplicate groups (never identifiers or text).
        # evidence = false

        [history]
        # SQLite database keeping each run's per-site metrics (see: ressaisie history --audit audit.toml).
        # The lock that keeps two runs apart is the file beside it (history.sqlite.lock).
        database = "history.sqlite"
        # Or, for many jobs on many machines, a shared PostgreSQL database instead of database (never a password
        # here: password_file, PGPASSWORD or ~/.pgpass):
        # url = "postgres://ressaisie@db.example:5432/audits"
        # password_file = "pg-password"
        # If another run holds the lock: 0 exits 75 at once; N waits up to N seconds.
        wait_seconds = 0

        [logging]
        # Messages on standard error: text, or json (one object per line, for log collectors).
        format = "text"
        # true: print nothing unless an error (cron mails only failures).
        quiet = false

        # What the analyst declares of each site: its type (hospital, ehpad, msp, home_care, other) and what each
        # system is for (care_coordination, legal_trace, activity_reporting, funder_reporting, patient_facing),
        # so that the report says for whom information is typed again. A system left out is "not declared".
        # [sites."ehpad-les-tilleuls"]
        # type = "ehpad"
        # [sites."ehpad-les-tilleuls".systems.DUI]
        # purpose = "care_coordination"

        """
}
