/// The kind of an information system.
///
/// The three the tool was built around keep their names (`DPI`, `DUI`, `SIP`); every other system a site
/// uses — a spreadsheet, a paper log transcribed, a messaging tool, a pharmacy or lab software, a reporting
/// platform — is of kind `other`, and is told apart by its name (`InformationSystem`).
public enum SystemKind: UInt8, CaseIterable, Sendable, Comparable, Hashable {
    /// Dossier patient informatisé: hospitals and clinics.
    case dpi
    /// Dossier usager informatisé: EHPAD, SSIAD and other medico-social services.
    case dui
    /// Système d'information partagé: multi-professional primary-care centres.
    case sip
    /// Any other system: spreadsheet, paper log transcribed, messaging, pharmacy, lab, reporting platform…
    case other

    /// The name used in files, reports and contracts: `DPI`, `DUI`, `SIP`, `other`.
    public var name: String {
        switch self {
        case .dpi: "DPI"
        case .dui: "DUI"
        case .sip: "SIP"
        case .other: "other"
        }
    }

    /// The kinds a file or folder name, or a `system` column, names by themselves: `DPI`, `DUI`, `SIP`.
    public static let named: [SystemKind] = [.dpi, .dui, .sip]

    /// Parses `DPI`, `dui`, ` Sip `, `other` (case and surrounding spaces ignored).
    public init?(name: some StringProtocol) {
        switch name.trimmingASCIISpaces().lowercased() {
        case "dpi": self = .dpi
        case "dui": self = .dui
        case "sip": self = .sip
        case "other": self = .other
        default: return nil
        }
    }

    /// Parses the UTF-8 bytes of `DPI`, `DUI` or `SIP` (case and surrounding spaces ignored) without making a
    /// string; nil for any other name (`other` included: a system is never named after its kind).
    public init?(bytes: UnsafeRawBufferPointer) {
        var start = 0, end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        guard end - start == 3 else { return nil }
        let word =
            (UInt32(bytes[start] | 0x20) << 16) | (UInt32(bytes[start + 1] | 0x20) << 8)
            | UInt32(bytes[start + 2] | 0x20)
        switch word {
        case 0x64_70_69: self = .dpi  // "dpi"
        case 0x64_75_69: self = .dui  // "dui"
        case 0x73_69_70: self = .sip  // "sip"
        default: return nil
        }
    }

    public static func < (lhs: SystemKind, rhs: SystemKind) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One information system of an audit: its name, as files, columns and reports say it, and its kind.
///
/// `DPI`, `DUI` and `SIP` are the systems of those kinds named after them; any other name (`Excel`,
/// `cahier de transmissions`, `messagerie`) is a system of its own, of kind `other` unless `audit.toml`
/// declares another kind. A name means one system throughout an audit. Ordered by kind, then name, so
/// that tables list `DPI`, `DUI`, `SIP`, then the others.
public struct InformationSystem: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var name: String
    public var kind: SystemKind

    public init(name: String, kind: SystemKind) {
        self.name = name
        self.kind = kind
    }

    public static let dpi = InformationSystem(name: "DPI", kind: .dpi)
    public static let dui = InformationSystem(name: "DUI", kind: .dui)
    public static let sip = InformationSystem(name: "SIP", kind: .sip)
    /// The systems every store knows, at the indices `SystemID.dpi`, `.dui`, `.sip`.
    public static let named: [InformationSystem] = [.dpi, .dui, .sip]

    /// The system a name says: `DPI`, `DUI` or `SIP` (any case, surrounding spaces ignored), else a system of
    /// kind `other` with the name trimmed; nil for an empty name.
    public init?(reading name: some StringProtocol) {
        let trimmed = name.trimmingASCIISpaces()
        guard !trimmed.isEmpty else { return nil }
        if let kind = SystemKind(name: trimmed), kind != .other {
            self = InformationSystem.named[Int(kind.rawValue)]
        } else {
            self.init(name: String(trimmed), kind: .other)
        }
    }

    /// The key a name is looked up by: case folded, so that `Excel` and `EXCEL` are one system.
    public static func lookupKey(_ name: some StringProtocol) -> String { name.lowercased() }

    public var description: String { name }

    public static func < (lhs: InformationSystem, rhs: InformationSystem) -> Bool {
        (lhs.kind, lhs.name) < (rhs.kind, rhs.name)
    }
}

/// An entry's system: its index in the audit's table of systems (`EntryStore.systems`).
///
/// Two bytes, so an `Entry` does not grow however many systems an audit has. Every store's table starts
/// with `DPI`, `DUI` and `SIP` (`InformationSystem.named`), so those three have the same index everywhere.
public struct SystemID: RawRepresentable, Sendable, Hashable, Comparable {
    public var rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let dpi = SystemID(rawValue: 0)
    public static let dui = SystemID(rawValue: 1)
    public static let sip = SystemID(rawValue: 2)

    /// The index of `DPI`, `DUI` or `SIP`; nil for `other`.
    public init?(_ kind: SystemKind) {
        guard kind != .other else { return nil }
        rawValue = UInt16(kind.rawValue)
    }

    /// Slot in flat arrays of one slot per system.
    public var index: Int { Int(rawValue) }

    public static func < (lhs: SystemID, rhs: SystemID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A set of systems (`SystemID`s): one bit each for the first 64, a sorted list beyond (an audit rarely
/// names more than a handful).
public struct SystemSet: Sendable, Equatable {
    private var mask: UInt64 = 0
    private var beyond: [UInt16] = []

    public init() {}

    public init(_ system: SystemID) { insert(system) }

    public var isEmpty: Bool { mask == 0 && beyond.isEmpty }
    public var count: Int { mask.nonzeroBitCount + beyond.count }

    public mutating func insert(_ system: SystemID) {
        if system.rawValue < 64 {
            mask |= 1 << UInt64(system.rawValue)
        } else {
            let position = beyond.partitionPoint(system.rawValue)
            if position == beyond.count || beyond[position] != system.rawValue {
                beyond.insert(system.rawValue, at: position)
            }
        }
    }

    public func contains(_ system: SystemID) -> Bool {
        if system.rawValue < 64 { return mask & (1 << UInt64(system.rawValue)) != 0 }
        let position = beyond.partitionPoint(system.rawValue)
        return position < beyond.count && beyond[position] == system.rawValue
    }

    public func union(_ other: SystemSet) -> SystemSet {
        var result = self
        result.mask |= other.mask
        for system in other.beyond { result.insert(SystemID(rawValue: system)) }
        return result
    }

    public func intersects(_ other: SystemSet) -> Bool {
        mask & other.mask != 0 || other.beyond.contains { contains(SystemID(rawValue: $0)) }
    }
}

extension Array where Element == UInt16 {
    /// The first index whose element is not below `value` (the array sorted).
    fileprivate func partitionPoint(_ value: UInt16) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

extension StringProtocol {
    func trimmingASCIISpaces() -> Substring {
        let scalars = Substring(self)
        var start = scalars.startIndex, end = scalars.endIndex
        while start < end, scalars[start] == " " || scalars[start] == "\t" { start = scalars.index(after: start) }
        while end > start {
            let before = scalars.index(before: end)
            guard scalars[before] == " " || scalars[before] == "\t" else { break }
            end = before
        }
        return scalars[start..<end]
    }
}
