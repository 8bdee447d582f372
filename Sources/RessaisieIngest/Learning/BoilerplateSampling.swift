import Dispatch
import Foundation
import RessaisieCore

/// What one file gives the learning pass: a learner fed with the labels and texts of its first rows.
///
/// Shared by reference between the pass and the file's reader (one thread: the file's own), so that the
/// reader can stop as soon as the sample is full and the pass still gets what was learned.
final class BoilerplateSample: @unchecked Sendable {  // used by one file's reader at a time
    struct Full: Error {}

    var learner = BoilerplateLearner()
    /// Rows of the file being read, and of all the files read before it.
    var rows = 0
    var rowsBefore = 0
    let rowLimit: Int

    /// Starts the next file (the learner goes on: what a phrase wraps in one document adds to another's).
    /// A recording not finished (the file stopped on an error or a full sample) is dropped.
    func nextFile() {
        rowsBefore += rows
        rows = 0
        recording = nil
    }

    /// What the XML document being read gives, kept for the reading pass (`RecordedRecords`); nil when not
    /// recorded.
    var recording: RecordedRecords?
    /// The documents read whole, by path, up to `recordingBudget` bytes held.
    var recorded: [String: RecordedRecords] = [:]
    private var recordedBytes = 0
    let recordingBudget: Int

    /// Starts recording the document about to be read, when the budget has room.
    func beginRecording() {
        recording = recordedBytes < recordingBudget ? RecordedRecords() : nil
    }

    /// Records one record of the document being read; drops the recording once it would take the budget past
    /// its end (the document is then parsed again by the reading pass).
    func record(_ fields: FieldBuffer, line: Int) {
        guard let recording else { return }
        recording.append(fields, line: line)
        if recordedBytes + recording.heldBytes > recordingBudget { self.recording = nil }
    }

    /// Keeps the recording of a document read whole without error.
    func finishRecording(path: String, documentBytes: Int) {
        guard let recording, !isFull else { return }
        recording.documentBytes = documentBytes
        recording.shrink()
        recordedBytes += recording.heldBytes
        recorded[path] = recording
        self.recording = nil
    }

    init(rowLimit: Int, recordingBudget: Int = 0) {
        self.rowLimit = rowLimit
        self.recordingBudget = recordingBudget
    }

    var isFull: Bool { rows >= rowLimit }
}

extension AuditLoader {
    /// Rows of one file read by the learning pass.
    public static let boilerplateRowsPerFile = 40_000
    /// Bytes of the files of one folder and system read by the learning pass (a folder of one-document
    /// files is sampled by its first files, in path order).
    public static let boilerplateBytesPerFolder = 24 << 20
    /// Bytes of recorded XML records held from the learning pass to the reading pass, for all its files.
    static let recordedBytesLimit = 64 << 20

    /// The files the learning pass reads: in path order, those of each folder and system (the system the
    /// file or folder name gives, if any) until `budget` bytes of them are chosen. Per system, not per
    /// folder: a site's folder holding a large DPI export beside its DUI export samples both (a folder-wide
    /// budget spent on the DPI file left the DUI's headings and routine notes unlearned at 4 M entries).
    static func boilerplateSampleFiles(
        _ files: [InputFile], sizes: [Int], budget: Int = boilerplateBytesPerFolder
    ) -> [InputFile] {
        var bytesByGroup: [String: Int] = [:]
        var chosen: [InputFile] = []
        for (file, size) in zip(files, sizes) {
            let group = (file.path as NSString).deletingLastPathComponent + "\u{1F}" + (file.system?.name ?? "")
            guard bytesByGroup[group, default: 0] < budget else { continue }
            bytesByGroup[group, default: 0] += size
            chosen.append(file)
        }
        return chosen
    }

    /// What the learning pass read, for the method section.
    public struct BoilerplateLearning: Sendable {
        public var boilerplate: Boilerplate
        public var filesSampled = 0
        public var rowsSampled = 0
        /// The XML documents the pass read whole, kept so that the reading pass does not parse them again.
        var recordings: [String: RecordedRecords] = [:]
    }

    /// Learns the audit's boilerplate from a sample of `files` (the first rows of each file, the first
    /// files of each folder), then adds the configured phrases and takes out the vetoed ones.
    /// Errors are not reported here: the reading pass reports them with file and line.
    func learnBoilerplate(files: [InputFile], sizes: [Int]) -> BoilerplateLearning {
        guard options.learnsBoilerplate else {
            return BoilerplateLearning(
                boilerplate: Boilerplate(phrases: options.configuredBoilerplate, vetoes: options.boilerplateVetoes))
        }
        let chosen = Self.boilerplateSampleFiles(files, sizes: sizes)
        // One learner per run of consecutive files (a folder of one-document files shares one), the runs
        // read in parallel, then merged in order.
        let runs = min(parallelism, chosen.count)
        let samples = (0..<runs).map { _ in
            BoilerplateSample(
                rowLimit: Self.boilerplateRowsPerFile, recordingBudget: recordingBudget / max(runs, 1))
        }
        var lenient = options
        lenient.strict = false
        let learning = lenient, sampled = chosen
        DispatchQueue.concurrentPerform(iterations: runs) { run in
            var runOptions = learning
            runOptions.boilerplateSample = samples[run]
            let loader = AuditLoader(pseudonymizer: pseudonymizer, options: runOptions, parallelism: 1)
            for index in stride(from: sampled.count * run / runs, to: sampled.count * (run + 1) / runs, by: 1) {
                _ = try? loader.readFile(sampled[index])
                samples[run].nextFile()
            }
        }
        var learner = BoilerplateLearner()
        for sample in samples { learner.merge(sample.learner) }
        var boilerplate = Boilerplate(
            phrases: learner.learned() + options.configuredBoilerplate, vetoes: options.boilerplateVetoes)
        boilerplate = boilerplate.with(routineNotes: learner.routineNotes(boilerplate))
        var recordings: [String: RecordedRecords] = [:]
        for sample in samples { recordings.merge(sample.recorded) { first, _ in first } }
        return BoilerplateLearning(
            boilerplate: boilerplate, filesSampled: chosen.count, rowsSampled: samples.reduce(0) { $0 + $1.rowsBefore },
            recordings: recordings)
    }
}
