/// Systems that stamp the effective time with the typing time, found from the data.
///
/// A system that must fill the "when did it happen" field often fills it with the moment of typing. When
/// it also writes the recorded time as a day, no single record shows it (the effective time is a time of
/// that day, as a true one usually is). Its records as a whole do: real facts sometimes happen on another
/// day than the one they are typed (an appointment to come, a measure at night typed the next morning),
/// stamped ones never. A site's system whose effective times all fall on the recorded day, over enough
/// records, is taken to stamp them: their time is its typing time, and it says nothing of the fact.
///
/// A stamping system still receives foreign times: an interface (or a careful colleague) copies another
/// system's record with its effective time, which may fall on another day. So an effective time that
/// another system carries with the same content is left out of the judgement: it was copied, and it says
/// nothing of how the system fills the field itself.
public struct StampedEffectiveTimes: Sendable, Equatable {
    public var site: String
    public var system: InformationSystem
    /// Entries whose effective time was read as the typing time.
    public var entries: Int

    public init(site: String, system: InformationSystem, entries: Int) {
        self.site = site
        self.system = system
        self.entries = entries
    }

    /// Fewest entries with a day and an effective time before a system is judged.
    public static let minimumEntries = 100
    /// Largest share of effective times on another day than the recorded one for a stamping system.
    public static let maximumOtherDayShare = 0.005
    /// Largest share of other-day effective times for a system to be judged again without the times
    /// other systems carry with the same content (copied times).
    public static let copiedShareBound = 0.05
}

extension EntryStore {
    /// Finds the systems that stamp effective times (`StampedEffectiveTimes`) and reads their effective
    /// times as typing times: the recorded time (already the effective time's, within its day) becomes a
    /// typing time to the minute, and the entry has no effective time.
    public mutating func useStampedEffectiveTimesAsRecorded() -> [StampedEffectiveTimes] {
        // Per site and system: effective times on the recorded day (the recorded time took their time of
        // day), and on another day (the recorded time stayed a day).
        func count(skipping copied: [UInt64]) -> (sameDay: [Int], otherDay: [Int]) {
            var sameDay = [Int](repeating: 0, count: sites.count * systems.count)
            var otherDay = [Int](repeating: 0, count: sites.count * systems.count)
            for entry in entries {
                let slot = Int(entry.site) * systems.count + entry.system.index
                let isSameDay = entry.flags.contains(.recordedTimeFromEffective)
                guard isSameDay || (entry.flags.contains(.recordedDay) && entry.hasEffectiveTime) else { continue }
                if !copied.isEmpty, Self.contains(copied, Self.contentAndTime(entry)) { continue }
                if isSameDay { sameDay[slot] += 1 } else { otherDay[slot] += 1 }
            }
            return (sameDay, otherDay)
        }
        var (sameDay, otherDay) = count(skipping: [])
        // Only a system that looks close to stamping is looked at again without the copied times (the
        // sort it takes is not spent on exports whose recorded times have a time of day).
        let looksClose = sameDay.indices.contains { slot in
            let total = sameDay[slot] + otherDay[slot]
            return total >= StampedEffectiveTimes.minimumEntries
                && Double(otherDay[slot]) <= StampedEffectiveTimes.copiedShareBound * Double(total)
        }
        if looksClose { (sameDay, otherDay) = count(skipping: timesCarriedBySeveralSystems()) }
        var stamping = [Bool](repeating: false, count: sites.count * systems.count)
        var found: [StampedEffectiveTimes] = []
        for slot in stamping.indices {
            let total = sameDay[slot] + otherDay[slot]
            guard total >= StampedEffectiveTimes.minimumEntries,
                Double(otherDay[slot]) <= StampedEffectiveTimes.maximumOtherDayShare * Double(total)
            else { continue }
            stamping[slot] = true
            found.append(
                StampedEffectiveTimes(
                    site: sites[slot / systems.count], system: systems[slot % systems.count], entries: sameDay[slot]))
        }
        guard !found.isEmpty else { return [] }
        for index in entries.indices where entries[index].flags.contains(.recordedTimeFromEffective) {
            guard stamping[Int(entries[index].site) * systems.count + entries[index].system.index] else { continue }
            entries[index].effectiveAt = Entry.noTime
            entries[index].flags.remove(.recordedTimeFromEffective)
        }
        return found
    }

    /// Site, content and effective time of an entry, mixed (two low bits clear).
    private static func contentAndTime(_ entry: Entry) -> UInt64 {
        var key = entry.fingerprint ^ UInt64(bitPattern: entry.effectiveAt) &* 0x9E37_79B9_7F4A_7C15
        key ^= UInt64(entry.site) << 40
        key = (key ^ key >> 31) &* 0xBF58_476D_1CE4_E5B9
        return (key ^ key >> 27) & ~3
    }

    /// The sorted keys (`contentAndTime`) that entries of more than one system carry.
    private func timesCarriedBySeveralSystems() -> [UInt64] {
        var keys: [(key: UInt64, system: UInt16)] = []
        for entry in entries where entry.hasEffectiveTime {
            keys.append((Self.contentAndTime(entry), entry.system.rawValue))
        }
        keys.sort { $0.key != $1.key ? $0.key < $1.key : $0.system < $1.system }
        var shared: [UInt64] = []
        var start = 0
        while start < keys.count {
            var end = start + 1
            while end < keys.count, keys[end].key == keys[start].key { end += 1 }
            if keys[end - 1].system != keys[start].system { shared.append(keys[start].key) }
            start = end
        }
        return shared
    }

    private static func contains(_ sorted: [UInt64], _ key: UInt64) -> Bool {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low < sorted.count && sorted[low] == key
    }
}
