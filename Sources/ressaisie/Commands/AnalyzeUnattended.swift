import ArgumentParser
import Foundation
import RessaisieCore
import RessaisieHistory
import RessaisieHistoryPostgres
import RessaisieIngest
import RessaisieReport

/// The cron side of `analyze`: audit.toml, lock, signals, history.
extension Analyze {
    /// This command with audit.toml's values for every option the command line did not name.
    func applyingAuditConfig(given: GivenOptions = GivenOptions()) throws -> Analyze {
        guard let file = unattended.audit else { return self }
        let config = try AuditFile.load(file)
        var command = self
        if audit.paths.isEmpty, let inputs = config.inputs?.paths {
            command.audit.paths = inputs.compactMap(config.resolve)
        }
        if !given.contains("format", short: "f"), let value = config.outputs?.format {
            guard let format = Format(rawValue: value) else {
                throw AuditFile.LoadError(path: file, reason: "outputs.format: unknown format '\(value)'")
            }
            command.format = format
        }
        if !given.contains("output", short: "o"), let value = config.outputs?.report {
            command.output = config.resolve(value)
        }
        if !given.contains("groups"), let value = config.outputs?.groups { command.groups = config.resolve(value) }
        if !given.contains("encoding"), let value = config.inputs?.encoding { command.audit.reading.encoding = value }
        if !given.contains("profile"), let value = config.inputs?.profiles {
            command.audit.profiles = value.compactMap(config.resolve)
        }
        if !given.contains("config"), let value = config.outputs?.settings {
            command.audit.config = config.resolve(value)
        }
        if !given.contains("staffing"), let value = config.outputs?.staffing {
            command.staffing = config.resolve(value)
        }
        if !given.contains("suppress-below"), let value = config.outputs?.suppressBelow {
            command.suppressBelow = value
        }
        if !given.contains("evidence"), let value = config.outputs?.evidence { command.evidence = value }
        if !given.contains("lang"), let value = config.outputs?.lang {
            guard let lang = ReportLanguage(rawValue: value) else {
                throw AuditFile.LoadError(path: file, reason: "outputs.lang: unknown language '\(value)'")
            }
            command.lang = lang
        }
        if !given.contains("strict"), let value = config.inputs?.strict { command.audit.reading.strict = value }
        if !given.contains("time-zone"), let value = config.inputs?.timeZone { command.audit.reading.timeZone = value }
        if !given.contains("jobs"), let value = config.inputs?.jobs { command.audit.jobs = value }
        if !given.contains("window-hours"), let value = config.matching?.windowHours {
            command.audit.windowHours = value
        }
        if !given.contains("key-file"), let value = config.privacy?.keyFile {
            command.shared.keyFile = config.resolve(value)
        }
        if !given.contains("quiet", short: "q"), let value = config.logging?.quiet { command.shared.quiet = value }
        if !given.contains("history"), let value = config.history?.location(in: config) {
            command.unattended.history = value
        }
        if !given.contains("history-password-file"), let value = config.history?.passwordFile {
            command.unattended.historyPasswordFile = config.resolve(value)
        }
        if !given.contains("wait"), let value = config.history?.waitSeconds { command.unattended.wait = value }
        if !given.contains("log-format"), let value = config.logging?.format {
            guard let format = Log.Format(rawValue: value) else {
                throw AuditFile.LoadError(path: file, reason: "logging.format: unknown format '\(value)'")
            }
            command.unattended.logFormat = format
        }
        do {
            try command.validate()
            try command.audit.validate()
            try command.unattended.validate()
        } catch let error as ValidationError {
            throw AuditFile.LoadError(path: file, reason: error.message)
        }
        return command
    }

    /// Takes the lock, fingerprints the inputs, runs the analysis and records it in the history.
    func runUnattended() throws {
        InFlightFiles.installSignalHandlers()
        if let url = unattended.history, PostgresSettings.isURL(url) {
            return try runIntoPostgres(url)
        }
        // Shards of one audit run at once on one history: each takes a lock of its own (`history.sqlite.shard-3-of-8.lock`);
        // SQLite's own locking keeps their transactions apart.
        let lockPath = RunLock.path(
            history: unattended.history, outputs: [output, groups, pathways, crossCategory],
            selection: audit.siteSelection)
        let lock = try lockPath.map { try RunLock(path: $0, wait: unattended.wait ?? 0) }
        defer { withExtendedLifetime(lock) {} }
        if lock != nil { removeStaleTemporaries(history: unattended.history) }

        let outputs = OutputSet()
        guard let historyPath = unattended.history else {
            _ = try analyze(into: outputs)
            try outputs.commit()
            return
        }
        // Open (and migrate) before the analysis: an unwritable history fails at once, not after an hour. A new
        // database is created under a temporary name and renamed once its schema is in: never left empty.
        let creating = OutputSet.temporaryPath(for: historyPath)
        let slots = [creating, creating + "-journal"].map(InFlightFiles.register)
        defer { slots.forEach(InFlightFiles.unregister) }
        let store = try HistoryStore(path: historyPath, creatingAt: creating)
        let runAt = GenerationTime.now()  // SOURCE_DATE_EPOCH when set, as the report
        let fingerprints = try inputFingerprints()
        let metrics = try analyze(into: outputs)
        // The history's transaction commits inside the outputs' commit window, before the renames: a failed
        // commit renames nothing, and a signal waits for both.
        let result = try store.record(record(runAt: runAt, fingerprints, metrics)) { commitTransaction in
            TestPause.at(.history)
            try outputs.commit(first: commitTransaction)
        }
        logRecorded(result, files: fingerprints.count, history: historyPath)
    }

    /// `--history postgres://…`: the lock beside the outputs keeps two runs from writing the same files, the
    /// server's advisory lock of the selection keeps two runs of the same sites apart wherever they run. A server
    /// that cannot be reached (or refuses the login) does not stop the analysis: the report is written, then the
    /// run exits 73 with the reason, the run not recorded.
    private func runIntoPostgres(_ url: String) throws {
        let lockPath = RunLock.path(history: nil, outputs: [output, groups, pathways, crossCategory])
        let lock = try lockPath.map { try RunLock(path: $0, wait: unattended.wait ?? 0) }
        defer { withExtendedLifetime(lock) {} }
        if lock != nil { removeStaleTemporaries(history: nil) }
        var store: PostgresHistoryStore?
        var unreachable: Error?
        let selection = audit.siteSelection?.description ?? ""
        do {
            let opened = try HistoryDatabase.openPostgres(url, passwordFile: unattended.historyPasswordFile)
            store = opened
            try opened.holdSelection(selection, wait: unattended.wait ?? 0)
            TestPause.at(.opened)
        } catch let error as HistoryError {
            store = nil
            unreachable = HistoryError(
                path: error.path, reason: error.reason + "; the report is still written, the run is not recorded")
            Log.logger.warning(
                "the history database cannot be used: the analysis goes on, the run will not be recorded")
        }
        defer { store?.close() }
        let runAt = GenerationTime.now()  // SOURCE_DATE_EPOCH when set, as the report
        let fingerprints = try inputFingerprints()
        let outputs = OutputSet()
        let metrics = try analyze(into: outputs)
        guard let store else {
            try outputs.commit()
            throw unreachable!
        }
        var historyCommitted = false
        do {
            let result = try store.record(record(runAt: runAt, fingerprints, metrics)) { commitTransaction in
                TestPause.at(.history)
                try outputs.commit(first: {
                    try commitTransaction()
                    historyCommitted = true
                })
            }
            logRecorded(result, files: fingerprints.count, history: store.location)
        } catch let error as HistoryError where !historyCommitted {
            // The server went away (or refused the rows) before the commit: the report is still written.
            try outputs.commit()
            throw HistoryError(
                path: error.path, reason: error.reason + "; the report is still written, the run is not recorded")
        }
    }

    private func record(runAt: Int64, _ fingerprints: [InputFingerprint], _ metrics: AuditMetrics) -> RunRecord {
        RunRecord(
            runAt: runAt, toolVersion: Ressaisie.version, inputs: fingerprints,
            sites: metrics.sites.map(SiteSnapshot.init), selection: audit.siteSelection?.description ?? "")
    }

    private func logRecorded(_ result: (runID: Int64, inputsUnchanged: Bool), files: Int, history: String) {
        if result.inputsUnchanged {
            Log.logger.notice(
                "inputs unchanged since the previous run (same files, same SHA-256): figures repeat it",
                metadata: ["run": "\(result.runID)", "files": "\(files)"])
        }
        Log.logger.info("run recorded", metadata: ["run": "\(result.runID)", "history": "\(history)"])
    }

    private func removeStaleTemporaries(history: String?) {
        let stale = StaleTemporaries.remove(
            beside: [output, groups, pathways, crossCategory, history].compactMap { $0 })
        if stale > 0 { Log.logger.notice("removed \(stale) temporary output(s) left by a run that was killed") }
    }

    /// SHA-256 of every export this run reads, in discovery order.
    private func inputFingerprints() throws -> [InputFingerprint] {
        var inputs = audit.paths
        if inputs.isEmpty, let demo = DemoAudit.path() { inputs = [demo] }
        for path in inputs where !FileManager.default.fileExists(atPath: path) {
            throw IngestError.notFound(path: path)
        }
        return try InputDiscovery.files(in: inputs).files.map { try SHA256Hex.fingerprint(ofFile: $0.path) }
    }
}
