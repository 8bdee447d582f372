import RessaisieCore

/// The `--pathways FILE` output: one row per fact typed at one site and typed again at another,
/// `from_site,from_system,from_record_id,to_site,to_system,to_record_id,category,linked_by,from_recorded_at,to_recorded_at`.
///
/// Like `--groups`, it names entries by the sources' own record ids (never a patient's id); `linked_by` says how
/// the patient was found at both sites (`ins`, or `traits`: exact identity traits, unique at each site).
/// `ressaisie evaluate --pathways` scores it against synth's `truth-pathways.csv`. Rows in the order of the
/// re-entries' times.
public enum PathwaysCSV {
    public static let header =
        "from_site,from_system,from_record_id,to_site,to_system,to_record_id,category,linked_by,from_recorded_at,to_recorded_at"

    public static func render(_ result: PathwayDetector.Result, store: EntryStore, clock: SiteClock) -> String {
        var output = header + "\n"
        for pair in result.pairs {
            let (from, to) = (store.entries[pair.original], store.entries[pair.reEntry])
            output.append(
                CSVField.line([
                    store.sites[Int(from.site)], store.system(of: from).name, store.recordID(of: from),
                    store.sites[Int(to.site)], store.system(of: to).name, store.recordID(of: to),
                    store.categories[Int(to.category)], pair.linkedBy.rawValue, clock.iso8601(from.recordedAt),
                    clock.iso8601(to.recordedAt),
                ]))
            output.append("\n")
        }
        return output
    }
}
