/// The entries of an audit and the tables their indices point into.
///
/// Ingest fills one store per file (in parallel), then the stores are merged in file order, so the
/// result does not depend on which file finished first. Merging remaps every index and refuses an entry
/// whose record id already exists in its site and system.
public struct EntryStore: Sendable {
    public internal(set) var entries: [Entry] = []
    /// Record ids, each stored with a 4-byte prefix (site, system) so that interning detects duplicates.
    private var recordIDTable = ByteStringTable(capacity: 1024)
    public private(set) var sites: [String] = []
    public private(set) var categories: [String] = []
    public private(set) var professions: [String] = []
    public private(set) var files: [String] = []
    /// The audit's systems, `Entry.system` indexing them: `DPI`, `DUI` and `SIP` first (at `SystemID.dpi`,
    /// `.dui`, `.sip`), then those declared, then the others in the order they were first read.
    public private(set) var systems: [InformationSystem] = InformationSystem.named
    public private(set) var patients: [PatientRecord] = []
    public private(set) var authors: [Pseudonym] = []
    /// Sketches of the entries' free text, in entry order (each names its entry); most entries have none.
    public private(set) var sketches: [TextSketch] = []

    private var siteIndex: [String: UInt16] = [:]
    private var categoryIndex: [String: UInt16] = [:]
    private var professionIndex: [String: UInt16] = [:]
    private var systemIndex: [String: SystemID] = EntryStore.namedSystemIndex
    private var patientIndex: [Pseudonym: UInt32] = [:]
    private var authorIndex: [Pseudonym: UInt32] = [:]

    /// Patients whose records disagree on their INS or traits (first value kept), counted for data quality.
    public private(set) var identityConflicts = 0
    /// Patients whose INS has a wrong check key (not used for linkage), counted for data quality.
    public private(set) var invalidINS = 0
    /// Entries with an implausible time (before 1900, after the run, before the patient's birth): kept,
    /// but out of the period. Counted; the first ones with file index and line.
    public private(set) var implausibleTimes = 0
    public private(set) var implausibleTimeExamples: [(file: UInt32, line: UInt32, detail: String)] = []
    /// Periods the exports declare (a title line or their profile), by file path: UTC seconds from the
    /// first second of the first day to the last second of the last, on the file's clock.
    public var declaredPeriods: [String: ClosedRange<Int64>] = [:]

    /// Records that the export at `path` covers `period` (local days on `clock`).
    public mutating func declare(_ period: DeclaredPeriod, forFile path: String, clock: inout SiteClock) {
        declaredPeriods[path] = period.utc(on: &clock)
    }

    /// True for the audit's store: adding an entry whose record id is already used in its site and system
    /// is refused. False for a file's batch, whose duplicates are found when it is merged (so each record
    /// id is hashed once).
    public let deduplicatesRecordIDs: Bool

    /// A store whose table of systems starts with `declaredSystems` after `DPI`, `DUI` and `SIP` (so that a
    /// declared system keeps its declared spelling and kind).
    public init(deduplicatingRecordIDs: Bool = true, declaredSystems: [InformationSystem] = []) {
        deduplicatesRecordIDs = deduplicatingRecordIDs
        for system in declaredSystems { _ = self.system(system) }
    }

    public var count: Int { entries.count }

    /// True when nothing at all has been added (no entry and no table; the systems it starts with aside).
    public var isEmpty: Bool {
        entries.isEmpty && sites.isEmpty && categories.isEmpty && professions.isEmpty && files.isEmpty
            && patients.isEmpty && authors.isEmpty && identityConflicts == 0 && invalidINS == 0 && implausibleTimes == 0
            && declaredPeriods.isEmpty
    }

    public mutating func reserveCapacity(_ count: Int, recordIDBytes: Int = 0, sketches sketchCount: Int = 0) {
        entries.reserveCapacity(count)
        if sketchCount > 0 { sketches.reserveCapacity(sketchCount) }
        recordIDTable.reserveCapacity(
            strings: count, bytes: recordIDBytes + Self.recordIDPrefix * count, interned: deduplicatesRecordIDs)
    }

    // MARK: Tables

    /// Most distinct sites, categories and professions kept by name; past it (garbage input: a column of
    /// free text mapped to one of them), further names share one overflow entry.
    public static let namedLimit = 65_000

    /// Index of a site; past `namedLimit` distinct sites, "(other sites)".
    public mutating func site(named name: String) -> UInt16 {
        Self.index(of: name, in: &sites, &siteIndex, overflow: "(other sites)")
    }

    public func siteIndex(named name: String) -> UInt16? { siteIndex[name] }

    /// Index of a category; past `namedLimit` distinct labels, "other".
    public mutating func category(named name: String) -> UInt16 {
        Self.index(of: name, in: &categories, &categoryIndex, overflow: "other")
    }

    /// Index of a profession; past `namedLimit` distinct labels, "autre".
    public mutating func profession(named name: String) -> UInt16 {
        Self.index(of: name, in: &professions, &professionIndex, overflow: "autre")
    }

    private static func index(
        of name: String, in names: inout [String], _ index: inout [String: UInt16], overflow: String
    ) -> UInt16 {
        if let known = index[name] { return known }
        let key = names.count >= namedLimit ? overflow : name
        if let known = index[key] { return known }
        let new = UInt16(names.count)
        names.append(key)
        index[key] = new
        return new
    }

    /// Most distinct systems kept by name; past it (garbage input: a column of free text read as the system),
    /// further names share one overflow system.
    public static let namedSystemLimit = 1_000
    private static let namedSystemIndex = Dictionary(
        uniqueKeysWithValues: InformationSystem.named.enumerated().map {
            (InformationSystem.lookupKey($1.name), SystemID(rawValue: UInt16($0)))
        })

    /// Index of a system, by its name (case folded); a new name is added with `system`'s kind. Past
    /// `namedSystemLimit` names, "(other systems)".
    public mutating func system(_ system: InformationSystem) -> SystemID {
        let key = InformationSystem.lookupKey(system.name)
        if let known = systemIndex[key] { return known }
        let added =
            systems.count >= Self.namedSystemLimit
            ? InformationSystem(name: "(other systems)", kind: .other) : system
        let addedKey = InformationSystem.lookupKey(added.name)
        if let known = systemIndex[addedKey] { return known }
        let new = SystemID(rawValue: UInt16(systems.count))
        systems.append(added)
        systemIndex[addedKey] = new
        return new
    }

    /// The system an entry was typed into.
    public func system(of entry: Entry) -> InformationSystem { systems[entry.system.index] }

    /// The index of a system known by name (case folded), if any.
    public func systemID(named name: String) -> SystemID? { systemIndex[InformationSystem.lookupKey(name)] }

    public mutating func file(named path: String) -> UInt32 {
        files.append(path)
        return UInt32(files.count - 1)
    }

    /// Index of the patient record for this pseudonymous key, created when new.
    public mutating func patient(key: Pseudonym, site: UInt16, system: SystemID) -> UInt32 {
        if let index = patientIndex[key] { return index }
        let index = UInt32(patients.count)
        patients.append(PatientRecord(site: site, system: system, key: key))
        patientIndex[key] = index
        return index
    }

    /// Records identity traits for a patient; a value that disagrees with the one already known is a
    /// conflict (counted, first value kept).
    public mutating func setIdentity(of patient: UInt32, ins: Pseudonym?, traits: Pseudonym?) {
        let index = Int(patient)
        var conflict = false
        if let ins {
            if let known = patients[index].ins {
                conflict = conflict || known != ins
            } else {
                patients[index].ins = ins
            }
        }
        if let traits {
            if let known = patients[index].traits {
                conflict = conflict || known != traits
            } else {
                patients[index].traits = traits
            }
        }
        if conflict { identityConflicts += 1 }
    }

    /// Sets the identity features of a patient, unless it has some already (first value kept).
    public mutating func setFeatures(of patient: UInt32, _ features: IdentityFeatures) {
        if patients[Int(patient)].features.isEmpty { patients[Int(patient)].features = features }
    }

    /// Counts a patient whose INS has a wrong check key.
    public mutating func noteImplausibleTime(file: UInt32, line: UInt32, detail: String) {
        implausibleTimes += 1
        if implausibleTimeExamples.count < 200 { implausibleTimeExamples.append((file, line, detail)) }
    }

    public mutating func countInvalidINS() {
        invalidINS += 1
    }

    /// Counts a conflict found by ingest (two INS for one local id in one file).
    public mutating func countIdentityConflict() {
        identityConflicts += 1
    }

    public mutating func author(_ pseudonym: Pseudonym) -> UInt32 {
        if let index = authorIndex[pseudonym] { return index }
        let index = UInt32(authors.count)
        authors.append(pseudonym)
        authorIndex[pseudonym] = index
        return index
    }

    // MARK: Entries

    /// Adds an entry whose `recordID` field is ignored and set from `recordID` bytes.
    /// Returns the index of the first entry with the same id in the same site and system instead, when
    /// there is one and the store deduplicates (the new entry is then not added).
    @discardableResult
    public mutating func add(_ entry: Entry, recordID: UnsafeRawBufferPointer, sketch: TextSketch? = nil)
        -> DuplicateRecord?
    {
        var entry = entry
        let (index, inserted) = withPrefixed(recordID, site: entry.site, system: entry.system) { prefixed in
            deduplicatesRecordIDs ? recordIDTable.intern(prefixed) : (recordIDTable.append(prefixed), true)
        }
        guard inserted else { return DuplicateRecord(recordID: index) }
        // Record ids and entries grow together, so an entry's index is its record id's index.
        assert(Int(index) == entries.count)
        entry.recordID = index
        if var sketch {
            sketch.entry = UInt32(entries.count)
            sketches.append(sketch)
        }
        entries.append(entry)
        return nil
    }

    /// The source's own id of an entry.
    public func recordID(of entry: Entry) -> String {
        recordIDTable.withBytes(at: entry.recordID) { bytes in
            String(decoding: UnsafeRawBufferPointer(rebasing: bytes[Self.recordIDPrefix...]), as: UTF8.self)
        }
    }

    /// The sketch of an entry's free text, when it has one (a binary search: sketches are in entry order).
    public func sketch(of entryIndex: Int) -> TextSketch? {
        var low = 0, high = sketches.count
        let target = UInt32(entryIndex)
        while low < high {
            let middle = (low + high) / 2
            if sketches[middle].entry < target { low = middle + 1 } else { high = middle }
        }
        return low < sketches.count && sketches[low].entry == target ? sketches[low] : nil
    }

    /// Bytes held by the record-id table, for memory accounting.
    public var recordIDBytes: Int { recordIDTable.storageBytes }

    /// Bytes before each record id in `recordIDTable`: site and system, two bytes each.
    static let recordIDPrefix = 4

    private func withPrefixed<R>(
        _ bytes: UnsafeRawBufferPointer, site: UInt16, system: SystemID, _ body: (UnsafeRawBufferPointer) -> R
    ) -> R {
        let total = bytes.count + Self.recordIDPrefix
        return withUnsafeTemporaryAllocation(byteCount: total, alignment: 1) { buffer in
            buffer[0] = UInt8(truncatingIfNeeded: site)
            buffer[1] = UInt8(truncatingIfNeeded: site >> 8)
            buffer[2] = UInt8(truncatingIfNeeded: system.rawValue)
            buffer[3] = UInt8(truncatingIfNeeded: system.rawValue >> 8)
            if !bytes.isEmpty {
                UnsafeMutableRawBufferPointer(rebasing: buffer[Self.recordIDPrefix...]).copyMemory(from: bytes)
            }
            return body(UnsafeRawBufferPointer(buffer))
        }
    }

    // MARK: Merging

    /// Appends every entry of `batch`, remapping its indices into this store's tables. Entries whose
    /// record id already exists in their site and system are not added; they are returned.
    @discardableResult
    public mutating func merge(_ batch: EntryStore) -> [RejectedDuplicate] {
        // Into an empty store that does not deduplicate, every table maps to itself: take the batch
        // whole instead of copying it (one file of a million entries is then held once, not twice).
        if !deduplicatesRecordIDs && !batch.deduplicatesRecordIDs && isEmpty && batch.systems.starts(with: systems) {
            self = batch
            return []
        }
        let siteMap = batch.sites.map { site(named: $0) }
        let categoryMap = batch.categories.map { category(named: $0) }
        let professionMap = batch.professions.map { profession(named: $0) }
        let systemMap = batch.systems.map { system($0) }
        let fileMap = batch.files.map { file(named: $0) }
        var patientMap = [UInt32]()
        patientMap.reserveCapacity(batch.patients.count)
        for record in batch.patients {
            let index = patient(
                key: record.key, site: siteMap[Int(record.site)], system: systemMap[record.system.index])
            setIdentity(of: index, ins: record.ins, traits: record.traits)
            setFeatures(of: index, record.features)
            patientMap.append(index)
        }
        identityConflicts += batch.identityConflicts
        invalidINS += batch.invalidINS
        declaredPeriods.merge(batch.declaredPeriods) { first, _ in first }
        implausibleTimes += batch.implausibleTimes
        for example in batch.implausibleTimeExamples where implausibleTimeExamples.count < 200 {
            implausibleTimeExamples.append((fileMap[Int(example.file)], example.line, example.detail))
        }
        let authorMap = batch.authors.map { author($0) }

        var rejected: [RejectedDuplicate] = []
        if entries.isEmpty { reserveCapacity(batch.entries.count, recordIDBytes: batch.recordIDBytes) }
        var nextSketch = 0
        for (batchIndex, var entry) in batch.entries.enumerated() {
            let localID = entry.recordID
            entry.site = siteMap[Int(entry.site)]
            entry.category = categoryMap[Int(entry.category)]
            entry.system = systemMap[entry.system.index]
            if entry.profession != .max { entry.profession = professionMap[Int(entry.profession)] }
            entry.file = fileMap[Int(entry.file)]
            entry.patient = patientMap[Int(entry.patient)]
            if entry.author != Entry.noID { entry.author = authorMap[Int(entry.author)] }
            var sketch: TextSketch?
            if nextSketch < batch.sketches.count, batch.sketches[nextSketch].entry == UInt32(batchIndex) {
                sketch = batch.sketches[nextSketch]
                nextSketch += 1
            }
            let duplicate = batch.recordIDTable.withBytes(at: localID) { prefixed -> DuplicateRecord? in
                add(entry, recordID: UnsafeRawBufferPointer(rebasing: prefixed[Self.recordIDPrefix...]), sketch: sketch)
            }
            if let duplicate {
                let first = entries[Int(duplicate.recordID)]
                rejected.append(
                    RejectedDuplicate(entry: entry, firstFile: files[Int(first.file)], firstLine: first.line))
            }
        }
        return rejected
    }
}

extension EntryStore {
    /// Entries whose record id an earlier entry of the same site and system already used.
    public struct RepeatedRecordIDs: Sendable {
        /// Removed: the same record again, with the same content about the same patient (a document-based
        /// export carries a statement in every document that includes it).
        public var republished: [RejectedDuplicate] = []
        /// Kept: the id on other content (a producer reusing ids, as example documents do).
        public var reused: [RejectedDuplicate] = []
    }

    /// Removes every entry that repeats an earlier entry (lower index: earlier file, earlier line) of the
    /// same site and system under the same record id with the same content and patient, and returns them
    /// with the entries kept although their id was used before on other content. For stores built
    /// without deduplication: one sort of hashes instead of a hash-table probe per entry.
    public mutating func removeRepublishedRecords() -> RepeatedRecordIDs {
        precondition(!deduplicatesRecordIDs, "a deduplicating store has no duplicates to remove")
        var keys = [KeyedIndex]()
        keys.reserveCapacity(entries.count)
        // The top 33 bits of each id's hash: three radix passes instead of six; ids that share them are
        // told apart by their bytes below (a few dozen pairs in a million).
        for (index, entry) in entries.enumerated() {
            keys.append(
                KeyedIndex(
                    key: recordIDTable.withBytes(at: entry.recordID) { StableHasher.hash($0) } >> 31,
                    index: UInt32(index)))
        }
        RadixSort.sort(&keys)  // stable: equal keys keep entry order
        var firstOf: [UInt32: UInt32] = [:]  // republished entry index → first entry index
        var result = RepeatedRecordIDs()
        RadixSort.forEachRun(ofEqualKeysIn: keys) { run in
            for later in run.lowerBound + 1..<run.upperBound {
                var usedBefore: UInt32?
                for earlier in run.lowerBound..<later where firstOf[keys[earlier].index] == nil {
                    let a = Int(keys[earlier].index), b = Int(keys[later].index)
                    guard sameRecordID(a, b) else { continue }
                    if entries[a].fingerprint == entries[b].fingerprint, entries[a].patient == entries[b].patient {
                        firstOf[keys[later].index] = keys[earlier].index
                        usedBefore = nil
                        break
                    }
                    usedBefore = usedBefore ?? UInt32(a)
                }
                if let first = usedBefore {
                    let original = entries[Int(first)], entry = entries[Int(keys[later].index)]
                    result.reused.append(
                        RejectedDuplicate(
                            entry: entry, firstFile: files[Int(original.file)], firstLine: original.line))
                }
            }
        }
        result.reused.sort { ($0.entry.file, $0.entry.line) < ($1.entry.file, $1.entry.line) }
        guard !firstOf.isEmpty else { return result }
        var rejected: [RejectedDuplicate] = []
        var kept: [Entry] = []
        kept.reserveCapacity(entries.count - firstOf.count)
        var nextSketch = 0, keptSketches = 0
        for (index, entry) in entries.enumerated() {
            let hasSketch = nextSketch < sketches.count && sketches[nextSketch].entry == UInt32(index)
            if let first = firstOf[UInt32(index)] {
                let original = entries[Int(first)]
                rejected.append(
                    RejectedDuplicate(entry: entry, firstFile: files[Int(original.file)], firstLine: original.line))
            } else {
                if hasSketch {
                    // Sketches follow their entries to their new index.
                    sketches[keptSketches] = sketches[nextSketch]
                    sketches[keptSketches].entry = UInt32(kept.count)
                    keptSketches += 1
                }
                kept.append(entry)
            }
            if hasSketch { nextSketch += 1 }
        }
        sketches.removeLast(sketches.count - keptSketches)
        entries = kept
        result.republished = rejected
        return result
    }

    private func sameRecordID(_ a: Int, _ b: Int) -> Bool {
        recordIDTable.withBytes(at: entries[a].recordID) { first in
            recordIDTable.withBytes(at: entries[b].recordID) { second in
                first.count == second.count && first.elementsEqual(second)
            }
        }
    }
}

/// The entry already stored under the same record id (its index in `entries`, which is also its
/// record id's index).
public struct DuplicateRecord: Sendable {
    public var recordID: UInt32
    public var entryIndex: Int { Int(recordID) }
}

/// An entry refused by `EntryStore.merge` because its record id was already used in its site and system.
public struct RejectedDuplicate: Sendable {
    public var entry: Entry
    public var firstFile: String?
    public var firstLine: UInt32?
}
