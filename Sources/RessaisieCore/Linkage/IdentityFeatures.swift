/// A 256-bit Bloom filter of a name's bigrams (a CLK, as clkhash calls it, one per field), for
/// approximate comparison without the name: the Dice coefficient of two filters follows the share of
/// bigrams the names have in common, and the bit positions come from a keyed hash, so the filter cannot
/// be rebuilt from a dictionary of names without the audit key.
public struct NameBloom: Sendable, Hashable {
    public var words: (UInt64, UInt64, UInt64, UInt64)

    public init() { words = (0, 0, 0, 0) }

    /// Bits per filter.
    public static let bits = 256

    public var isEmpty: Bool { words.0 | words.1 | words.2 | words.3 == 0 }

    public mutating func set(_ bit: Int) {
        let mask = UInt64(1) << UInt64(bit & 63)
        switch (bit >> 6) & 3 {
        case 0: words.0 |= mask
        case 1: words.1 |= mask
        case 2: words.2 |= mask
        default: words.3 |= mask
        }
    }

    public var popCount: Int {
        words.0.nonzeroBitCount + words.1.nonzeroBitCount + words.2.nonzeroBitCount + words.3.nonzeroBitCount
    }

    /// 2·|A∧B| / (|A| + |B|); 0 when both are empty.
    public func dice(_ other: NameBloom) -> Double {
        let common =
            (words.0 & other.words.0).nonzeroBitCount + (words.1 & other.words.1).nonzeroBitCount
            + (words.2 & other.words.2).nonzeroBitCount + (words.3 & other.words.3).nonzeroBitCount
        let total = popCount + other.popCount
        return total == 0 ? 0 : 2 * Double(common) / Double(total)
    }

    public static func == (lhs: NameBloom, rhs: NameBloom) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
            && lhs.words.3 == rhs.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}

/// What linkage may compare of a patient's identity, computed at ingest from the folded values and keyed
/// by the audit key: never a name, a date or a place in clear. About 110 bytes per patient record.
///
/// - `birthName`, `givenName`: Bloom filters of the bigrams of the folded birth name and first given name
///   (padded with a space at both ends, as clkhash does, so first and last letters count).
/// - `birthNameHash`, `givenNameHash`: keyed 32-bit hashes of the exact folded values;
///   `birthNamePhonetic`, `givenNamePhonetic`: of their `PhoneticCode`.
/// - `birthDate`: keyed hash of (year, month, day); `birthDateSwapped`: of (year, day, month), so a
///   day/month inversion is seen without the date; `birthYear`, `birthMonth`, `birthDay`: of each
///   component (tagged by component), for "two of three components agree".
/// - `sex`: `m`, `f` or 0; `birthPlace`: keyed hash of the folded place (INSEE code or name).
/// - `extra`: plain string columns compared by `ressaisie link --compare` (a keyed hash and a Bloom
///   filter each); empty in an audit.
///
/// A 32-bit hash is 0 when the value is missing (computed hashes are never 0). Two different values
/// share a hash with probability 2⁻³², which comparison levels tolerate.
public struct IdentityFeatures: Sendable, Equatable {
    public var birthName = NameBloom()
    public var givenName = NameBloom()
    public var birthNameHash: UInt32 = 0
    public var givenNameHash: UInt32 = 0
    public var birthNamePhonetic: UInt32 = 0
    public var givenNamePhonetic: UInt32 = 0
    public var birthDate: UInt32 = 0
    public var birthDateSwapped: UInt32 = 0
    public var birthYear: UInt32 = 0
    public var birthMonth: UInt32 = 0
    public var birthDay: UInt32 = 0
    public var birthPlace: UInt32 = 0
    public var sex: UInt8 = 0
    public var extra: [ExtraFeature] = []

    public init() {}

    /// A plain string column (address, post code…): keyed hash of its folded value and a Bloom filter.
    public struct ExtraFeature: Sendable, Equatable {
        public var hash: UInt32
        public var bloom: NameBloom
        public init(hash: UInt32, bloom: NameBloom) {
            self.hash = hash
            self.bloom = bloom
        }
    }

    /// True when nothing is known.
    public var isEmpty: Bool {
        birthName.isEmpty && givenName.isEmpty && birthDate == 0 && birthYear == 0 && sex == 0 && birthPlace == 0
            && extra.allSatisfy { $0.hash == 0 }
    }
}
