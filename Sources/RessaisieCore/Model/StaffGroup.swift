/// A coarse grouping of professions, from the shipped vocabulary (`professions.tsv`, column `staff`): care
/// staff (nurses, nursing assistants, physicians, therapists, pharmacy, care workers…), administrative and
/// other staff (secretaries, administration, management, hospitality, social and activity staff), and
/// professions the vocabulary cannot place.
///
/// Why: a nine-person primary-care centre has no profession with enough authors to be shown alone, but its
/// care staff as a whole may have; "care staff retype what administrative staff typed" still says something
/// there.
public enum StaffGroup: UInt8, CaseIterable, Sendable, Comparable {
    case care
    case other
    /// No profession given, or a label the vocabulary does not know.
    case unclassified

    /// The id reports use.
    public var name: String {
        switch self {
        case .care: "care_staff"
        case .other: "other_staff"
        case .unclassified: "unclassified_staff"
        }
    }

    public static func < (lhs: StaffGroup, rhs: StaffGroup) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A pair (origin → destination): the profession, staff group or system purpose of a group's original and
/// of one of its re-entries.
public struct FromTo<Key: Hashable & Sendable>: Hashable, Sendable {
    public var from: Key
    public var to: Key

    public init(_ from: Key, _ to: Key) {
        self.from = from
        self.to = to
    }
}

/// Entries and distinct authors of one staff group.
public struct StaffGroupCount: Sendable, Equatable {
    public var entries = 0
    public var authors = 0

    public init(entries: Int = 0, authors: Int = 0) {
        self.entries = entries
        self.authors = authors
    }
}

/// Re-entries typed by one profession (or staff group) into one system, with that system's declared purpose:
/// who types again, into what, and for whom (`WorkloadMetrics.reEntriesByProfessionSystem`).
public struct TypedInto<Staff: Hashable & Sendable>: Hashable, Sendable {
    /// The profession (or staff group) of the re-entry's author.
    public var staff: Staff
    /// The system the re-entry was typed into.
    public var system: InformationSystem
    /// That system's declared purpose (`notDeclared` until the analyst's declarations are filed).
    public var purpose: SystemPurpose

    public init(_ staff: Staff, _ system: InformationSystem, _ purpose: SystemPurpose = .notDeclared) {
        self.staff = staff
        self.system = system
        self.purpose = purpose
    }
}
