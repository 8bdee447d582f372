/// A 128-bit pseudonym: the first 16 bytes of an HMAC-SHA256 of an identifier under the audit's key.
///
/// Identifiers (local patient ids, INS, identity traits, author ids) are replaced by pseudonyms at ingest;
/// nothing after ingest ever sees the raw value.
public struct Pseudonym: Hashable, Sendable, Comparable {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public static func < (lhs: Pseudonym, rhs: Pseudonym) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}

/// A patient as one system of one site knows them: its local id and what it records of the identity,
/// all pseudonymized. Linkage turns these records into persons.
public struct PatientRecord: Sendable, Equatable {
    public var site: UInt16
    public var system: SystemID
    /// Pseudonym of (site, system, local patient id).
    public var key: Pseudonym
    /// Pseudonym of the INS (matricule), when the system has it and its check key is valid.
    public var ins: Pseudonym?
    /// Pseudonym of the normalized identity traits (birth name, first given name, birth date, sex),
    /// when all of them are known.
    public var traits: Pseudonym?
    /// Keyed encodings of the identity for probabilistic linkage (see `IdentityFeatures`); empty when
    /// the system records none.
    public var features: IdentityFeatures

    public init(
        site: UInt16, system: SystemID, key: Pseudonym, ins: Pseudonym? = nil, traits: Pseudonym? = nil,
        features: IdentityFeatures = IdentityFeatures()
    ) {
        self.site = site
        self.system = system
        self.key = key
        self.ins = ins
        self.traits = traits
        self.features = features
    }
}
