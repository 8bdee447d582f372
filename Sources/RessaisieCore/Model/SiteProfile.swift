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

    public init(kind: Kind? = nil, region: String? = nil, vendor: String? = nil) {
        self.kind = kind
        self.region = region
        self.vendor = vendor
    }
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
