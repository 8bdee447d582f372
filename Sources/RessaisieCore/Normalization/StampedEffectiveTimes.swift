/// Systems that stamp the effective time with the typing time, found from the data.
///
/// A system that must fill the "when did it happen" field often fills it with the moment of typing. When
/// it also writes the recorded time as a day, no single record shows it (the effective time is a time of
/// that day, as a true one usually is). Its records as a whole do: real facts sometimes happen on another
/// day than the one they are typed (an appointment to come, a measure at night typed the next morning),
/// stamped ones never. A site's system whose effective times all fall on the recorded day, over enough
/// records, is taken to stamp them: their time is its typing time, and it says nothing of the fact.
public struct StampedEffectiveTimes: Sendable, Equatable {
    public var site: String
    public var system: SystemKind
    /// Entries whose effective time was read as the typing time.
    public var entries: Int

    public init(site: String, system: SystemKind, entries: Int) {
        self.site = site
        self.system = system
        self.entries = entries
    }

    /// Fewest entries with a day and an effective time before a system is judged.
    public static let minimumEntries = 100
    /// Largest share of effective times on another day than the recorded one for a stamping system.
    public static let maximumOtherDayShare = 0.005
}

extension EntryStore {
    /// Finds the systems that stamp effective times (`StampedEffectiveTimes`) and reads their effective
    /// times as typing times: the recorded time (already the effective time's, within its day) becomes a
    /// typing time to the minute, and the entry has no effective time.
    public mutating func useStampedEffectiveTimesAsRecorded() -> [StampedEffectiveTimes] {
        // Per site and system: effective times on the recorded day (the recorded time took their time of
        // day), and on another day (the recorded time stayed a day).
        var sameDay = [Int](repeating: 0, count: sites.count * 3)
        var otherDay = [Int](repeating: 0, count: sites.count * 3)
        for entry in entries {
            let slot = Int(entry.site) * 3 + Int(entry.system.rawValue)
            if entry.flags.contains(.recordedTimeFromEffective) {
                sameDay[slot] += 1
            } else if entry.flags.contains(.recordedDay), entry.hasEffectiveTime {
                otherDay[slot] += 1
            }
        }
        var stamping = [Bool](repeating: false, count: sites.count * 3)
        var found: [StampedEffectiveTimes] = []
        for slot in stamping.indices {
            let total = sameDay[slot] + otherDay[slot]
            guard total >= StampedEffectiveTimes.minimumEntries,
                Double(otherDay[slot]) <= StampedEffectiveTimes.maximumOtherDayShare * Double(total)
            else { continue }
            stamping[slot] = true
            found.append(
                StampedEffectiveTimes(
                    site: sites[slot / 3], system: SystemKind(rawValue: UInt8(slot % 3))!, entries: sameDay[slot]))
        }
        guard !found.isEmpty else { return [] }
        for index in entries.indices where entries[index].flags.contains(.recordedTimeFromEffective) {
            guard stamping[Int(entries[index].site) * 3 + Int(entries[index].system.rawValue)] else { continue }
            entries[index].effectiveAt = Entry.noTime
            entries[index].flags.remove(.recordedTimeFromEffective)
        }
        return found
    }
}
