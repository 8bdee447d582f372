import Foundation
import RessaisieCore

/// Collects, while the exports are read again, the content of the entries a review sample names (by file,
/// line and record id): what the analyst needs to see, which the analysis itself never keeps.
public final class ReviewContentSink: EntrySink, @unchecked Sendable {  // EntryListing reads one file at a time
    private let wanted: Set<String>
    private let lock = NSLock()
    public private(set) var found: [String: ListedEntry] = [:]

    /// The key of an entry: its file, line and record id.
    public static func key(file: String, line: Int, recordID: String) -> String {
        "\(file)\u{1F}\(line)\u{1F}\(recordID)"
    }

    public init(wanted: Set<String>) {
        self.wanted = wanted
    }

    public func entry(_ entry: ListedEntry) {
        let key = Self.key(file: entry.file, line: entry.line, recordID: entry[.recordID])
        guard wanted.contains(key) else { return }
        lock.lock()
        if found[key] == nil { found[key] = entry }
        lock.unlock()
    }
}

/// The review file: one row per sampled pair, the two entries' content side by side, and an empty
/// `same_fact` column for the analyst (yes / no); then read back, labelled, by `review --score`.
///
/// The file holds what patients' records say (labels, values, free text): it is for the analyst's eyes on
/// site, never published, never attached to a report. Its first lines say so. Patient ids are pseudonyms;
/// record ids are the sources' own, so that the analyst can open the record in the system.
public enum ReviewFile {
    /// Columns, in order.
    public static let columns = [
        "pair_id", "stratum", "stratum_population", "stratum_sampled", "site", "category", "score",
        "system_a", "record_id_a", "patient_a", "recorded_at_a", "effective_at_a", "label_a", "value_a", "unit_a",
        "text_a", "set_aside_a",
        "system_b", "record_id_b", "patient_b", "recorded_at_b", "effective_at_b", "label_b", "value_b", "unit_b",
        "text_b", "set_aside_b",
        "same_fact",
    ]

    /// The columns `review --score` needs.
    public static let scoredColumns = ["pair_id", "stratum", "stratum_population", "same_fact"]

    /// The lines before the header (each starts with `#`; no quote, so that a CSV reader keeps them whole).
    public static let warning = [
        "# ressaisie review sample - FOR THE ANALYST'S EYES ONLY. It holds the content of patient records: keep it on site;",
        "# never publish it or attach it to a report. Fill same_fact for each pair: yes (one fact typed twice), no (two facts),",
        "# copy (one entry was typed by no one: an interface copy or a record exported again); leave it empty when unsure.",
        "# Then: ressaisie review --score FILE",
    ]

    /// The keys of the entries of `pairs` (`ReviewContentSink.key`).
    public static func wantedKeys(_ pairs: [ReviewPair], store: EntryStore) -> Set<String> {
        var keys = Set<String>()
        for pair in pairs {
            for index in [pair.first, pair.second] {
                let entry = store.entries[index]
                keys.insert(
                    ReviewContentSink.key(
                        file: store.files[Int(entry.file)], line: Int(entry.line), recordID: store.recordID(of: entry)))
            }
        }
        return keys
    }

    /// The file for a drawn sample; `contents` from a `ReviewContentSink` (an entry not found there is
    /// written without its content). `setAside`: why the matcher set an entry aside before grouping
    /// (`interface_copy`, `republished`), shown so that the analyst can check it. `settings`: a line of what the
    /// sample was drawn with.
    public static func render(
        _ sample: ReviewSample, store: EntryStore, contents: [String: ListedEntry], clock: SiteClock,
        setAside: [Int: String] = [:], settings: String
    ) -> String {
        var output =
            warning.joined(separator: "\n") + "\n# " + settings.replacingOccurrences(of: "\"", with: "'") + "\n"
        output += columns.joined(separator: ",") + "\n"
        var sampled: [ReviewStratum: Int] = [:]
        for pair in sample.pairs { sampled[pair.stratum, default: 0] += 1 }
        for (number, pair) in sample.pairs.enumerated() {
            let a = store.entries[pair.first], b = store.entries[pair.second]
            func side(_ entry: Entry) -> [String] {
                let recordID = store.recordID(of: entry)
                let listed = contents[
                    ReviewContentSink.key(file: store.files[Int(entry.file)], line: Int(entry.line), recordID: recordID)
                ]
                return [
                    store.system(of: entry).name, recordID,
                    listed?[.patientID] ?? store.patients[Int(entry.patient)].key.hex,
                    clock.iso8601(entry.recordedAt), entry.hasEffectiveTime ? clock.iso8601(entry.effectiveAt) : "",
                    listed?[.label] ?? "", listed?[.value] ?? "", listed?[.unit] ?? "", listed?[.text] ?? "",
                ]
            }
            func reason(_ entry: Int) -> [String] { [setAside[entry] ?? ""] }
            let fields =
                [
                    String(number + 1), pair.stratum.description, String(sample.populations[pair.stratum] ?? 0),
                    String(sampled[pair.stratum] ?? 0), store.sites[Int(a.site)], store.categories[Int(a.category)],
                    String(format: "%.2f", pair.score),
                ] + side(a) + reason(pair.first) + side(b) + reason(pair.second) + [""]
            output += CSVField.line(fields) + "\n"
        }
        return output
    }

    /// The labels of a reviewed file. Throws `IngestError` with the file and line: a missing column, an
    /// unknown stratum, a population that is not a number, a label other than yes / no (oui / non, y / n,
    /// 1 / 0, true / false, any case), copy (copie) or empty; a pair id twice.
    public static func labels(path: String) throws -> [ReviewEstimate.Label] {
        var labels: [ReviewEstimate.Label] = []
        var seen: [String: Int] = [:]
        try EvaluationFiles.read(path: path, columns: scoredColumns, required: 3, comments: true) { values, line in
            let place = "\(path):\(line)"
            if let first = seen[values[0]] {
                throw IngestError.invalidFile(path: place, reason: "pair_id '\(values[0])' already on line \(first)")
            }
            seen[values[0]] = line
            guard let stratum = ReviewStratum(id: values[1]) else {
                throw IngestError.invalidFile(path: place, reason: "unknown stratum '\(values[1])'")
            }
            guard let population = Int(values[2]), population >= 0 else {
                throw IngestError.invalidFile(path: place, reason: "stratum_population '\(values[2])' is not a count")
            }
            let label = values[3].trimmingCharacters(in: .whitespaces).lowercased()
            var sameFact: Bool?, copy = false
            switch label {
            case "": sameFact = nil
            case "yes", "y", "oui", "o", "1", "true": sameFact = true
            case "no", "n", "non", "0", "false": sameFact = false
            case "copy", "copie": copy = true
            default:
                throw IngestError.invalidFile(
                    path: place,
                    reason: "same_fact '\(values[3])' is none of yes, no, copy (leave it empty when unsure)")
            }
            labels.append(
                ReviewEstimate.Label(stratum: stratum, population: population, sameFact: sameFact, copy: copy))
        }
        return labels
    }
}
