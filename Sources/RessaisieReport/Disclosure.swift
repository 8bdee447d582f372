import RessaisieCore

/// The privacy rules of docs/DESIGN.md ("Privacy rules") for what a report shows about patients and staff, in one place.
///
/// Every renderer reads a `PublishedReport`, and only `PublishedReport` (built with a `Disclosure`)
/// reads metrics, so no format can show a figure these rules would hide:
/// - counts from 1 to `threshold - 1` are shown as `<threshold` (*primary suppression*), and when a
///   column adds up to a shown total, a second cell is hidden so that the first cannot be recovered by
///   subtraction (*secondary suppression*); rates, shares, hours and lags computed from a hidden count
///   are hidden with it;
/// - professions with fewer than `minAuthorsPerProfession` authors are merged into one "others" row, and
///   that row is hidden when it still has too few authors;
/// - nothing is ever shown per person: the finest grain about staff is a profession.
///
/// Identifiers, names and free text never reach `PublishedReport` at all: metrics hold none.
public struct Disclosure: Sendable, Equatable {
    /// Counts below this are hidden (`<11` by default); 0 or 1 hides nothing.
    public var threshold: Int
    /// Professions with fewer authors than this are merged into "others".
    public var minAuthorsPerProfession: Int
    /// False for the analyst's working formats (text, JSON), which keep exact counts; the profession
    /// rules apply to every format.
    public var suppressSmallCounts: Bool

    public static let defaultThreshold = 11
    public static let defaultMinAuthorsPerProfession = 5
    /// The row that merges small professions.
    public static let othersProfession = "others"

    public init(
        threshold: Int = Disclosure.defaultThreshold,
        minAuthorsPerProfession: Int = Disclosure.defaultMinAuthorsPerProfession,
        suppressSmallCounts: Bool = true
    ) {
        self.threshold = threshold
        self.minAuthorsPerProfession = minAuthorsPerProfession
        self.suppressSmallCounts = suppressSmallCounts
    }

    /// The same rules without small-count suppression (text and JSON).
    public var exactCounts: Disclosure {
        var copy = self
        copy.suppressSmallCounts = false
        return copy
    }

    /// True when a count must be hidden.
    public func hides(_ count: Int) -> Bool {
        suppressSmallCounts && count > 0 && count < threshold
    }

    /// A count cell, hidden when small.
    func count(_ value: Int) -> Cell { hides(value) ? .suppressed : .count(value) }

    /// Applies primary suppression to every count cell, secondary suppression to additive columns, and
    /// hides the cells whose basis is hidden.
    func disclose(_ table: PublishedTable) -> PublishedTable {
        var table = table
        func primary(_ cell: Cell) -> Cell {
            if case .count(let value) = cell, hides(value) { return .suppressed }
            return cell
        }
        table.rows = table.rows.map { $0.map(primary) }
        table.total = table.total.map { $0.map(primary) }

        // A column adds up to a shown total (or to subtotals known from another table, such as the
        // re-entries of each system for the flows into it): one hidden cell alone in such a set could be
        // recovered as the total minus the others, so the smallest other non-zero cell is hidden too.
        // Repeated until stable, since a cell hidden for one set can leave another set with one.
        var changed = true
        while changed {
            changed = false
            for (column, definition) in table.columns.enumerated() where definition.additive {
                var sets: [[Int]] = []
                if !(table.total?[column].isHidden ?? false) { sets.append(Array(table.rows.indices)) }
                for keys in definition.subtotals {
                    var byKey: [[Cell]: [Int]] = [:]
                    var order: [[Cell]] = []
                    for row in table.rows.indices {
                        let key = keys.map { table.rows[row][$0] }
                        if byKey[key] == nil { order.append(key) }
                        byKey[key, default: []].append(row)
                    }
                    sets += order.map { byKey[$0]! }
                }
                for set in sets {
                    let hidden = set.filter { table.rows[$0][column].isHidden }
                    guard hidden.count == 1 else { continue }
                    var smallest: (row: Int, value: Int)?
                    for row in set {
                        if case .count(let value) = table.rows[row][column], value > 0,
                            value < (smallest?.value ?? .max)
                        {
                            smallest = (row, value)
                        }
                    }
                    if let smallest {
                        table.rows[smallest.row][column] = .withheld
                        changed = true
                    }
                }
            }
        }

        func derived(_ row: [Cell]) -> [Cell] {
            var row = row
            for (column, definition) in table.columns.enumerated() where !definition.basis.isEmpty {
                if definition.basis.contains(where: { row[$0].isHidden }) { row[column] = .withheld }
            }
            return row
        }
        table.rows = table.rows.map(derived)
        table.total = table.total.map(derived)
        return table
    }

    /// The profession row a profession is counted in once `professions(_:)` has merged the small ones: its
    /// own, or `othersProfession`.
    public func mergedProfession(_ name: String, in slices: [(name: String, metrics: ProfessionMetrics, shown: Bool)])
        -> String
    {
        name != Self.othersProfession && slices.contains { $0.name == name } ? name : Self.othersProfession
    }

    /// Professions as they may be shown: each with at least `minAuthorsPerProfession` authors, the others
    /// merged into one `othersProfession` slice. Sorted by name, unspecified then others last.
    /// Returns each slice with `shown == false` when its figures must be hidden (too few authors even
    /// after merging).
    public func professions(_ byProfession: [String: ProfessionMetrics]) -> [(
        name: String, metrics: ProfessionMetrics, shown: Bool
    )] {
        var kept: [(String, ProfessionMetrics)] = []
        var others: ProfessionMetrics?
        for name in byProfession.keys.sorted() {
            let metrics = byProfession[name]!
            if metrics.authors >= minAuthorsPerProfession, name != Self.othersProfession {
                kept.append((name, metrics))
            } else {
                others = others.map { $0 + metrics } ?? metrics
            }
        }
        kept.sort { a, b in
            let rank = { (name: String) in name == Profession.unspecified ? 1 : 0 }
            return (rank(a.0), a.0) < (rank(b.0), b.0)
        }
        var result = kept.map { (name: $0.0, metrics: $0.1, shown: true) }
        if let others {
            result.append(
                (name: Self.othersProfession, metrics: others, shown: others.authors >= minAuthorsPerProfession))
        }
        return result
    }
}

/// One cell of a published table: a typed value, or a hidden count.
public enum Cell: Sendable, Hashable {
    /// A word the renderer translates (system, category, purpose, metric…).
    case label(String)
    /// Shown as is (site and profession names).
    case text(String)
    case count(Int)
    /// A fraction, shown as a percentage.
    case rate(Double)
    case hours(Double)
    case minutes(Double)
    case fte(Double)
    case rank(Int)
    /// A rank shared with another site (equal values).
    case tiedRank(Int)
    /// A setting (minutes, words per minute), shown with up to two decimals.
    case number(Double)
    /// A small count, hidden by the disclosure rules (shown `<11`).
    case suppressed
    /// Hidden to protect another cell: a count that would give a small one back by subtraction, a rate,
    /// share, hour or rank computed from a hidden count, a group with too few authors. Shown with a
    /// neutral mark and a footnote, never as `<11` (it may hold any value).
    case withheld
    /// Not applicable.
    case none

    /// Hidden, for whatever reason.
    public var isHidden: Bool { self == .suppressed || self == .withheld }

    /// The number behind the cell, for charts; nil for hidden and non-numeric cells.
    public var number: Double? {
        switch self {
        case .count(let value), .rank(let value), .tiedRank(let value): Double(value)
        case .rate(let value), .hours(let value), .minutes(let value), .fte(let value), .number(let value): value
        default: nil
        }
    }
}

/// A table as every format shows it: columns with ids (CSV headers, translation keys), rows of cells and
/// an optional total row.
public struct PublishedTable: Sendable, Equatable {
    public struct Column: Sendable, Equatable {
        public var id: String
        /// The rows of this column add up to the total (so secondary suppression applies).
        public var additive: Bool
        /// Columns this one is computed from: hidden when one of them is.
        public var basis: [Int]
        /// For an additive column: sets of key columns whose groups of rows add up to a figure shown
        /// elsewhere (flows into one system add up to that system's re-entries).
        public var subtotals: [[Int]]

        public init(_ id: String, additive: Bool = false, basis: [Int] = [], subtotals: [[Int]] = []) {
            self.id = id
            self.additive = additive
            self.basis = basis
            self.subtotals = subtotals
        }
    }

    public var id: String
    public var columns: [Column]
    public var rows: [[Cell]]
    public var total: [Cell]?
    /// Rows hidden because a group of staff in them has too few authors (a count of 0 is shown, as any 0):
    /// their counts are figures about a handful of persons, which no other published number may give back
    /// (`DisclosureAudit` attacks them as it attacks small counts).
    public var protectedRows: Set<Int> = []
    /// The groups (row words) hidden for too few authors, whose pairs are `protectedRows` when not zero.
    public var hiddenGroups: [Cell] = []

    /// True when the table holds an hour figure (a column or, in the overview, a row): the period they
    /// are per is printed beside it.
    public var showsHours: Bool {
        columns.contains { $0.id.hasPrefix("hours_") }
            || rows.contains { if case .label(let id) = $0.first { id.hasPrefix("hours_") } else { false } }
    }

    public init(id: String, columns: [Column], rows: [[Cell]], total: [Cell]? = nil) {
        self.id = id
        self.columns = columns
        self.rows = rows
        self.total = total
    }

    public func column(_ id: String) -> Int? { columns.firstIndex { $0.id == id } }

    /// The words and names of a row (its labels and texts): what identifies it across sites and tables.
    static func key(_ row: [Cell]) -> [Cell] {
        row.filter {
            switch $0 {
            case .label, .text: true
            default: false
            }
        }
    }
}
