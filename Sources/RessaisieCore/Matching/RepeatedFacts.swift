/// The repeated-fact rules: when two entries that say the same thing, about the same person, within the
/// window, are still **two facts** — a measure retaken, a routine note written on another shift, the same
/// drug given every morning — or one act of recording rather than a re-entry.
///
/// Each rule is one function that says whether it keeps two entries apart; `ReEntryDetector` joins two
/// entries (and so their groups) only when none does (`mayJoin`), in both of its passes. The rules see the
/// two entries, the effective times of the two groups being joined and, for the last one, the groups' spans
/// per system: they are plain functions of values, inlined into the detector's pair loop (nothing
/// allocated, nothing boxed per pair).
///
/// The rules, in the order `mayJoin` applies them (docs/DESIGN.md, "Repeated facts: never re-entries",
/// names the test that pins each one):
///
/// 1. `differentEffectiveTimes`: two known effective times that differ are two facts;
/// 2. `dayBeyondWindow`: a day stands for any of its times, and the window must hold however far apart
///    the times could be;
/// 3. `oneActOfRecording`: one author at one second in one system recorded once;
/// 4. `routineNoteOfAnotherShift`: a routine note is one fact only within `routineWindow`;
/// 5. `repeatedInOneSystem`: in a recurring category, two entries of one system more than
///    `sameSystemRepeatGap` apart are two measurements or administrations;
/// 6. `chainsRecurringFacts`: the same holds for two groups as wholes.
public struct RepeatedFacts: Sendable, Equatable {
    /// Largest gap, in seconds, between two entries of one fact.
    public var window: Int64
    /// Largest gap between two routine notes of one fact.
    public var routineWindow: Int64
    /// Largest gap between two entries of one system, in a category whose facts recur, of one fact.
    public var sameSystemRepeatGap: Int64

    public init(window: Int64, routineWindow: Int64, sameSystemRepeatGap: Int64) {
        self.window = window
        self.routineWindow = routineWindow
        self.sameSystemRepeatGap = sameSystemRepeatGap
    }

    /// The rules of a detector, with its window and gaps.
    public init(_ detector: ReEntryDetector) {
        self.init(
            window: detector.window, routineWindow: detector.routineWindow,
            sameSystemRepeatGap: detector.sameSystemRepeatGap)
    }

    /// The effective times of the two groups being joined (`Entry.noTime` when unknown). A group's effective
    /// time is its root entry's, or another member's when the root has none: a group never holds two.
    public struct EffectiveTimes: Sendable, Equatable {
        public var first: Int64
        public var second: Int64

        @inline(__always)
        public init(_ first: Int64, _ second: Int64) {
            self.first = first
            self.second = second
        }

        /// Both effective times are known.
        @inline(__always)
        public var bothKnown: Bool { first != Entry.noTime && second != Entry.noTime }
        /// Both are known and equal: one effective time shared by the two groups.
        @inline(__always)
        public var shared: Bool { bothKnown && first == second }
    }

    // MARK: The rules (each true when it keeps the two entries apart)

    /// Rule 1. Two entries whose effective times are both known and differ record two facts: a temperature
    /// taken at 08:00 and another at 16:00, whatever their recorded times.
    @inline(__always)
    public static func differentEffectiveTimes(_ times: EffectiveTimes) -> Bool {
        times.bothKnown && times.first != times.second
    }

    /// Rule 2. A recorded day (`Entry.Flags.recordedDay`) stands for any time of that day, so two entries are
    /// within the window only when their times, however far apart the day lets them be, are: a copy filed
    /// under a day three days later may be 82 h away, not within 72 h.
    @inline(__always)
    public func dayBeyondWindow(_ x: Entry, _ y: Entry) -> Bool {
        x.flags.union(y.flags).contains(.recordedDay) && Self.largestGap(x, y) > window
    }

    /// Rule 3. One author recording at one second in one system is one act of recording (a document that
    /// states a fact in two of its sections), not typing it again — unless a time is not to the second
    /// (`Entry.Flags.recordedNotToTheSecond`: then coinciding seconds say nothing), or the author is unknown.
    @inline(__always)
    public static func oneActOfRecording(_ x: Entry, _ y: Entry) -> Bool {
        x.recordedAt == y.recordedAt && x.system == y.system && x.author == y.author && x.author != Entry.noID
            && x.flags.union(y.flags).isDisjoint(with: .recordedNotToTheSecond)
    }

    /// Rule 4. A routine note (`RAS`, `Nuit calme`, `routine_notes.tsv`, or learned from the audit) is
    /// written again on every shift: two are one fact only within `routineWindow` (4 h: a copy within the
    /// shift), or when they share one effective time. A routine note with a day alone cannot be told from
    /// another shift's and is never joined.
    @inline(__always)
    public func routineNoteOfAnotherShift(_ x: Entry, _ y: Entry, _ times: EffectiveTimes) -> Bool {
        let flags = x.flags.union(y.flags)
        return flags.contains(.routine) && !times.shared
            && (Self.gap(x, y) > routineWindow || flags.contains(.recordedDay))
    }

    /// Rule 5. In a category whose facts recur (`ReEntryDetector.recurringCategories`: vital signs,
    /// medication, activity), two entries of the **same system** more than `sameSystemRepeatGap` (8 h) apart,
    /// without one shared effective time and unless both carry one, are two measurements or
    /// administrations (the same drug given every day at 08:00), not a double entry. Across systems a
    /// transcription can lag a day or two, so the whole window applies.
    @inline(__always)
    public func repeatedInOneSystem(_ x: Entry, _ y: Entry, _ times: EffectiveTimes, recurring: Bool) -> Bool {
        recurring && !times.shared && x.system == y.system && Self.gap(x, y) > sameSystemRepeatGap
            && !(x.hasEffectiveTime && y.hasEffectiveTime)
    }

    /// Rule 6. Rule 5 for the two groups as wholes: in a recurring category, without one shared effective
    /// time, a group never holds two entries of one system more than `sameSystemRepeatGap` apart, so a copy
    /// in another system does not chain the same drug given on two days into one fact.
    @inline(__always)
    public func chainsRecurringFacts(_ a: SystemSpans, _ b: SystemSpans, _ times: EffectiveTimes, recurring: Bool)
        -> Bool
    {
        recurring && !times.shared && a.merged(b).longestSpan > sameSystemRepeatGap
    }

    // MARK: All of them

    /// Whether `x` (earlier) and `y` may be one fact: no rule keeps them apart. `times`: the effective times
    /// of their groups; `recurring`: whether their category's facts recur; `spans`: their groups' spans, asked
    /// for only when rule 6 can apply (they cost two look-ups).
    @inline(__always)
    public func mayJoin(
        _ x: Entry, _ y: Entry, _ times: EffectiveTimes, recurring: Bool, spans: () -> (SystemSpans, SystemSpans)
    ) -> Bool {
        if Self.differentEffectiveTimes(times) { return false }
        if dayBeyondWindow(x, y) { return false }
        if Self.oneActOfRecording(x, y) { return false }
        if routineNoteOfAnotherShift(x, y, times) { return false }
        if repeatedInOneSystem(x, y, times, recurring: recurring) { return false }
        if recurring, !times.shared {
            let (a, b) = spans()
            if chainsRecurringFacts(a, b, times, recurring: recurring) { return false }
        }
        return true
    }

    // MARK: Times

    /// Seconds between two entries' recorded times; a day-precision time (`Entry.Flags.recordedDay`)
    /// stands for its whole day, so a time within that day is no gap at all (two days are as far apart
    /// as their starts).
    @inline(__always)
    public static func gap(_ x: Entry, _ y: Entry) -> Int64 {
        let dayX = x.flags.contains(.recordedDay), dayY = y.flags.contains(.recordedDay)
        // Two days, or two times: the difference of their starts.
        if dayX == dayY {
            return x.recordedAt >= y.recordedAt ? x.recordedAt - y.recordedAt : y.recordedAt - x.recordedAt
        }
        let (day, time) = dayX ? (x.recordedAt, y.recordedAt) : (y.recordedAt, x.recordedAt)
        return time < day ? day - time : max(0, time - (day + 86_399))
    }

    /// Seconds between two entries' recorded times at most, a day-precision time standing for any second
    /// of its day.
    @inline(__always)
    public static func largestGap(_ x: Entry, _ y: Entry) -> Int64 {
        let endX = x.recordedAt + (x.flags.contains(.recordedDay) ? 86_399 : 0)
        let endY = y.recordedAt + (y.flags.contains(.recordedDay) ? 86_399 : 0)
        return max(endX, endY) - min(x.recordedAt, y.recordedAt)
    }

    /// The first and last recorded time of each system among a group's entries (rule 6): four lanes, each
    /// keyed by its system, and the systems of a group that holds more than four (rare) in a list beyond.
    public struct SystemSpans: Sendable, Equatable {
        /// `SystemID.rawValue` of each lane; `UInt32.max` for a free lane.
        var systems = SIMD4<UInt32>(repeating: .max)
        var first = SIMD4<Int64>(repeating: .max)
        var last = SIMD4<Int64>(repeating: .min)
        var beyond: [(system: UInt32, first: Int64, last: Int64)] = []

        /// The span of a group of one entry.
        @inline(__always)
        public init(_ entry: Entry) {
            systems[0] = UInt32(entry.system.rawValue)
            first[0] = entry.recordedAt
            last[0] = entry.recordedAt
        }

        /// The spans of two groups joined.
        public func merged(_ other: SystemSpans) -> SystemSpans {
            var result = self
            for lane in 0..<4 where other.systems[lane] != .max {
                result.add(other.systems[lane], other.first[lane], other.last[lane])
            }
            for span in other.beyond { result.add(span.system, span.first, span.last) }
            return result
        }

        private mutating func add(_ system: UInt32, _ start: Int64, _ end: Int64) {
            for lane in 0..<4 where systems[lane] == system || systems[lane] == .max {
                systems[lane] = system
                first[lane] = min(first[lane], start)
                last[lane] = max(last[lane], end)
                return
            }
            if let index = beyond.firstIndex(where: { $0.system == system }) {
                beyond[index].first = min(beyond[index].first, start)
                beyond[index].last = max(beyond[index].last, end)
            } else {
                beyond.append((system, start, end))
            }
        }

        /// The longest time between two entries of one system.
        public var longestSpan: Int64 {
            var longest: Int64 = 0
            for lane in 0..<4 where systems[lane] != .max { longest = max(longest, last[lane] - first[lane]) }
            for span in beyond { longest = max(longest, span.last - span.first) }
            return longest
        }

        /// Every system's span, by system.
        private var spans: [(system: UInt32, first: Int64, last: Int64)] {
            var all = beyond
            for lane in 0..<4 where systems[lane] != .max { all.append((systems[lane], first[lane], last[lane])) }
            return all.sorted { $0.system < $1.system }
        }

        /// The same spans, in whichever lanes.
        public static func == (lhs: SystemSpans, rhs: SystemSpans) -> Bool {
            lhs.spans.elementsEqual(rhs.spans) { $0 == $1 }
        }
    }
}
