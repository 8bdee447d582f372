/// The kind of information system an export comes from.
///
/// A site has one, two or all three; re-entry flows are counted between them.
public enum SystemKind: UInt8, CaseIterable, Sendable, Comparable, Hashable {
    /// Dossier patient informatisé: hospitals and clinics.
    case dpi
    /// Dossier usager informatisé: EHPAD, SSIAD and other medico-social services.
    case dui
    /// Système d'information partagé: multi-professional primary-care centres.
    case sip

    /// The name used in files, reports and contracts: `DPI`, `DUI`, `SIP`.
    public var name: String {
        switch self {
        case .dpi: "DPI"
        case .dui: "DUI"
        case .sip: "SIP"
        }
    }

    /// Parses `DPI`, `dui`, ` Sip ` (case and surrounding spaces ignored).
    public init?(name: some StringProtocol) {
        switch name.trimmingASCIISpaces().lowercased() {
        case "dpi": self = .dpi
        case "dui": self = .dui
        case "sip": self = .sip
        default: return nil
        }
    }

    /// Parses the UTF-8 bytes of a name, as `init(name:)` does, without making a string.
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
