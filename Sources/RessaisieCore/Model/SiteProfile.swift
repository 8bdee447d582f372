/// What the analyst declares of a site (`audit.toml` `[sites."name"]`, or `sites` in the settings file):
/// its type, and optionally its region and software vendor. Sites are compared with their peers only: a
/// hospital's redundancy rate says nothing of an EHPAD's.
public struct SiteProfile: Sendable, Equatable {
    public enum Kind: String, CaseIterable, Sendable {
        case hospital, ehpad, msp
        case homeCare = "home_care"
        case other
    }

    public var kind: Kind?
    public var region: String?
    public var vendor: String?
    /// What each system of the site is for, as the analyst learned it in interviews (`[sites."name".systems.DUI]
    /// purpose = "care_coordination"`); a system not listed is `not_declared`, never guessed.
    public var systemPurposes: [InformationSystem: SystemPurpose]
    /// The systems declared for the site beyond `DPI`, `DUI` and `SIP` (`[sites."name".systems.cahier] kind =
    /// "other"`), with their kind.
    public var systems: [InformationSystem]

    public init(
        kind: Kind? = nil, region: String? = nil, vendor: String? = nil,
        systemPurposes: [InformationSystem: SystemPurpose] = [:], systems: [InformationSystem] = []
    ) {
        self.kind = kind
        self.region = region
        self.vendor = vendor
        self.systemPurposes = systemPurposes
        self.systems = systems
    }

    /// The declared purpose of `system` (its name compared case folded), `notDeclared` when the analyst gave
    /// none.
    public func purpose(of system: InformationSystem) -> SystemPurpose {
        systemPurposes[system] ?? purpose(ofSystemNamed: system.name)
    }

    /// The declared purpose of the system named `name` (case folded), `notDeclared` when the analyst gave none.
    public func purpose(ofSystemNamed name: String) -> SystemPurpose {
        let key = InformationSystem.lookupKey(name)
        return systemPurposes.first { InformationSystem.lookupKey($0.key.name) == key }?.value ?? .notDeclared
    }
}

/// What a system is for, from the analyst's interviews: for whom information typed into it is typed.
///
/// Why: the field study asks of every re-entry "for whom is this information, to what end": typing a care
/// note again into the system the regional agency reads is not typing it again for the next shift.
public enum SystemPurpose: String, CaseIterable, Sendable, Comparable {
    /// Information shared among the professionals who look after the person (transmissions, care plan).
    case careCoordination = "care_coordination"
    /// The record kept as a legal trace ("au cas où"): the medical or resident file as evidence.
    case legalTrace = "legal_trace"
    /// Management and activity reporting inside the establishment (activity, billing, indicators).
    case activityReporting = "activity_reporting"
    /// Reporting to funders and agencies (ARS, CPAM, departmental council, national indicators).
    case funderReporting = "funder_reporting"
    /// What the person or their family reads or receives (portal, liaison booklet, letters).
    case patientFacing = "patient_facing"
    /// No purpose declared for the system: never guessed.
    case notDeclared = "not_declared"

    /// The purposes an analyst may declare (all but `notDeclared`).
    public static let declarable = allCases.filter { $0 != .notDeclared }

    public var name: String { rawValue }

    private var order: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (lhs: SystemPurpose, rhs: SystemPurpose) -> Bool { lhs.order < rhs.order }
}

/// How sites are compared: within peer groups (by type unless asked otherwise) of at least
/// `minimumSites` sites with a value.
public struct ComparisonSettings: Sendable, Equatable {
    /// What makes two sites peers.
    public enum Peers: String, CaseIterable, Sendable {
        case type, region, vendor, all
    }

    public var peers: Peers = .type
    public var minimumSites = SiteComparison.defaultMinimumSites

    public init(peers: Peers = .type, minimumSites: Int = SiteComparison.defaultMinimumSites) {
        self.peers = peers
        self.minimumSites = minimumSites
    }

    /// The peer group of each site, in order: its type, region or vendor as declared, `unspecified` when
    /// not declared; nil when every site is compared with every other.
    public func peerGroups(of sites: [String], profiles: [String: SiteProfile]) -> [String]? {
        switch peers {
        case .all: return nil
        case .type: return sites.map { profiles[$0]?.kind?.rawValue ?? "unspecified" }
        case .region: return sites.map { profiles[$0]?.region ?? "unspecified" }
        case .vendor: return sites.map { profiles[$0]?.vendor ?? "unspecified" }
        }
    }
}
