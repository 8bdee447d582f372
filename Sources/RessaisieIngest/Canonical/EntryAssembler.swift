import Foundation
import RessaisieCore

/// The canonical fields of one record, as bytes (empty when the source does not have the field).
///
/// Every reader (canonical CSV, FHIR, CDA, mapped XML) fills one of these per record and hands it to
/// `EntryAssembler`, so that a fact gives the same entry, pseudonyms and fingerprint whatever the format.
/// The buffers are borrowed: they must stay valid for the duration of `EntryAssembler.add`.
struct CanonicalValues {
    static var empty: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: nil, count: 0) }

    var site = empty, system = empty, recordID = empty, patientID = empty, ins = empty
    var birthName = empty, givenNames = empty, birthDate = empty, sex = empty, birthPlace = empty
    var recordedAt = empty, effectiveAt = empty, authorID = empty, profession = empty
    var category = empty, purpose = empty, label = empty, value = empty, unit = empty, text = empty
    /// Line of the source where the record starts.
    var line = 0
}

/// Turns canonical field values into an `Entry` in a batch store: pseudonymizes the patient id, INS,
/// identity traits and author, fingerprints the content, parses the times, interns site, category and
/// profession. One per file (it keeps the file's local tables); raw identifiers never leave it.
struct EntryAssembler {
    let file: InputFile
    let fileIndex: UInt32
    let pseudonymizer: Pseudonymizer
    var identityEncoder: IdentityEncoder
    var clock: SiteClock
    var fingerprinter: ContentFingerprinter
    /// Set in the learning pass: rows feed its learner and make no entry.
    let sample: BoilerplateSample?
    /// Latest plausible time (UTC seconds): the run's time and a day.
    let latestPlausible: Int64
    /// Told of each entry assembled (`ressaisie entries`); nil for analysis.
    let sink: (any EntrySink)?

    /// The site from the file's folder, registered only when a record falls back to it (a file whose
    /// `site` column names every record's site adds no site of its own).
    var defaultSite: UInt16?
    let defaultSiteName: String

    // Local tables: raw bytes → index in the batch store.
    var sites = ByteStringTable(capacity: 4)
    var siteIndices: [UInt16] = []
    var patients = ByteStringTable(capacity: 1024)
    var patientIndices: [UInt32] = []
    /// Per local patient: a hash of the raw INS first seen (0: none yet), to count conflicting INS.
    var insHashes: [UInt64] = []
    /// Per local patient: identity traits already pseudonymized.
    var traitsKnown: [Bool] = []
    /// Per local patient: identity features already computed.
    var featuresKnown: [Bool] = []
    /// Bytes of "site␟system" per (site, system), the scope of local patient ids.
    var scopes: [Int: [UInt8]] = [:]
    var authors = ByteStringTable(capacity: 256)
    var authorIndices: [UInt32] = []
    var professions = ByteStringTable(capacity: 32)
    var professionIndices: [UInt16] = []
    var categories = ByteStringTable(capacity: 32)
    var categoryIndices: [UInt16] = []
    var categoryPurposes: [Purpose] = []
    /// Per local category: whether its free text is the whole content (notes: the label is a heading).
    var categoryTextIsContent: [Bool] = []
    /// Per local category: whether its facts are named by a key part (allergies, diagnoses, drugs).
    var categoryKeyPart: [Bool] = []
    /// Systems named by a `system` column other than `DPI`, `DUI`, `SIP`, and their index in the batch store.
    var systemNames = ByteStringTable(capacity: 4)
    var systemIndices: [SystemID] = []
    /// The system of the file's or folder's name, once registered in the batch store.
    var fileSystem: SystemID?
    /// Rows of sites outside the run's selection (`--shard`, `--site`) are skipped before anything else.
    var siteFilter: SiteFilter?
    /// Rows skipped as of sites outside the selection.
    var rowsOutsideSelection: Int { siteFilter?.skipped ?? 0 }

    init(
        file: InputFile, fileIndex: UInt32, pseudonymizer: Pseudonymizer, options: IngestOptions,
        store: inout EntryStore
    ) {
        self.file = file
        self.fileIndex = fileIndex
        self.pseudonymizer = pseudonymizer
        identityEncoder = IdentityEncoder(pseudonymizer: pseudonymizer)
        clock = SiteClock(timeZone: options.timeZone)
        defaultSiteName = file.site
        fingerprinter = ContentFingerprinter(boilerplate: options.boilerplate)
        sample = options.boilerplateSample
        latestPlausible = options.runTime + 86_400
        sink = options.entrySink
        siteFilter = options.siteSelection.map { SiteFilter($0, fileSite: file.site) }
    }

    /// In the learning pass, ends the file's reading once the sample has its rows.
    @inline(__always)
    func stopIfSampleIsFull() throws {
        if let sample, sample.isFull { throw BoilerplateSample.Full() }
    }

    /// The learning pass: the row's label and text, folded as they will be compared, go to the sample.
    private mutating func learn(_ values: CanonicalValues, into sample: BoilerplateSample, store: inout EntryStore) {
        sample.rows += 1
        let siteBytes = trimmed(values.site)
        let site = siteBytes.isEmpty ? defaultSiteName : String(decoding: siteBytes, as: UTF8.self)
        guard let system = systemIndex(values, store: &store) else { return }
        let local = categoryIndex(trimmed(values.category), store: &store)
        fingerprinter.observe(
            label: values.label, value: values.value, unit: values.unit, text: values.text,
            textIsContent: categoryTextIsContent[local], site: site,
            system: store.systems[system.index].name, person: trimmed(values.patientID), into: &sample.learner)
    }

    /// The system of a record: its `system` column (`DPI`, `DUI`, `SIP`, or any other name, a system of its
    /// own), else the file's or folder's name; nil when neither says one.
    @inline(__always)
    private mutating func systemIndex(_ values: CanonicalValues, store: inout EntryStore) -> SystemID? {
        let bytes = trimmed(values.system)
        if bytes.isEmpty {
            if fileSystem == nil, let named = file.system { fileSystem = store.system(named) }
            return fileSystem
        }
        if let kind = SystemKind(bytes: bytes) { return SystemID(kind) }
        let (local, inserted) = systemNames.intern(bytes)
        if inserted {
            let name = String(decoding: bytes, as: UTF8.self)
            systemIndices.append(store.system(InformationSystem(reading: name)!))
        }
        return systemIndices[Int(local)]
    }

    /// The local index of a category, its name, purpose and kind of content found on first sight.
    @inline(__always)
    private mutating func categoryIndex(_ bytes: UnsafeRawBufferPointer, store: inout EntryStore) -> Int {
        let (local, inserted) = categories.intern(bytes)
        if inserted {
            let name = CanonicalNames.shared.category(String(decoding: bytes, as: UTF8.self))
            categoryIndices.append(store.category(named: name))
            categoryPurposes.append(Category.purpose(of: name))
            categoryTextIsContent.append(name == "note")
            categoryKeyPart.append(ReEntryDetector.NearDuplicateThreshold.keyPartCategories.contains(name))
        }
        return Int(local)
    }

    /// Why a record makes no entry: the kind of rejection and the detail said with its file and line.
    struct Rejected: Error {
        var kind: RejectionKind
        var detail: String

        init(_ kind: RejectionKind, _ detail: String) {
            self.kind = kind
            self.detail = detail
        }
    }

    /// An entry's times: typing time (UTC seconds), effective time (`Entry.noTime` when it says nothing),
    /// what is known of them, and the patient's birth day (days since 1970), when given.
    struct Times {
        var recordedAt: Int64
        var effectiveAt: Int64
        var flags: Entry.Flags
        var birthDays: Int64?
    }

    /// Turns one record into an entry in `store`; returns why not when it cannot. The steps run in the
    /// order a record is checked (site, system, ids, times), so the first problem found is the one reported.
    @inline(__always)
    mutating func add(_ values: CanonicalValues, to store: inout EntryStore) -> (RejectionKind, String)? {
        if siteFilter != nil, !siteFilter!.admits(trimmed(values.site)) { return nil }
        if let sample {
            learn(values, into: sample, store: &store)
            return nil
        }
        do throws(Rejected) {
            let (siteIndex, system) = try siteAndSystem(values, store: &store)
            let recordIDBytes = trimmed(values.recordID)
            guard !recordIDBytes.isEmpty else { return (.missingValue, "empty 'record_id'") }
            let patientBytes = trimmed(values.patientID)
            guard !patientBytes.isEmpty else { return (.missingValue, "empty 'patient_id'") }
            let times = try times(values, store: &store)
            let patient = patientIndex(
                values, site: siteIndex, system: system, id: patientBytes, birthDays: times.birthDays,
                store: &store)
            let author = authorIndex(trimmed(values.authorID), store: &store)
            let profession = professionIndex(trimmed(values.profession), store: &store)
            let localCategory = categoryIndex(trimmed(values.category), store: &store)
            var entryPurpose = categoryPurposes[localCategory]
            let purposeBytes = trimmed(values.purpose)
            if !purposeBytes.isEmpty, let given = Purpose(name: String(decoding: purposeBytes, as: UTF8.self)) {
                entryPurpose = given
            }

            // Content.
            let content = fingerprinter.summarize(
                label: values.label, value: values.value, unit: values.unit, text: values.text,
                textIsContent: categoryTextIsContent[localCategory], keyPart: categoryKeyPart[localCategory])

            let entry = Entry(
                recordedAt: times.recordedAt, effectiveAt: times.effectiveAt, fingerprint: content.fingerprint,
                recordID: 0, patient: patient, author: author, textWords: content.textWords,
                line: UInt32(clamping: values.line), site: siteIndex, category: categoryIndices[localCategory],
                profession: profession, file: fileIndex, system: system, purpose: entryPurpose,
                flags: times.flags.union(content.isRoutine ? .routine : []))
            // Duplicate record ids are found when the batch is merged into the audit.
            store.add(entry, recordID: recordIDBytes, sketch: content.sketch)
            if let sink { sink.entry(listed(values, entry: entry, store: store)) }
            return nil
        } catch {
            return (error.kind, error.detail)
        }
    }

    /// The entry's site (its `site` value, else the file's folder, registered on first use) and system (its
    /// `system` value, else the file's or folder's name).
    @inline(__always)
    private mutating func siteAndSystem(
        _ values: CanonicalValues, store: inout EntryStore
    ) throws(Rejected) -> (UInt16, SystemID) {
        let siteIndex: UInt16
        let siteBytes = trimmed(values.site)
        if !siteBytes.isEmpty {
            let (local, inserted) = sites.intern(siteBytes)
            if inserted { siteIndices.append(store.site(named: String(decoding: siteBytes, as: UTF8.self))) }
            siteIndex = siteIndices[Int(local)]
        } else {
            if defaultSite == nil { defaultSite = store.site(named: defaultSiteName) }
            siteIndex = defaultSite!
        }
        guard let system = systemIndex(values, store: &store) else {
            throw Rejected(.missingValue, "empty 'system' and no system in the file or folder name")
        }
        return (siteIndex, system)
    }

    /// The entry's times and the patient's birth day, parsed; an implausible time is flagged and noted in
    /// the store's data quality.
    @inline(__always)
    private mutating func times(_ values: CanonicalValues, store: inout EntryStore) throws(Rejected) -> Times {
        let recordedBytes = trimmed(values.recordedAt)
        guard let recorded = parseTime(recordedBytes) else {
            throw recordedBytes.isEmpty
                ? Rejected(.missingValue, "empty 'recorded_at'")
                : Rejected(.unparseableDate, "unparseable 'recorded_at': \(quoted(recordedBytes))")
        }
        var times = Times(recordedAt: recorded, effectiveAt: Entry.noTime, flags: [], birthDays: nil)
        let effectiveBytes = trimmed(values.effectiveAt)
        if !effectiveBytes.isEmpty, effectiveBytes.count == recordedBytes.count,
            memcmp(effectiveBytes.baseAddress!, recordedBytes.baseAddress!, effectiveBytes.count) == 0
        {
            // The same text as the recorded time: a system that must fill the field stamps the typing time,
            // which says nothing of when the fact happened.
        } else if !effectiveBytes.isEmpty {
            guard let parsed = parseTime(effectiveBytes) else {
                throw Rejected(.unparseableDate, "unparseable 'effective_at': \(quoted(effectiveBytes))")
            }
            // A date alone is a day, not midnight: as an effective time it rules nothing out.
            if !Self.isDateOnly(effectiveBytes), parsed != recorded { times.effectiveAt = parsed }
        }
        if Self.isDateOnly(recordedBytes) {
            // A day: the effective time of that day is the most precise time the record has; else the entry
            // matches any time of the day.
            let effective = times.effectiveAt
            if effective != Entry.noTime, effective >= recorded, effective < recorded + 86_400 {
                times.recordedAt = effective
                times.flags.insert(.recordedTimeFromEffective)
            } else {
                times.flags.insert(.recordedDay)
            }
        }
        let birthBytes = trimmed(values.birthDate)
        if !birthBytes.isEmpty {
            guard let parsed = ISOTimeParser.parse(UnsafeRawBufferPointer(rebasing: birthBytes.prefix(10))),
                birthBytes.count >= 10
            else {
                throw Rejected(.unparseableDate, "unparseable 'birth_date' (expected YYYY-MM-DD)")
            }
            times.birthDays = parsed.seconds / 86_400
        }
        if let problem = implausibility(
            recordedAt: times.recordedAt, effectiveAt: times.effectiveAt, birthDays: times.birthDays)
        {
            times.flags.insert(.implausibleTime)
            store.noteImplausibleTime(file: fileIndex, line: UInt32(clamping: values.line), detail: problem)
        }
        return times
    }

    /// The batch index of the entry's patient: pseudonymized once per local id; INS, identity traits and
    /// identity features pseudonymized once, when first seen (a second, different INS is counted as a
    /// conflict).
    @inline(__always)
    private mutating func patientIndex(
        _ values: CanonicalValues, site: UInt16, system: SystemID, id: UnsafeRawBufferPointer, birthDays: Int64?,
        store: inout EntryStore
    ) -> UInt32 {
        let (patient, local) = patientIndex(site: site, system: system, id: id, store: &store)
        let insBytes = trimmed(values.ins)
        if !insBytes.isEmpty {
            let hash = StableHasher.hash(insBytes)
            if insHashes[local] == 0 {
                insHashes[local] = hash | 1
                // A wrong check key is a typo: never a linkage key, counted for data quality.
                if INSKey.isValid(insBytes) {
                    store.setIdentity(of: patient, ins: insPseudonym(insBytes), traits: nil)
                } else {
                    store.countInvalidINS()
                }
            } else if insHashes[local] != hash | 1 {
                store.countIdentityConflict()
            }
        }
        if !traitsKnown[local], let traits = traitsPseudonym(values, birthDays: birthDays) {
            traitsKnown[local] = true
            store.setIdentity(of: patient, ins: nil, traits: traits)
        }
        let birthBytes = trimmed(values.birthDate)
        if !featuresKnown[local], !values.birthName.isEmpty || !values.givenNames.isEmpty || !birthBytes.isEmpty {
            featuresKnown[local] = true
            store.setFeatures(
                of: patient,
                identityEncoder.features(
                    birthName: values.birthName, givenNames: values.givenNames, birthDate: birthBytes,
                    sex: trimmed(values.sex),
                    birthPlace: trimmed(values.birthPlace)))
        }
        return patient
    }

    /// The batch index of the author's pseudonym (pseudonymized once per file), `Entry.noID` when none.
    @inline(__always)
    private mutating func authorIndex(_ bytes: UnsafeRawBufferPointer, store: inout EntryStore) -> UInt32 {
        guard !bytes.isEmpty else { return Entry.noID }
        let (local, inserted) = authors.intern(bytes)
        if inserted { authorIndices.append(store.author(pseudonymizer.pseudonym(.author, bytes))) }
        return authorIndices[Int(local)]
    }

    /// The batch index of the profession: the shipped vocabulary's canonical profession (IDE → infirmier),
    /// an unknown label as given; `UInt16.max` when none.
    @inline(__always)
    private mutating func professionIndex(_ bytes: UnsafeRawBufferPointer, store: inout EntryStore) -> UInt16 {
        guard !bytes.isEmpty else { return .max }
        let (local, inserted) = professions.intern(bytes)
        if inserted {
            let label = String(decoding: bytes, as: UTF8.self)
            professionIndices.append(store.profession(named: CanonicalNames.shared.profession(label)))
        }
        return professionIndices[Int(local)]
    }

    /// What `ressaisie entries` lists of an entry just added: identifiers as their pseudonyms, category,
    /// profession and purpose as the analysis sees them, other fields as read; no identity trait.
    private func listed(_ values: CanonicalValues, entry: Entry, store: EntryStore) -> ListedEntry {
        func read(_ bytes: UnsafeRawBufferPointer) -> String { String(decoding: trimmed(bytes), as: UTF8.self) }
        let insBytes = trimmed(values.ins)
        var fields: [CanonicalField: String] = [
            .site: store.sites[Int(entry.site)], .system: store.system(of: entry).name,
            .recordID: read(values.recordID),
            .patientID: store.patients[Int(entry.patient)].key.hex,
            .ins: !insBytes.isEmpty && INSKey.isValid(insBytes) ? insPseudonym(insBytes)?.hex ?? "" : "",
            .recordedAt: read(values.recordedAt), .effectiveAt: read(values.effectiveAt),
            .category: store.categories[Int(entry.category)], .purpose: entry.purpose.name,
            .label: read(values.label), .value: read(values.value), .unit: read(values.unit), .text: read(values.text),
        ]
        if entry.author != Entry.noID { fields[.authorID] = store.authors[Int(entry.author)].hex }
        if entry.profession != .max { fields[.profession] = store.professions[Int(entry.profession)] }
        return ListedEntry(file: file.path, line: values.line, values: ListedEntry.columns.map { fields[$0] ?? "" })
    }

    /// The batch index of the patient, and its index in this file's local tables.
    private mutating func patientIndex(
        site: UInt16, system: SystemID, id: UnsafeRawBufferPointer, store: inout EntryStore
    ) -> (UInt32, Int) {
        // Local key: site index, system index, raw id (built on the stack: a key array kept in `self` would be
        // retained and released around every look-up).
        let (local, inserted) = withUnsafeTemporaryAllocation(byteCount: id.count + 4, alignment: 8) { key in
            key[0] = UInt8(truncatingIfNeeded: site)
            key[1] = UInt8(truncatingIfNeeded: site >> 8)
            key[2] = UInt8(truncatingIfNeeded: system.rawValue)
            key[3] = UInt8(truncatingIfNeeded: system.rawValue >> 8)
            if !id.isEmpty { UnsafeMutableRawBufferPointer(rebasing: key[4...]).copyMemory(from: id) }
            return patients.intern(UnsafeRawBufferPointer(key))
        }
        if inserted {
            // Pseudonymized once per local id: site and system names, then the raw id.
            let scopeKey = Int(site) << 16 | system.index
            if scopes[scopeKey] == nil {
                scopes[scopeKey] = Array("\(store.sites[Int(site)])\u{1F}\(store.systems[system.index].name)".utf8)
            }
            let pseudonym = scopes[scopeKey]!.withUnsafeBytes { pseudonymizer.pseudonym(.patient, $0, id) }
            patientIndices.append(store.patient(key: pseudonym, site: site, system: system))
            insHashes.append(0)
            traitsKnown.append(false)
            featuresKnown.append(false)
        }
        return (patientIndices[Int(local)], Int(local))
    }

    /// The INS, digits only (and the A/B of Corsican NIRs), pseudonymized.
    private func insPseudonym(_ bytes: UnsafeRawBufferPointer) -> Pseudonym? {
        let digits = bytes.filter { $0 >= 0x30 && $0 <= 0x39 || $0 == 0x41 || $0 == 0x42 }
        return digits.isEmpty ? nil : digits.withUnsafeBytes { pseudonymizer.pseudonym(.ins, $0) }
    }

    /// Folded birth name, first given name, birth date and sex, pseudonymized; nil unless all of the
    /// names and the birth date are there.
    private func traitsPseudonym(_ values: CanonicalValues, birthDays: Int64?) -> Pseudonym? {
        guard let birthDays, !values.birthName.isEmpty, !values.givenNames.isEmpty else { return nil }
        var traits: [UInt8] = []
        TextFolding.fold(values.birthName, mode: .name, into: &traits)
        guard !traits.isEmpty else { return nil }
        traits.append(0x1F)
        let nameEnd = traits.count
        TextFolding.fold(Self.firstGivenName(values.givenNames), mode: .name, into: &traits)
        guard traits.count > nameEnd else { return nil }
        traits.append(0x1F)
        withUnsafeBytes(of: birthDays.littleEndian) { traits.append(contentsOf: $0) }
        traits.append(Self.sexCode(values.sex))
        return traits.withUnsafeBytes { pseudonymizer.pseudonym(.traits, $0) }
    }

    /// The first given name: up to the first space, comma or hyphen. A compound name is written with a
    /// hyphen by one system and a space by another (`Anne-Sophie`, `ANNE SOPHIE`): its first part is what
    /// both keep.
    static func firstGivenName(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        @inline(__always) func separates(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x2C || byte == 0x2D }
        var start = 0
        while start < bytes.count, separates(bytes[start]) { start += 1 }
        var end = start
        while end < bytes.count, !separates(bytes[end]) { end += 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    /// `m` for M, H, 1, male, homme, masculin; `f` for F, 2, female, femme, féminin; 0 otherwise. The
    /// value is folded as names are (`TextFolding` `.name`: case, accents and punctuation ignored).
    static func sexCode(_ bytes: UnsafeRawBufferPointer) -> UInt8 {
        if bytes.isEmpty { return 0 }
        // ASCII (the usual case) is folded here, byte by byte; anything else goes through TextFolding.
        var word: (UInt64, UInt64) = (0, 0)
        var count = 0
        for byte in bytes {
            guard byte < 0x80 else {
                return sexCode(folded: TextFolding.fold(String(decoding: bytes, as: UTF8.self), mode: .name))
            }
            let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            guard (lower >= 0x61 && lower <= 0x7A) || (lower >= 0x30 && lower <= 0x39) else { continue }
            guard count < 16 else { return 0 }
            withUnsafeMutableBytes(of: &word) { $0[count] = lower }
            count += 1
        }
        return withUnsafeBytes(of: &word) { sexCode(folded: String(decoding: $0[0..<count], as: UTF8.self)) }
    }

    private static func sexCode(folded word: String) -> UInt8 {
        switch word {
        case "m", "h", "1", "male", "homme", "masculin": return UInt8(ascii: "m")
        case "f", "2", "female", "femme", "feminin": return UInt8(ascii: "f")
        default: return 0
        }
    }

    /// Canonical category names as they are; an export's own words mapped by the shipped vocabulary
    /// (`Constante` → `vital_sign`, `Transmission` → `note`); other labels folded, spaces and hyphens as
    /// underscores.
    static func categoryName(_ bytes: UnsafeRawBufferPointer) -> String {
        let label = String(decoding: bytes, as: UTF8.self)
        if let canonical = Vocabulary.category(for: label) { return canonical }
        let folded = TextFolding.fold(label, mode: .text)
        if folded.isEmpty { return Category.unspecified }
        return String(folded.map { $0 == " " || $0 == "-" ? "_" : $0 })
    }

    /// Whether a time field holds a date alone (`2026-03-12`, `12/03/2026`, `20260312`): every date with
    /// a time of day is longer.
    @inline(__always)
    static func isDateOnly(_ bytes: UnsafeRawBufferPointer) -> Bool { bytes.count <= 10 }

    /// Earliest plausible time: 1900-01-01T00:00:00Z.
    static let earliestPlausible: Int64 = -2_208_988_800

    /// Why the entry's times cannot be right, or nil: before 1900, after the run (a day's margin), or
    /// typed before the patient was born.
    @inline(__always)
    private func implausibility(recordedAt: Int64, effectiveAt: Int64, birthDays: Int64?) -> String? {
        if recordedAt < Self.earliestPlausible { return "'recorded_at' before 1900" }
        if recordedAt > latestPlausible { return "'recorded_at' after the date of the run" }
        if effectiveAt != Entry.noTime {
            if effectiveAt < Self.earliestPlausible { return "'effective_at' before 1900" }
            if effectiveAt > latestPlausible { return "'effective_at' after the date of the run" }
        }
        if let birthDays, recordedAt < birthDays * 86_400 - 86_400 {
            return "'recorded_at' before the patient's birth date"
        }
        return nil
    }

    private mutating func parseTime(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard let parsed = ISOTimeParser.parse(bytes) else { return nil }
        return parsed.isLocal ? clock.utc(fromLocal: parsed.seconds) : parsed.seconds
    }

    /// A malformed date for an error message, only when it holds nothing but digits, date punctuation and
    /// the letters of ISO 8601 (a wrongly mapped column could hold names or text: those are never quoted).
    private func quoted(_ bytes: UnsafeRawBufferPointer) -> String {
        let allowed = Set("0123456789-/:.,+ TZtz".utf8)
        guard bytes.count <= 40, bytes.allSatisfy({ allowed.contains($0) }) else {
            return "(\(bytes.count) characters, not a date; not shown)"
        }
        return "'\(String(decoding: bytes, as: UTF8.self))'"
    }
}

/// Canonical profession and category names of the labels seen so far, for the whole run.
///
/// An assembler maps a label once per file, but an audit of CDA documents has one small file per
/// document: the vocabulary look-up (folding, Foundation string operations) then costs more than the
/// document's entries. Labels are few, so the cache stays small; the lock is taken only on a file's first
/// sight of a label.
final class CanonicalNames: @unchecked Sendable {  // state behind `lock`
    static let shared = CanonicalNames()

    private let lock = NSLock()
    private var professions: [String: String] = [:]
    private var categories: [String: String] = [:]

    /// The vocabulary's canonical profession (IDE → infirmier); an unknown label as given.
    func profession(_ label: String) -> String {
        lock.lock()
        defer { lock.unlock() }
        if let known = professions[label] { return known }
        let name = Vocabulary.profession(for: label) ?? label
        if professions.count < 10_000 { professions[label] = name }
        return name
    }

    /// `EntryAssembler.categoryName` of a label.
    func category(_ label: String) -> String {
        lock.lock()
        defer { lock.unlock() }
        if let known = categories[label] { return known }
        var copy = label
        let name = copy.withUTF8 { EntryAssembler.categoryName(UnsafeRawBufferPointer($0)) }
        if categories.count < 10_000 { categories[label] = name }
        return name
    }
}
