import ArgumentParser
import Foundation
import RessaisieCore
import RessaisieHistory
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
        if !given.contains("history"), let value = config.history?.database {
            command.unattended.history = config.resolve(value)
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
        // Shards of one audit run at once on one history: each takes a lock of its own (`history.sqlite.shard-3-of-8.lock`);
        // SQLite's own locking keeps their transactions apart.
        let lockPath = RunLock.path(
            history: unattended.history, outputs: [output, groups, pathways, crossCategory],
            selection: audit.siteSelection)
        let lock = try lockPath.map { try RunLock(path: $0, wait: unattended.wait ?? 0) }
        defer { withExtendedLifetime(lock) {} }
        if lock != nil {
            let stale = StaleTemporaries.remove(
                beside: [output, groups, pathways, crossCategory, unattended.history].compactMap { $0 })
            if stale > 0 { Log.logger.notice("removed \(stale) temporary output(s) left by a run that was killed") }
        }

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
        let runAt = Int64(Date().timeIntervalSince1970)
        let fingerprints = try inputFingerprints()
        let metrics = try analyze(into: outputs)
        let record = RunRecord(
            runAt: runAt, toolVersion: Ressaisie.version, inputs: fingerprints,
            sites: metrics.sites.map(SiteSnapshot.init), selection: audit.siteSelection?.description ?? "")
        // The history's transaction commits inside the outputs' commit window, before the renames: a failed
        // commit renames nothing, and a signal waits for both.
        let result = try store.record(record) { commitTransaction in
            TestPause.at(.history)
            try outputs.commit(first: commitTransaction)
        }
        if result.inputsUnchanged {
            Log.logger.notice(
                "inputs unchanged since the previous run (same files, same SHA-256): figures repeat it",
                metadata: ["run": "\(result.runID)", "files": "\(fingerprints.count)"])
        }
        Log.logger.info("run recorded", metadata: ["run": "\(result.runID)", "history": "\(historyPath)"])
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
