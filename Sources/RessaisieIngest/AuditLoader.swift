import Dispatch
import Foundation
import RessaisieCore

/// Reads every export of an audit into one `EntryStore`.
///
/// Files are parsed in parallel, a few at a time (memory stays bounded by the files in flight), and
/// merged in path order, so the result is the same whatever the thread timing.
public struct AuditLoader: Sendable {
    public struct Progress: Sendable {
        public var filesDone: Int
        public var filesTotal: Int
        public var bytesDone: Int
        public var bytesTotal: Int
        public var entries: Int
    }

    public var pseudonymizer: Pseudonymizer
    public var options: IngestOptions
    /// Files parsed at once.
    public var parallelism: Int
    /// XML documents the learning pass read whole, assembled from what it recorded instead of parsed again.
    var recordings: [String: RecordedRecords] = [:]
    /// Bytes of those records held at most (0: every file parsed again, as tests compare).
    var recordingBudget = AuditLoader.recordedBytesLimit

    /// The batch of a file refused whole: no entry, one rejection.
    static func refused(_ rejection: Rejection) -> FileBatch {
        var quality = DataQuality()
        quality.files = 1
        quality.record(rejection)
        return FileBatch(store: EntryStore(deduplicatingRecordIDs: false), quality: quality)
    }

    public init(pseudonymizer: Pseudonymizer, options: IngestOptions, parallelism: Int? = nil) {
        self.pseudonymizer = pseudonymizer
        self.options = options
        self.parallelism = max(1, parallelism ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    public struct Loaded: Sendable {
        public var store: EntryStore
        public var quality: DataQuality
        /// The boilerplate set aside, and the sample it was learned from.
        public var boilerplate: BoilerplateLearning = BoilerplateLearning(boilerplate: .none)
    }

    /// Finds and reads the exports under `paths`. Throws the first error in file order (a missing path,
    /// an unreadable or invalid file, or, with `strict`, the first rejected row).
    public func load(paths: [String], progress: ((Progress) -> Void)? = nil) throws -> Loaded {
        let discovered = try InputDiscovery.files(in: paths, systems: options.systems)
        var loaded = try load(files: discovered.files, progress: progress)
        loaded.quality.filesSkipped = discovered.skipped
        if loaded.store.count == 0, let selection = options.siteSelection, loaded.quality.rowsRejected == 0 {
            throw IngestError.noSiteSelected(selection: selection.description)
        }
        if loaded.store.count == 0 {
            let reason =
                discovered.files.isEmpty
                ? "no .csv or .xml export under \(paths.joined(separator: ", "))"
                : "no entry could be read from \(discovered.files.count) file(s)"
                    + (loaded.quality.rejections.first.map { "; first: \($0)" } ?? "")
            throw IngestError.nothingReadable(reason: reason)
        }
        return loaded
    }

    public func load(files: [InputFile], progress: ((Progress) -> Void)? = nil) throws -> Loaded {
        let sizes = files.map { (try? FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int) ?? 0 }
        let bytesTotal = sizes.reduce(0, +)
        var store = EntryStore(deduplicatingRecordIDs: false, declaredSystems: options.systems)
        var quality = DataQuality()
        var filesDone = 0
        var bytesMerged = 0
        var reserved = false
        let homogeneous = files.allSatisfy(\.isXML) || !files.contains(where: \.isXML)
        // First the learning pass, then every file read with what it learned set aside.
        let learning = learnBoilerplate(files: files, sizes: sizes)
        var readingLoader = self
        readingLoader.options.boilerplate = learning.boilerplate
        readingLoader.recordings = learning.recordings
        let reading = readingLoader

        let meter = progress.map { ProgressMeter(filesTotal: files.count, bytesTotal: bytesTotal, report: $0) }
        var windowStart = 0
        while windowStart < files.count {
            let window = Array(files[windowStart..<min(files.count, windowStart + parallelism)])
            let results = ResultSlots(count: window.count)
            @Sendable func readFile(_ index: Int) {
                let onRead = meter.map { meter in { meter.add(bytes: $0) } }
                results.set(index, Result { try reading.readFile(window[index], onRead: onRead) })
            }
            // One file at a time (`--jobs 1`, or the last file) is read on this thread: handed to a
            // dispatch worker, its batch would be built in another malloc arena than the audit's store, and
            // the peak memory would depend on which thread happened to run it.
            if window.count == 1 {
                readFile(0)
            } else {
                DispatchQueue.concurrentPerform(iterations: window.count, execute: readFile)
            }
            for (offset, result) in results.values.enumerated() {
                let batch = try result.get()
                var batchQuality = batch.quality
                batchQuality.entries = 0
                quality.absorb(batchQuality)
                store.merge(batch.store)
                bytesMerged += sizes[windowStart + offset]
                filesDone += 1
                meter?.fileDone(entries: store.count)
            }
            windowStart += window.count
            // After the first window, reserve room for the whole audit at the density seen so far, so
            // the entry array does not double (and briefly hold two copies) as it grows.
            // Only once the files read are a fair sample (a tenth of the bytes, of an audit all in CSV or all
            // in XML: their densities differ), so that small dense files do not reserve for a huge sparse one.
            if !reserved, homogeneous, bytesMerged > 0, windowStart < files.count, bytesMerged * 10 >= bytesTotal {
                reserved = true
                let expected = Double(store.count) / Double(bytesMerged) * Double(bytesTotal) * 1.02
                store.reserveCapacity(
                    Int(expected), recordIDBytes: store.recordIDBytes * Int(expected) / max(store.count, 1))
            }
        }
        // Record ids used twice in a site and system: the same record exported again is kept once; an id
        // reused on other content keeps both entries. Neither is a rejected row.
        let repeated = store.removeRepublishedRecords()
        quality.republished += repeated.republished.count
        quality.reusedRecordIDs += repeated.reused.count
        for reused in repeated.reused where quality.reusedRecordIDExamples.count < DataQuality.listedRejectionsLimit {
            let path = store.files[Int(reused.entry.file)]
            let first = reused.firstFile.map {
                $0 == path ? "line \(reused.firstLine ?? 0)" : "\($0):\(reused.firstLine ?? 0)"
            }
            quality.reusedRecordIDExamples.append(
                Rejection(
                    file: path, line: Int(reused.entry.line), kind: .duplicateRecordID,
                    detail: "'record_id' already used on \(first ?? "an earlier row") for other content; both kept"))
        }
        quality.stampedEffectiveTimes = store.useStampedEffectiveTimesAsRecorded()
        quality.entries = store.count
        quality.identityConflicts = store.identityConflicts
        quality.invalidINS = store.invalidINS
        let unlinkable = store.patients.map { $0.ins == nil && $0.traits == nil }
        quality.entriesWithoutPatientLink = store.entries.reduce(0) { $0 + (unlinkable[Int($1.patient)] ? 1 : 0) }
        quality.implausibleTimes = store.implausibleTimes
        quality.implausibleTimeExamples = store.implausibleTimeExamples.map {
            Rejection(
                file: store.files[Int($0.file)], line: Int($0.line), kind: .unparseableDate,
                detail: $0.detail + "; kept, out of the period")
        }
        // Listed rejections in file order, then line order.
        let rank = Dictionary(files.enumerated().map { ($1.path, $0) }, uniquingKeysWith: { first, _ in first })
        quality.rejections.sort { (rank[$0.file] ?? 0, $0.line) < (rank[$1.file] ?? 0, $1.line) }
        var learned = learning
        learned.recordings = [:]  // replayed and released: nothing of them is handed on
        return Loaded(store: store, quality: quality, boilerplate: learned)
    }

    /// Reads one file with this loader's options: a CSV through the profile beside it or given, else as
    /// canonical CSV; an XML export by its root element. Lenient, a file that cannot be read is refused
    /// whole (one counted rejection) and the others are still read.
    func readFile(_ file: InputFile, onRead: ((Int) -> Void)? = nil) throws -> FileBatch {
        do {
            guard file.isXML else {
                if let profile = try ProfileLookup.profile(for: file.path, given: options.csvProfiles) {
                    return try MappedCSVReader(pseudonymizer: pseudonymizer, options: options, profile: profile)
                        .read(file, onRead: onRead)
                }
                return try CanonicalCSVReader(pseudonymizer: pseudonymizer, options: options).read(file, onRead: onRead)
            }
            let reader = XMLExportReader(pseudonymizer: pseudonymizer, options: options)
            if let recorded = recordings[file.path] { return try reader.replay(file, recorded, onRead: onRead) }
            return try reader.read(file, onRead: onRead)
        } catch IngestError.malformedXML(let path, let line, let reason) where !options.strict {
            return Self.refused(Rejection(file: path, line: line, kind: .invalidXML, detail: reason))
        } catch IngestError.invalidFile(let path, let reason) where !options.strict && path == file.path {
            return Self.refused(Rejection(file: path, line: 1, kind: .invalidFile, detail: reason))
        }
    }
}

/// Adds up the bytes read by files in flight and reports at most five times a second.
private final class ProgressMeter: @unchecked Sendable {
    private let lock = NSLock()
    private var current: AuditLoader.Progress
    private let report: (AuditLoader.Progress) -> Void
    private var lastReport = DispatchTime.now().uptimeNanoseconds

    init(filesTotal: Int, bytesTotal: Int, report: @escaping (AuditLoader.Progress) -> Void) {
        current = AuditLoader.Progress(
            filesDone: 0, filesTotal: filesTotal, bytesDone: 0, bytesTotal: bytesTotal, entries: 0)
        self.report = report
    }

    func add(bytes: Int) {
        lock.lock()
        defer { lock.unlock() }
        current.bytesDone = min(current.bytesTotal, current.bytesDone + bytes)
        let now = DispatchTime.now().uptimeNanoseconds
        if now - lastReport > 200_000_000 {
            lastReport = now
            report(current)
        }
    }

    func fileDone(entries: Int) {
        lock.lock()
        defer { lock.unlock() }
        current.filesDone += 1
        current.entries = entries
        report(current)
    }
}

/// Results of a parallel window, written by index from several threads.
private final class ResultSlots: @unchecked Sendable {
    private var slots: [Result<FileBatch, Error>?]
    private let lock = NSLock()

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ result: Result<FileBatch, Error>) {
        lock.lock()
        slots[index] = result
        lock.unlock()
    }

    var values: [Result<FileBatch, Error>] { slots.map { $0! } }
}

/// Which profile reads a CSV export: the one beside it (`dui.profile.toml` or `dui.csv.profile.toml`),
/// else the first given one whose globs match its name; none means canonical CSV.
enum ProfileLookup {
    static func profile(for path: String, given: [Profile]) throws -> Profile? {
        let url = URL(fileURLWithPath: path)
        let stem = url.deletingPathExtension().lastPathComponent
        let folder = url.deletingLastPathComponent()
        for candidate in ["\(stem).profile.toml", "\(url.lastPathComponent).profile.toml"] {
            let beside = folder.appendingPathComponent(candidate).path
            if FileManager.default.fileExists(atPath: beside) { return try Profile.load(path: beside) }
        }
        return given.first { $0.applies(toFileNamed: url.lastPathComponent) }
    }
}
