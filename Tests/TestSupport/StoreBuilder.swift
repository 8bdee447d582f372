import RessaisieCore

/// Builds an `EntryStore` by hand for tests of linkage, matching and metrics, with readable names in
/// place of pseudonyms.
public struct StoreBuilder {
    public private(set) var store = EntryStore()
    private var fingerprinter = ContentFingerprinter()
    /// Base time: 2026-03-02T00:00:00Z.
    public static let base: Int64 = 1_772_409_600

    public init() {}

    public static func pseudonym(_ text: String) -> Pseudonym {
        Pseudonym(high: StableHasher.hash(text), low: StableHasher.hash(text + "#"))
    }

    /// Adds a patient record (site, system, local id) with optional INS and traits (any text standing for them).
    @discardableResult
    public mutating func patient(
        _ site: String, _ system: InformationSystem, _ id: String, ins: String? = nil, traits: String? = nil
    ) -> UInt32 {
        let siteIndex = store.site(named: site)
        let index = store.patient(
            key: Self.pseudonym("\(site)|\(system.name)|\(id)"), site: siteIndex, system: store.system(system))
        store.setIdentity(of: index, ins: ins.map(Self.pseudonym), traits: traits.map(Self.pseudonym))
        return index
    }

    /// Adds an entry to `system` (`.dpi`, `.dui`, `.sip`, or any `InformationSystem`, registered when new); times
    /// in minutes after `base`. Returns its index.
    @discardableResult
    public mutating func entry(
        _ recordID: String, site: String, system: InformationSystem, patient: String, category: String = "vital_sign",
        label: String = "", value: String = "", unit: String = "", text: String = "", at minutes: Int64,
        effective: Int64? = nil, author: String? = nil, profession: String? = nil, plusSeconds: Int64 = 0,
        flags: Entry.Flags = []
    ) -> Int {
        let siteIndex = store.site(named: site), systemID = store.system(system)
        let patientIndex = store.patient(
            key: Self.pseudonym("\(site)|\(system.name)|\(patient)"), site: siteIndex, system: systemID)
        let categoryIndex = store.category(named: category)
        let content = fingerprinter.summarize(
            label: label, value: value, unit: unit, text: text, textIsContent: category == "note",
            keyPart: ReEntryDetector.NearDuplicateThreshold.keyPartCategories.contains(category))
        let words = UInt16(text.split(separator: " ").count)
        let entry = Entry(
            recordedAt: Self.base + minutes * 60 + plusSeconds,
            effectiveAt: effective.map { Self.base + $0 * 60 } ?? Entry.noTime,
            fingerprint: content.fingerprint, recordID: 0, patient: patientIndex,
            author: author.map { store.author(Self.pseudonym($0)) } ?? Entry.noID, textWords: words,
            site: siteIndex, category: categoryIndex,
            profession: profession.map { store.profession(named: $0) } ?? .max,
            system: systemID, purpose: Category.purpose(of: category),
            flags: flags.union(content.isRoutine ? .routine : []))
        let bytes = Array(recordID.utf8)
        let duplicate = bytes.withUnsafeBytes { store.add(entry, recordID: $0, sketch: content.sketch) }
        precondition(duplicate == nil, "duplicate record id in test")
        return store.count - 1
    }

    /// Record ids of each group, original first.
    public static func recordIDs(of groups: [DuplicateGroup], in store: EntryStore) -> [[String]] {
        groups.map { $0.members.map { store.recordID(of: store.entries[$0]) } }
    }
}
