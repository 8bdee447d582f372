/// One entry typed into one system: the compact value the whole pipeline works on.
///
/// Strings never live here: ids index the tables of `EntryStore`, times are seconds since the Unix
/// epoch (UTC), and the content is a 64-bit fingerprint of its normalized label, value, unit and text
/// (free text also has a sketch in `EntryStore.sketches`). At 56 bytes a million entries take 56 MB; the
/// system is a two-byte index into the audit's table of systems, in what would otherwise be padding.
public struct Entry: Sendable, Equatable {
    /// Marks an absent time or id.
    public static let noTime = Int64.min
    public static let noID = UInt32.max

    /// When the entry was typed (UTC seconds).
    public var recordedAt: Int64
    /// When the fact happened (UTC seconds), or `noTime`.
    public var effectiveAt: Int64
    /// Fingerprint of the normalized content (see `ContentFingerprint`).
    public var fingerprint: UInt64
    /// Index in `EntryStore.recordIDs`: the source's own id, unique within site and system.
    public var recordID: UInt32
    /// Index in `EntryStore.patients`: the (site, system, local id) the entry is about.
    public var patient: UInt32
    /// Index in `EntryStore.authors` (pseudonymized), or `noID`.
    public var author: UInt32
    /// Words of free text, for the cost model (saturates at 65 535).
    public var textWords: UInt16
    /// Index in `EntryStore.systems`: the system the entry was typed into.
    public var system: SystemID
    /// Line of the source file where the entry starts (for evidence and errors).
    public var line: UInt32
    /// Index in `EntryStore.files`.
    public var file: UInt32
    /// Index in `EntryStore.sites`.
    public var site: UInt16
    /// Index in `EntryStore.categories`.
    public var category: UInt16
    /// Index in `EntryStore.professions`, or `UInt16.max`.
    public var profession: UInt16
    public var purpose: Purpose
    /// What matching needs to know of the content beyond its fingerprint.
    public var flags: Flags

    /// Content flags.
    public struct Flags: OptionSet, Sendable, Equatable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// The text is a routine note ("RAS", "Nuit calme"), written again on every shift.
        public static let routine = Flags(rawValue: 1)
        /// The recorded time is a day (the export wrote a date only): stored as the day's first second, it
        /// matches any time of that day.
        public static let recordedDay = Flags(rawValue: 2)
        /// A time of the entry is implausible (before 1900, after the run, before the patient's birth):
        /// the entry is kept but stays out of the period.
        public static let implausibleTime = Flags(rawValue: 4)
        /// The export wrote the recorded time as a day and the time of day was taken from the effective
        /// time of that day: it places the entry within its day, but it is no typing time, so two such
        /// entries at one second were not typed at one second (neither one act of recording, nor a
        /// statement exported again, nor a copy made by an interface).
        public static let recordedTimeFromEffective = Flags(rawValue: 8)
        /// The recorded time says nothing of the second the entry was typed (a day, or a day with the
        /// effective time's time of day).
        public static let recordedNotToTheSecond: Flags = [.recordedDay, .recordedTimeFromEffective]
    }

    public init(
        recordedAt: Int64, effectiveAt: Int64 = Entry.noTime, fingerprint: UInt64, recordID: UInt32,
        patient: UInt32, author: UInt32 = Entry.noID, textWords: UInt16 = 0, line: UInt32 = 0,
        site: UInt16, category: UInt16, profession: UInt16 = .max, file: UInt32 = 0,
        system: SystemID, purpose: Purpose = .care, flags: Flags = []
    ) {
        self.recordedAt = recordedAt
        self.effectiveAt = effectiveAt
        self.fingerprint = fingerprint
        self.recordID = recordID
        self.patient = patient
        self.author = author
        self.textWords = textWords
        self.line = line
        self.site = site
        self.category = category
        self.profession = profession
        self.file = file
        self.system = system
        self.purpose = purpose
        self.flags = flags
    }

    public var hasEffectiveTime: Bool { effectiveAt != Entry.noTime }
}
