/// What an entry is typed for: looking after the person, or managing the establishment
/// (activity reporting, indicators, administration).
public enum Purpose: UInt8, CaseIterable, Sendable, Comparable {
    case care
    case management

    public var name: String { self == .care ? "care" : "management" }

    /// Parses `care`/`management` and their French words (`soin`, `gestion`, `pilotage`).
    public init?(name: some StringProtocol) {
        switch name.trimmingASCIISpaces().lowercased() {
        case "care", "soin", "soins": self = .care
        case "management", "gestion", "pilotage", "administratif": self = .management
        default: return nil
        }
    }

    public static func < (lhs: Purpose, rhs: Purpose) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The canonical categories (docs/DESIGN.md, "The canonical entry"). Other labels are kept as they come (folded), so an export's
/// own categories still block and count separately.
public enum Category {
    public static let canonical: [String] = [
        "vital_sign", "note", "medication", "allergy", "diagnosis", "appointment", "care_plan",
        "administrative", "activity",
    ]
    /// Category given to entries whose export says nothing.
    public static let unspecified = "unspecified"

    /// Activity reporting and administrative entries serve management; everything else serves care.
    public static func purpose(of category: String) -> Purpose {
        switch category {
        case "administrative", "activity": .management
        default: .care
        }
    }
}
