/// Entries that record the same fact about the same person: the first typed is the original, the
/// others are re-entries.
public struct DuplicateGroup: Sendable, Equatable {
    /// Entry indices (in `EntryStore.entries`), original first, then by time typed.
    public var members: [Int]
    public var site: UInt16

    public init(members: [Int], site: UInt16) {
        self.members = members
        self.site = site
    }

    public var original: Int { members[0] }
    public var reEntries: ArraySlice<Int> { members.dropFirst() }
    /// 2 for "doublée", 3 for "triplée"…
    public var multiplicity: Int { members.count }
}

/// One re-entry, classified against the original of its group.
public struct ReEntry: Sendable, Equatable {
    /// Who re-entered; the raw value indexes flat arrays of metrics (`ReEntry.Who.allCases.count` slots).
    public enum Who: Int, CaseIterable, Sendable, Equatable {
        /// The same professional typed it again.
        case selfReEntry
        /// Another professional retyped it.
        case transcription
        /// One side has no author.
        case unknown
    }

    public var entry: Int
    public var original: Int
    public var from: SystemID
    public var to: SystemID
    public var who: Who
    /// Seconds between the original and the re-entry being typed.
    public var lag: Int64

    public var isCrossSystem: Bool { from != to }

    public init(entry: Int, original: Int, in entries: [Entry]) {
        let copy = entries[entry], first = entries[original]
        self.entry = entry
        self.original = original
        from = first.system
        to = copy.system
        lag = copy.recordedAt - first.recordedAt
        if copy.author == Entry.noID || first.author == Entry.noID {
            who = .unknown
        } else {
            who = copy.author == first.author ? .selfReEntry : .transcription
        }
    }
}
