import RessaisieCore

/// The `--cross-category FILE` output: one row per fact typed in one category and typed again in another,
/// `from_site,from_system,from_record_id,to_site,to_system,to_record_id,from_category,to_category,from_recorded_at,to_recorded_at`.
///
/// Like `--pathways`, it names entries by the sources' own record ids (never a patient's id), in the same first
/// columns, so that `ressaisie evaluate --cross-category` scores it against synth's `truth-cross-category.csv`.
/// Rows in the order of the re-entries' times.
public enum CrossCategoryCSV {
    public static let header =
        "from_site,from_system,from_record_id,to_site,to_system,to_record_id,from_category,to_category,from_recorded_at,to_recorded_at"

    public static func render(_ result: CrossCategoryDetector.Result, store: EntryStore, clock: SiteClock) -> String {
        var output = header + "\n"
        for pair in result.pairs {
            let (from, to) = (store.entries[pair.original], store.entries[pair.reEntry])
            output.append(
                CSVField.line([
                    store.sites[Int(from.site)], store.system(of: from).name, store.recordID(of: from),
                    store.sites[Int(to.site)], store.system(of: to).name, store.recordID(of: to),
                    store.categories[Int(from.category)], store.categories[Int(to.category)],
                    clock.iso8601(from.recordedAt), clock.iso8601(to.recordedAt),
                ]))
            output.append("\n")
        }
        return output
    }
}
