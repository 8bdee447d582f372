import Testing

@testable import RessaisieCore

/// The candidates of cross-site linkage steps 3 and 4 (`CrossSiteLinkage.CandidateTable`): a flat table for
/// audits of few persons × sites, a dictionary beyond. Both must keep, per person and site, one candidate or
/// none.
@Suite("Cross-site linkage candidates")
struct CandidateTableTests {
    /// (person, site, other) additions: 1 has one candidate at site 1 (twice the same), 2 has two at site 1,
    /// 3 has one at site 0 and one at site 2; 7 has one at site 1.
    static let additions: [(UInt32, UInt16, UInt32)] = [
        (1, 1, 7), (1, 1, 7), (2, 1, 8), (2, 1, 9), (3, 0, 4), (3, 2, 5), (7, 1, 1),
    ]

    func filled(persons: Int, sites: Int) -> CrossSiteLinkage.CandidateTable {
        var table = CrossSiteLinkage.CandidateTable(persons: persons, sites: sites)
        for (person, site, other) in Self.additions { table.add(person, at: site, other) }
        return table
    }

    @Test("one candidate kept, several or none left out, in the flat table and in the dictionary alike")
    func flatAndSparseAgree() {
        // 10 × 3 cells are flat; 3 000 × 2 000 (past 4 Mi cells) go to the dictionary.
        for (persons, sites) in [(10, 3), (3_000, 2_000)] {
            let table = filled(persons: persons, sites: sites)
            #expect(table.only(1, at: 1) == 7)
            #expect(table.only(2, at: 1) == nil)  // two candidates
            #expect(table.only(3, at: 0) == 4 && table.only(3, at: 2) == 5)
            #expect(table.only(3, at: 1) == nil)  // none
            #expect(table.only(7, at: 1) == 1)
            var found: [String] = []
            table.forEachOnly { found.append("\($0)→\($1)") }
            #expect(found.sorted() == ["1→7", "3→4", "3→5", "7→1"])
        }
    }
}
