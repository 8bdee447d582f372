import Foundation
import GRDB
import RessaisieCore

/// One input file of a run, as fingerprinted before reading it.
public struct InputFingerprint: Sendable, Equatable, Codable {
    public var path: String
    public var bytes: Int64
    /// SHA-256 of the file's content, lowercase hex.
    public var sha256: String

    public init(path: String, bytes: Int64, sha256: String) {
        self.path = path
        self.bytes = bytes
        self.sha256 = sha256
    }
}

/// The figures of one site kept for every run: the ones an analyst follows over time.
public struct SiteSnapshot: Sendable, Equatable, Codable {
    public var site: String
    public var entries: Int
    public var patients: Int
    public var reEntries: Int
    public var redundancyRate: Double
    public var groupsX2: Int
    public var groupsX3: Int
    public var groupsX4Plus: Int
    public var hoursPerMonthLow: Double
    public var hoursPerMonthCentral: Double
    public var hoursPerMonthHigh: Double

    /// A site's figures as a store reads them back.
    public init(
        site: String, entries: Int = 0, patients: Int = 0, reEntries: Int = 0, redundancyRate: Double = 0,
        groupsX2: Int = 0, groupsX3: Int = 0, groupsX4Plus: Int = 0, hoursPerMonthLow: Double = 0,
        hoursPerMonthCentral: Double = 0, hoursPerMonthHigh: Double = 0
    ) {
        self.site = site
        self.entries = entries
        self.patients = patients
        self.reEntries = reEntries
        self.redundancyRate = redundancyRate
        self.groupsX2 = groupsX2
        self.groupsX3 = groupsX3
        self.groupsX4Plus = groupsX4Plus
        self.hoursPerMonthLow = hoursPerMonthLow
        self.hoursPerMonthCentral = hoursPerMonthCentral
        self.hoursPerMonthHigh = hoursPerMonthHigh
    }

    public init(_ metrics: WorkloadMetrics) {
        site = metrics.site
        entries = metrics.entries
        patients = metrics.patients
        reEntries = metrics.reEntries
        redundancyRate = metrics.redundancyRate
        groupsX2 = metrics.groupsX2
        groupsX3 = metrics.groupsX3
        groupsX4Plus = metrics.groupsX4Plus
        hoursPerMonthLow = metrics.hoursPerMonth.low
        hoursPerMonthCentral = metrics.hoursPerMonth.central
        hoursPerMonthHigh = metrics.hoursPerMonth.high
    }

    /// The value of a followed metric.
    public func value(of metric: HistoryMetric) -> Double {
        switch metric {
        case .entries: Double(entries)
        case .patients: Double(patients)
        case .reEntries: Double(reEntries)
        case .redundancyRate: redundancyRate
        case .groups: Double(groupsX2 + groupsX3 + groupsX4Plus)
        case .hoursPerMonth: hoursPerMonthCentral
        }
    }
}

/// Metrics that `history` can follow; raw values are the column names of the JSON report.
public enum HistoryMetric: String, Sendable, CaseIterable {
    case entries, patients
    case reEntries = "re_entries"
    case redundancyRate = "redundancy_rate"
    case groups
    case hoursPerMonth = "hours_per_month"
}

/// What one run adds to the history.
public struct RunRecord: Sendable, Equatable {
    /// When the run started, UTC seconds.
    public var runAt: Int64
    public var toolVersion: String
    public var inputs: [InputFingerprint]
    public var sites: [SiteSnapshot]
    /// The sites the run analysed when not all (`shard 3/8 (0-based)`, `SiteSelection.description`); empty: all.
    public var selection: String

    public init(
        runAt: Int64, toolVersion: String, inputs: [InputFingerprint], sites: [SiteSnapshot], selection: String = ""
    ) {
        self.runAt = runAt
        self.toolVersion = toolVersion
        self.inputs = inputs
        self.sites = sites
        self.selection = selection
    }

    /// SHA-256 over the sorted (path, hash) pairs: equal for two runs on the same files with the same content.
    public var inputSetFingerprint: String { HistoryStore.fingerprint(of: inputs) }
}

/// One row of `history`: a site's figures in one run.
public struct HistoryRow: Sendable, Equatable {
    public var runID: Int64
    public var runAt: Int64
    public var toolVersion: String
    /// True when the run read exactly the input set of the run before it.
    public var inputsUnchanged: Bool
    public var snapshot: SiteSnapshot

    public init(runID: Int64, runAt: Int64, toolVersion: String, inputsUnchanged: Bool, snapshot: SiteSnapshot) {
        self.runID = runID
        self.runAt = runAt
        self.toolVersion = toolVersion
        self.inputsUnchanged = inputsUnchanged
        self.snapshot = snapshot
    }
}

/// Errors of the history database, with its path (or its URL, never with a password): exit 73.
public struct HistoryError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): history database: \(reason)" }
}

/// The history database: one SQLite file, every run in one transaction, schema versioned by migrations.
///
/// A run killed while it writes leaves the database as it was before the run (SQLite's journal rolls
/// the transaction back on next open); the schema is created and upgraded by `DatabaseMigrator`, so a
/// database written by an older version opens and upgrades in place.
public final class HistoryStore: HistoryBackend, Sendable {
    public let path: String
    public var location: String { path }
    private let queue: DatabaseQueue

    /// Opens the database, creating and migrating it when it is not there.
    ///
    /// - Parameter creatingAt: where a new database is built before it is renamed to `path` (default
    ///   `.NAME.tmp-PID` beside it), so a database that cannot be created whole (a full disk) is never left
    ///   behind empty or half-made.
    public init(path: String, creatingAt temporary: String? = nil) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        do {
            if !FileManager.default.fileExists(atPath: path) {
                let url = URL(fileURLWithPath: path)
                let building =
                    temporary
                    ?? url.deletingLastPathComponent().appendingPathComponent(
                        ".\(url.lastPathComponent).tmp-\(getpid())"
                    ).path
                do {
                    let fresh = try DatabaseQueue(path: building, configuration: configuration)
                    try Self.migrator.migrate(fresh)
                    try fresh.close()
                    try Self.publish(building, at: path)
                } catch {
                    unlink(building)
                    unlink(building + "-journal")
                    throw error
                }
            }
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(queue)
        } catch let error as DatabaseError {
            throw HistoryError(path: path, reason: error.message ?? "\(error)")
        }
    }

    /// Puts the database built at `building` in place at `path`, unless another process (a shard started at the
    /// same time) put its own there first: then that one is kept, and opened. A hard link refuses to replace
    /// (a rename would replace it, and a run already writing to the replaced file would be lost); where links are
    /// not supported, a rename.
    private static func publish(_ building: String, at path: String) throws {
        if link(building, path) == 0 || errno == EEXIST {
            unlink(building)
            return
        }
        guard rename(building, path) == 0 else {
            throw HistoryError(path: path, reason: "cannot create: \(String(cString: strerror(errno)))")
        }
    }

    /// Versioned schema: add a migration for every change, never edit a published one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(HistorySchema.versions[0]) { db in
            try db.create(table: "run") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("run_at", .integer).notNull()
                t.column("tool_version", .text).notNull()
                t.column("input_set_sha256", .text).notNull()
                t.column("inputs_unchanged", .boolean).notNull()
            }
            try db.create(table: "run_input") { t in
                t.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
                t.column("path", .text).notNull()
                t.column("bytes", .integer).notNull()
                t.column("sha256", .text).notNull()
                t.primaryKey(["run_id", "path"])
            }
            try db.create(table: "site_metrics") { t in
                t.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
                t.column("site", .text).notNull()
                t.column("entries", .integer).notNull()
                t.column("patients", .integer).notNull()
                t.column("re_entries", .integer).notNull()
                t.column("redundancy_rate", .double).notNull()
                t.column("groups_x2", .integer).notNull()
                t.column("groups_x3", .integer).notNull()
                t.column("groups_x4_plus", .integer).notNull()
                t.column("hours_per_month_low", .double).notNull()
                t.column("hours_per_month_central", .double).notNull()
                t.column("hours_per_month_high", .double).notNull()
                t.primaryKey(["run_id", "site"])
            }
            try db.create(index: "site_metrics_by_site", on: "site_metrics", columns: ["site", "run_id"])
        }
        migrator.registerMigration(HistorySchema.versions[1]) { db in
            try db.alter(table: "run") { t in t.add(column: "selection", .text).notNull().defaults(to: "") }
        }
        return migrator
    }

    /// The schema versions applied to this database, oldest first.
    public func appliedMigrations() throws -> [String] {
        try wrap { try queue.read { try Self.migrator.appliedMigrations($0) } }
    }

    /// Adds a run in one transaction and tells whether its input set equals the previous run's.
    ///
    /// - Parameter committing: called with the transaction's commit once the rows are in; it must call it (the
    ///   caller's outputs are renamed in the same window). If it throws, the transaction is rolled back.
    @discardableResult
    public func record(
        _ run: RunRecord, committing: (_ commit: () throws -> Void) throws -> Void
    ) throws -> (runID: Int64, inputsUnchanged: Bool) {
        let setHash = run.inputSetFingerprint
        return try wrap {
            try queue.writeWithoutTransaction { db in
                try db.beginTransaction(.immediate)
                do {
                    let result = try insert(run, setHash: setHash, db)
                    var committed = false
                    try committing {
                        try db.commit()
                        committed = true
                    }
                    guard committed else { throw HistoryError(path: path, reason: "the run was not committed") }
                    return result
                } catch {
                    if db.isInsideTransaction { try? db.rollback() }
                    throw error
                }
            }
        }
    }

    private func insert(_ run: RunRecord, setHash: String, _ db: Database) throws -> (
        runID: Int64, inputsUnchanged: Bool
    ) {
        // The previous run of the same sites: each shard follows its own earlier runs.
        let previous = try String.fetchOne(
            db, sql: "SELECT input_set_sha256 FROM run WHERE selection = ? ORDER BY id DESC LIMIT 1",
            arguments: [run.selection])
        let unchanged = previous == setHash
        try db.execute(
            sql: """
                INSERT INTO run (run_at, tool_version, input_set_sha256, inputs_unchanged, selection)
                VALUES (?, ?, ?, ?, ?)
                """,
            arguments: [run.runAt, run.toolVersion, setHash, unchanged, run.selection])
        let runID = db.lastInsertedRowID
        for input in run.inputs {
            try db.execute(
                sql: "INSERT INTO run_input (run_id, path, bytes, sha256) VALUES (?, ?, ?, ?)",
                arguments: [runID, input.path, input.bytes, input.sha256])
        }
        for site in run.sites {
            try db.execute(
                sql: """
                    INSERT INTO site_metrics (run_id, site, entries, patients, re_entries, redundancy_rate,
                      groups_x2, groups_x3, groups_x4_plus, hours_per_month_low, hours_per_month_central,
                      hours_per_month_high) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    runID, site.site, site.entries, site.patients, site.reEntries, site.redundancyRate,
                    site.groupsX2, site.groupsX3, site.groupsX4Plus, site.hoursPerMonthLow,
                    site.hoursPerMonthCentral, site.hoursPerMonthHigh,
                ])
        }
        return (runID, unchanged)
    }

    /// Number of runs recorded.
    public func runCount() throws -> Int {
        try wrap { try queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM run") ?? 0 } }
    }

    /// Every site's figures, run by run (oldest first), optionally for one site.
    public func rows(site: String?) throws -> [HistoryRow] {
        try wrap {
            try queue.read { db in
                var sql = """
                    SELECT r.id, r.run_at, r.tool_version, r.inputs_unchanged, m.* FROM site_metrics m
                    JOIN run r ON r.id = m.run_id
                    """
                var arguments: StatementArguments = []
                if let site {
                    sql += " WHERE m.site = ?"
                    arguments = [site]
                }
                sql += " ORDER BY m.site, r.id"
                return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                    HistoryRow(
                        runID: row[0], runAt: row[1], toolVersion: row[2], inputsUnchanged: row[3],
                        snapshot: SiteSnapshot(row: row))
                }
            }
        }
    }

    /// SHA-256 over sorted `path\tsha256\n` lines.
    public static func fingerprint(of inputs: [InputFingerprint]) -> String {
        let lines = inputs.map { "\($0.path)\t\($0.sha256)\n" }.sorted().joined()
        return SHA256Hex.digest(Array(lines.utf8))
    }

    private func wrap<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw HistoryError(path: path, reason: error.message ?? "\(error)")
        }
    }
}

extension SiteSnapshot {
    init(row: Row) {
        site = row["site"]
        entries = row["entries"]
        patients = row["patients"]
        reEntries = row["re_entries"]
        redundancyRate = row["redundancy_rate"]
        groupsX2 = row["groups_x2"]
        groupsX3 = row["groups_x3"]
        groupsX4Plus = row["groups_x4_plus"]
        hoursPerMonthLow = row["hours_per_month_low"]
        hoursPerMonthCentral = row["hours_per_month_central"]
        hoursPerMonthHigh = row["hours_per_month_high"]
    }
}
