/// Where the runs of a history are kept: one SQLite file (`HistoryStore`, the embedded default) or a shared
/// PostgreSQL database (`PostgresHistoryStore`, for many jobs on many machines). Both keep the same tables, the
/// same versioned migrations (`HistorySchema.versions`) and the same per-site rows, so `history`, `compare` and
/// `analyze --history` work on either and print the same thing for the same runs.
public protocol HistoryBackend: AnyObject {
    /// The database as messages name it: a file path, or a URL without password.
    var location: String { get }

    /// The schema versions applied to this database, oldest first (`HistorySchema.versions` once migrated).
    func appliedMigrations() throws -> [String]

    /// Adds a run in one transaction and tells whether its input set equals the previous run's with the same
    /// selection (the same `--shard` or `--site`).
    ///
    /// - Parameter committing: called with the transaction's commit once the rows are in; it must call it (the
    ///   caller's outputs are renamed in the same window). If it throws, the transaction is rolled back.
    @discardableResult
    func record(_ run: RunRecord, committing: (_ commit: () throws -> Void) throws -> Void) throws -> (
        runID: Int64, inputsUnchanged: Bool
    )

    /// Number of runs recorded.
    func runCount() throws -> Int

    /// Every site's figures, run by run (by site in byte order, then oldest run first), optionally for one site.
    func rows(site: String?) throws -> [HistoryRow]
}

extension HistoryBackend {
    /// Adds a run in one transaction, committed at once.
    @discardableResult
    public func record(_ run: RunRecord) throws -> (runID: Int64, inputsUnchanged: Bool) {
        try record(run, committing: { try $0() })
    }

    /// Every site's figures, run by run.
    public func rows() throws -> [HistoryRow] { try rows(site: nil) }
}

/// The schema of a history, whatever keeps it.
public enum HistorySchema {
    /// The migrations, oldest first: their names are the same in SQLite (`grdb_migrations`) and in PostgreSQL
    /// (`ressaisie_migrations`). Add one for every change, never edit a published one.
    public static let versions = [
        "v1: runs, inputs, site metrics",
        "v2: the sites a run analysed (--shard, --site)",
    ]
}

/// Another run of the same sites holds the history (`--wait` to wait for it): exit 75.
public struct HistoryBusy: Error, CustomStringConvertible {
    public var location: String
    public var selection: String
    public var waited: Int

    public init(location: String, selection: String, waited: Int) {
        self.location = location
        self.selection = selection
        self.waited = waited
    }

    public var description: String {
        let sites = selection.isEmpty ? "all sites" : selection
        return waited > 0
            ? "another run of the same sites (\(sites)) still writes to \(location) after \(waited) s (exit 75); "
                + "try again later"
            : "another run of the same sites (\(sites)) writes to \(location) (exit 75); use --wait SECONDS to wait "
                + "for it"
    }
}
