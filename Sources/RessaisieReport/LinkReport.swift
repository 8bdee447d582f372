import Foundation
import RessaisieCore

/// `ressaisie link`'s outputs: the matched pairs as CSV, and the run's summary for standard error. Renders;
/// decides nothing (the pairs come from `ProbabilisticLinker.decide`).
public enum LinkReport {
    /// One of the two files of persons, as the summary names it.
    public struct Side: Sendable {
        public var path: String
        /// Persons read (one per row kept).
        public var rows: Int
        public var rowsRejected: Int
        /// Identity field → the column it was read from.
        public var mapped: [String: String]
        /// INS whose check key is wrong (not used for linking).
        public var invalidINS: Int

        public init(path: String, rows: Int, rowsRejected: Int, mapped: [String: String], invalidINS: Int) {
            self.path = path
            self.rows = rows
            self.rowsRejected = rowsRejected
            self.mapped = mapped
            self.invalidINS = invalidINS
        }
    }

    /// `a_id,b_id,method,weight,probability`, one row per matched pair, in the order of A's then B's record. The
    /// linkage ran on A's records followed by B's: a record index below `idsA.count` is A's.
    public static func pairsCSV(_ result: ProbabilisticLinker.Result, idsA: [String], idsB: [String], recordsInA: Int)
        -> String
    {
        var csv = "a_id,b_id,method,weight,probability\n"
        for link in result.links.sorted(by: { ($0.a, $0.b) < ($1.a, $1.b) }) {
            let (x, y) = link.a < recordsInA ? (link.a, link.b - recordsInA) : (link.b, link.a - recordsInA)
            csv +=
                "\(CSVField.escape(idsA[x])),\(CSVField.escape(idsB[y])),\(link.method.rawValue),"
                + String(format: "%.3f,%.6f\n", link.weight, link.probability)
        }
        return csv
    }

    /// What was read, the columns used, the EM model and the pairs by method, and the time taken.
    public static func summary(
        _ result: ProbabilisticLinker.Result, a: Side, b: Side, compare: [String], threshold: Double,
        seconds: TimeInterval
    ) -> String {
        let linkage = result.linkage, model = result.model
        return "\(a.path): \(a.rows) rows\(a.rowsRejected > 0 ? " (\(a.rowsRejected) rejected)" : ""); "
            + "\(b.path): \(b.rows) rows\(b.rowsRejected > 0 ? " (\(b.rowsRejected) rejected)" : "")\n"
            + "columns of A: " + a.mapped.keys.sorted().map { "\($0)=\(a.mapped[$0]!)" }.joined(separator: ", ")
            + "; of B: " + b.mapped.keys.sorted().map { "\($0)=\(b.mapped[$0]!)" }.joined(separator: ", ")
            + (compare.isEmpty ? "" : "; compared as strings: \(compare.joined(separator: ", "))") + "\n"
            + "\(linkage.candidatePairs) candidate pairs; EM \(model.iterations) iterations, match proportion "
            + String(format: "%.4f", model.matchProportion) + "\n"
            + "\(result.links.count) pairs: \(linkage.linksByINS) by INS, \(linkage.linksByTraits) by exact traits, "
            + "\(linkage.linksByProbability) probabilistic (weight ≥ \(threshold)); refused: \(linkage.refusedByINS) different INS, "
            + "\(linkage.refusedByOneToOne) one-to-one, \(linkage.refusedWithinSystem) within one system\n"
            + (a.invalidINS + b.invalidINS > 0
                ? "\(a.invalidINS + b.invalidINS) INS with a wrong check key (not used)\n" : "")
            + String(format: "%.2f s\n", seconds)
    }
}
