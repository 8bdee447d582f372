/// Settings of a synthetic audit.
public struct SynthSettings: Sendable, Equatable {
    public var sites: Int
    /// Entries wanted in the whole audit (the audit has this many, give or take the last fact of a site).
    public var entries: Int
    public var seed: UInt64
    /// Whose writing habits the exports follow: today's fixed ones, or habits drawn per site and system.
    public var habits: HabitsMode
    /// Whether the EHPAD sites (or the only site) also keep a spreadsheet, `Excel`, and a paper log typed up,
    /// `Cahier de transmissions`, systems of kind `other` into which their staff type a share of the facts again
    /// (`--other-systems`).
    public var otherSystems: Bool
    /// Whether each hospital site (site 0, 3, 6…) discharges some of its patients to the EHPAD after it, which
    /// re-types part of their facts days later (`--shared-patients`; truth in `truth-pathways.csv`).
    public var sharedPatients: Bool
    /// Whether some facts are typed in one category and re-typed in another (a note summarized in an
    /// administrative record…), with hard negatives of that kind (`--cross-category`; truth in
    /// `truth-cross-category.csv`).
    public var crossCategory: Bool

    public init(
        sites: Int = 3, entries: Int = 20_000, seed: UInt64 = 1, habits: HabitsMode = .fixed,
        otherSystems: Bool = false, sharedPatients: Bool = false, crossCategory: Bool = false
    ) {
        self.crossCategory = crossCategory
        self.sites = sites
        self.entries = entries
        self.seed = seed
        self.habits = habits
        self.otherSystems = otherSystems
        self.sharedPatients = sharedPatients
    }
}

/// Where the writing habits of a synthetic audit come from.
public enum HabitsMode: String, Sendable, CaseIterable {
    /// The habits `synth` has always written (the ones the matcher's vocabulary knows).
    case fixed
    /// Per site and system, habits drawn from the site's generator: markers and headings made of
    /// pseudo-words, field layouts, abbreviation subsets and truncations, typos in the key part, time
    /// stamps, interface copies and republished documents (see `SiteHabits`).
    case random
}

/// The systems of docs/DESIGN.md ("Purpose"), as the synthetic audit writes them; `Excel`, a spreadsheet, and
/// `Cahier de transmissions`, a paper log typed up (both of kind `other`), only with `SynthSettings.otherSystems`.
public enum SynthSystem: String, Sendable, CaseIterable {
    case dpi = "DPI", dui = "DUI", sip = "SIP"
    case excel = "Excel"
    case paperLog = "Cahier de transmissions"

    /// Whether a file or folder name says the system (`dpi.csv`); else the export names it in a `system` column.
    var isNamedByFiles: Bool { self != .excel && self != .paperLog }

    /// The stem of the system's file names (`dpi`, `excel`, `cahier`).
    var fileStem: String { self == .paperLog ? "cahier" : rawValue.lowercased() }
}

/// How one system of a site is exported.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// Canonical CSV, UTF-8, comma.
    case canonicalCSV = "canonical_csv"
    /// A French vendor's CSV (Windows-1252, `;`, `dd/MM/yyyy HH:mm`, decimal comma) and its profile beside it.
    case vendorCSV = "vendor_csv"
    /// FHIR R4 XML bundles.
    case fhir = "fhir_xml"
    /// CDA R2 documents, one per file.
    case cda = "cda_xml"

    /// Categories this format can carry (FHIR has no administrative or activity resource in the reader's
    /// list; CDA no administrative section).
    func carries(_ category: Category) -> Bool {
        switch self {
        case .canonicalCSV, .vendorCSV: true
        case .fhir: category != .administrative && category != .activity
        case .cda: category != .administrative
        }
    }
}

enum Category: String, CaseIterable {
    case vitalSign = "vital_sign", note, medication, allergy, diagnosis, appointment
    case carePlan = "care_plan", administrative, activity
}

/// Kinds of noise on re-entries (counted in the summary).
enum NoiseKind: String, CaseIterable {
    case labelVariant = "label_variant", unitVariant = "unit_variant", decimalFormat = "decimal_format"
    case bloodPressureFormat = "blood_pressure_format", caseAccentsSpacing = "case_accents_spacing"
    case abbreviation, typo, truncation, copyPrefix = "copy_prefix"
}

/// How a system's copy of an identity differs from the person (counted in the summary).
enum IdentityNoise: String, CaseIterable {
    case secondGivenNameDropped = "second_given_name_dropped", compoundGivenName = "compound_given_name"
    case accentsDropped = "accents_dropped", upperCase = "upper_case", birthNameTypo = "birth_name_typo"
    case dayMonthSwapped = "day_month_swapped", insNotRecorded = "ins_not_recorded"
}

/// Kinds of hard negative: distinct facts that look alike (counted in the summary).
enum HardNegativeKind: String, CaseIterable {
    case repeatedMeasure = "repeated_measure", differentValue = "different_value", routineNote = "routine_note"
    case dailyMedication = "daily_medication", twoPatientsSameText = "two_patients_same_text"
    case beyondWindow = "beyond_window", otherCategory = "other_category", homonyms
}

/// Professions, as the canonical CSV writes them.
enum Profession: String, CaseIterable {
    case nurse = "IDE", aide = "aide-soignant", physician = "médecin", physio = "kinésithérapeute"
    case secretary = "secrétaire", manager = "cadre de santé"

    /// As a French vendor's export writes it.
    var vendorWord: String {
        switch self {
        case .nurse: "IDE"
        case .aide: "AS"
        case .physician: "Médecin"
        case .physio: "Kiné"
        case .secretary: "Secrétaire"
        case .manager: "Cadre"
        }
    }

    /// As FHIR and CDA documents write it.
    var displayName: String {
        switch self {
        case .nurse: "Infirmier"
        case .aide: "Aide-soignant"
        case .physician: "Médecin"
        case .physio: "Masseur-kinésithérapeute"
        case .secretary: "Secrétaire médicale"
        case .manager: "Cadre de santé"
        }
    }

    static func writers(of category: Category) -> [Profession] {
        switch category {
        case .vitalSign: [.nurse, .aide]
        case .note: [.nurse, .aide, .physician]
        case .medication: [.nurse]
        case .allergy: [.physician, .nurse]
        case .diagnosis: [.physician]
        case .appointment: [.secretary]
        case .carePlan: [.nurse, .manager, .physician]
        case .administrative: [.secretary, .manager]
        case .activity: [.physio, .aide]
        }
    }
}

struct CalendarDay: Equatable {
    var year: Int
    var month: Int
    var day: Int
}

/// A person of a site, as they really are.
struct Person {
    var sex: String  // "M" or "F"
    var birthName: String
    var givenNames: String
    var birthDate: CalendarDay
    var ins: String?
}

/// A person as one system knows them: a local id and identity traits, with the system's own noise.
struct LocalIdentity {
    var patientID: String
    var ins: String?
    var birthName: String
    var givenNames: String
    var birthDate: CalendarDay
    var sex: String
}

struct Author {
    var id: String
    var profession: Profession
}

/// What an entry says.
struct Content: Equatable {
    var label: String
    var value: String = ""
    var unit: String = ""
    var text: String = ""
    /// Index in `SynthVocabulary.vitals` for a vital sign.
    var vital: Int?
}

/// One entry of the audit, before it is written.
struct SynthEntry {
    var system: Int  // index in the site's systems
    var person: Int
    /// Minutes since 2026-01-01T00:00 (local time, +01:00 over the whole period).
    var recordedAt: Int
    var effectiveAt: Int?
    var author: Int
    var category: Category
    var content: Content
    var fact: Int
    var noise: [NoiseKind] = []
    /// The hard negative this entry is part of, if any.
    var negative: HardNegativeKind?
    /// A copy of its fact's first entry.
    var isReEntry = false
    /// Re-typed by someone from another site's record or from another category (a fact of its own at this site:
    /// not a per-site re-entry), so it carries the system's re-typing habits (`--habits random`) as a re-entry does.
    var isRetyped = false
    var recordID = ""
    /// Seconds past `recordedAt`'s minute (interface copies come seconds after what they copy).
    var recordedSecond = 0
    /// Habits (`--habits random`) on this entry or on its fact's first entry, tagged on re-entries.
    var habits: [HabitKind] = []
    /// Not an entry typed by someone: a copy made by software of the entry at index `copyOf`.
    var copy: CopyKind?
    var copyOf: Int?
    /// A republication under the record id of what it republishes (ingest keeps the record once).
    var sameRecordID = false
    /// For a republication: when the later document that carries it was made (minutes).
    var documentAt: Int?
}

/// Entries no one typed: software copies of another entry, with its fact.
enum CopyKind: String, CaseIterable {
    /// The same statement exported again in a later document (CDA) or bundle (FHIR).
    case republished
    /// An interface between two systems copied the entry: same content and author, seconds later.
    case interfaceCopy = "interface_copy"
}

struct SiteSystem {
    var system: SynthSystem
    var format: ExportFormat
}

/// A generated site: its systems, persons (and how each system knows them), authors and entries.
struct SynthSite {
    var name: String
    var systems: [SiteSystem]
    var persons: [Person] = []
    /// identities[person][system]: nil when the system does not know the person.
    var identities: [[LocalIdentity?]] = []
    var authors: [Author] = []
    var entries: [SynthEntry] = []
    /// Facts whose entries all belong here, and how many were typed more than once.
    var facts = 0
    var reEnteredFacts = 0
    var hardNegatives: [HardNegativeKind: Int] = [:]
    var homonymPairs = 0
    /// Identities (person × system) with each kind of identity noise.
    var identityNoise = [Int](repeating: 0, count: IdentityNoise.allCases.count)
    /// With `--habits random`: the habits drawn for the site and its systems.
    var habits: SiteHabits?

    /// Entries as ingest sees them: a republication under the same record id is not one.
    var entryCount: Int { entries.reduce(0) { $0 + ($1.sameRecordID ? 0 : 1) } }
}
