import ArgumentParser

extension Log.Format: ExpressibleByArgument {}

/// Options for runs nobody watches: the audit file, the history database, the lock and the log format.
struct UnattendedOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Audit configuration (TOML, see 'ressaisie init'); options given on the command line override it.",
            valueName: "audit.toml"))
    var audit: String?

    @Option(
        help: ArgumentHelp(
            "Record this run's per-site metrics in this SQLite database, or in the PostgreSQL database of a "
                + "postgres://USER@HOST:PORT/DATABASE URL (see 'ressaisie history').",
            valueName: "file|url"))
    var history: String?

    @Option(
        help: ArgumentHelp(
            "PostgreSQL history: read the password from this file's first line (else PGPASSWORD, else ~/.pgpass).",
            valueName: "file"))
    var historyPasswordFile: String?

    @Option(
        help: ArgumentHelp(
            "If another run holds the lock, wait up to this many seconds instead of exiting 75 at once.",
            valueName: "seconds"))
    var wait: Int?

    @Option(help: "Format of messages on standard error.")
    var logFormat: Log.Format?

    func validate() throws {
        if let wait, wait < 0 { throw ValidationError("--wait must be zero or more seconds") }
    }
}
