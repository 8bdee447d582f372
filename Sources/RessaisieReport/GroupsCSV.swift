import Foundation
import RessaisieCore

/// The `--groups FILE` contract: one row per entry in a duplicate group,
/// `group_id,site,system,record_id,role,recorded_at`.
///
/// `group_id` is stable: derived from the original's site, system and record id, so the same group keeps
/// its id when more exports are added. `recorded_at` is ISO 8601 on the site's clock.
public enum GroupsCSV {
    public static let header = "group_id,site,system,record_id,role,recorded_at"

    public static func render(groups: [DuplicateGroup], store: EntryStore, clock: SiteClock) -> String {
        var output = header + "\n"
        let entries = store.entries
        for group in groups {
            let original = entries[group.original]
            let id = groupID(
                site: store.sites[Int(group.site)], system: store.system(of: original),
                recordID: store.recordID(of: original))
            for (position, member) in group.members.enumerated() {
                let entry = entries[member]
                let fields = [
                    id, store.sites[Int(entry.site)], store.system(of: entry).name, store.recordID(of: entry),
                    position == 0 ? "original" : "re_entry", clock.iso8601(entry.recordedAt),
                ]
                output.append(CSVField.line(fields))
                output.append("\n")
            }
        }
        return output
    }

    /// `g` and 16 hex digits of a stable hash of the original's site, system and record id.
    public static func groupID(site: String, system: InformationSystem, recordID: String) -> String {
        var hasher = StableHasher(seed: 0x6772_6F75_7073_3031)
        hasher.combine(site)
        hasher.combine(byte: 0x1F)
        hasher.combine(system.name)
        hasher.combine(byte: 0x1F)
        hasher.combine(recordID)
        let hex = String(hasher.finalize(), radix: 16)
        return "g" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
