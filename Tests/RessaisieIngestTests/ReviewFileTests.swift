import Foundation
import RessaisieCore
import TestSupport
import Testing

@testable import RessaisieIngest

@Suite("Review file: labels read back")
struct ReviewFileTests {
    let header = "pair_id,stratum,stratum_population,stratum_sampled,site,same_fact"

    /// A labelled file as an analyst returns it: the warning lines, a header, rows with multi-line text.
    func file(_ rows: [String], in folder: TemporaryFolder) throws -> String {
        try folder.write("labelled.csv", (ReviewFile.warning + [header] + rows).joined(separator: "\n") + "\n")
    }

    @Test("a hand-labelled file gives the expected estimates; unlabelled rows are counted")
    func estimates() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var rows: [String] = []
        // 100 grouped pairs, 8 of 10 one fact ("Oui", "y" and "1" read as yes); 50 near-misses, 2 of 10; 2 rows blank.
        for index in 1...10 {
            rows.append(
                "\(index),grouped.cross.same,100,12,s,\(index <= 8 ? ["yes", "Oui", "y", "1"][index % 4] : "no")")
        }
        for index in 11...20 {
            rows.append("\(index),near_miss.cross.near,50,10,\"s, site\",\(index <= 12 ? "YES" : "non")")
        }
        rows.append("21,grouped.cross.same,100,12,s,")
        rows.append("22,grouped.cross.same,100,12,s,  ")
        let labels = try ReviewFile.labels(path: try file(rows, in: folder))
        #expect(labels.count == 22)
        let estimate = ReviewEstimate(labels: labels)
        #expect(estimate.reviewed == 20 && estimate.unlabelled == 2)
        let precision = try #require(estimate.precision)
        #expect(
            abs(precision.estimate - 0.8) < 1e-9 && abs(precision.lower - 0.4422) < 1e-4
                && abs(precision.upper - 0.9646) < 1e-4)
        #expect(abs(try #require(estimate.recall).estimate - 80.0 / 90.0) < 1e-9)
        #expect(estimate.groupedPairs == 100 && estimate.nearMissPairs == 50)
    }

    @Test("a bad label, an unknown stratum, a missing column stop with the file and line")
    func errors() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        func failure(_ rows: [String], header: String? = nil) throws -> String {
            let path = try folder.write("bad.csv", ([header ?? self.header] + rows).joined(separator: "\n") + "\n")
            do {
                _ = try ReviewFile.labels(path: path)
                return ""
            } catch let error as IngestError {
                #expect(error.failure == .invalidData)
                return error.description
            }
        }
        let label = try failure(["1,grouped.cross.same,10,1,s,yes", "2,grouped.cross.same,10,1,s,maybe"])
        #expect(label.contains("bad.csv:3") && label.contains("'maybe'"), "\(label)")
        let stratum = try failure(["1,grouped.everywhere,10,1,s,yes"])
        #expect(stratum.contains("bad.csv:2") && stratum.contains("unknown stratum"), "\(stratum)")
        let column = try failure(["1,grouped.cross.same,10,s"], header: "pair_id,stratum,stratum_population,site")
        #expect(column.contains("bad.csv:1") && column.contains("'same_fact'"), "\(column)")
        let twice = try failure(["1,grouped.cross.same,10,1,s,yes", "1,grouped.cross.same,10,1,s,no"])
        #expect(twice.contains("bad.csv:3") && twice.contains("already on line 2"), "\(twice)")
        let population = try failure(["1,grouped.cross.same,many,1,s,yes"])
        #expect(population.contains("bad.csv:2") && population.contains("not a count"), "\(population)")
        #expect(throws: IngestError.notFound(path: folder.path + "/none.csv")) {
            try ReviewFile.labels(path: folder.path + "/none.csv")
        }
    }
}
