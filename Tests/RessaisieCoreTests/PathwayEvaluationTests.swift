import RessaisieCore
import Testing

/// Scoring pairs across sites (and categories) against their truth: pair by pair, or fact by fact when the
/// truth's facts are known.
@Suite("Pathway evaluation")
struct PathwayEvaluationTests {
    static func entry(_ site: String, _ system: String, _ id: String) -> EntryKey {
        EntryKey(site: site, system: system, recordID: id)
    }

    // The hospital's fact, typed again at the EHPAD into its DUI, then into its paper log (a per-site re-entry,
    // the same fact of the EHPAD); a hard negative: another fact of the EHPAD.
    static let original = entry("ch", "DPI", "ch-1")
    static let dui = entry("ehpad", "DUI", "e-1")
    static let paperLog = entry("ehpad", "Cahier", "e-2")
    static let other = entry("ehpad", "DUI", "e-3")
    static let truth = [
        PathwayEvaluation.TruthRow(kind: "re_entry", pair: .init(from: original, to: dui)),
        PathwayEvaluation.TruthRow(kind: "shared_patient_other_fact", pair: .init(from: original, to: other)),
    ]
    static let facts = [original: "1", dui: "2", paperLog: "2", other: "3"]

    @Test("a pair naming another entry of the same fact at the receiving site is the truth's pair, by fact")
    func sameFactAnotherEntry() {
        let predicted = [PathwayEvaluation.Pair(from: Self.original, to: Self.paperLog)]
        let byEntry = PathwayEvaluation.evaluate(truth: Self.truth, predicted: predicted)
        #expect(byEntry.correctPairs == 0)
        let byFact = PathwayEvaluation.evaluate(truth: Self.truth, predicted: predicted, facts: Self.facts)
        #expect(byFact.correctPairs == 1)
        #expect(byFact.precision == 1 && byFact.recall == 1)
        // Not the other way round: across sites the direction still counts.
        let reversed = [PathwayEvaluation.Pair(from: Self.paperLog, to: Self.original)]
        #expect(PathwayEvaluation.evaluate(truth: Self.truth, predicted: reversed, facts: Self.facts).correctPairs == 0)
    }

    @Test("two pairs of the same two facts are one correct and one false; a hard negative is merged by fact")
    func countedOnceAndNegatives() {
        let twice = [
            PathwayEvaluation.Pair(from: Self.original, to: Self.dui),
            PathwayEvaluation.Pair(from: Self.original, to: Self.paperLog),
        ]
        let result = PathwayEvaluation.evaluate(truth: Self.truth, predicted: twice, facts: Self.facts)
        #expect(result.predictedPairs == 2)
        #expect(result.correctPairs == 1)
        #expect(result.hardNegatives.map { $0.merged } == [0])
        // A fourth entry of the other fact, paired with the original: the hard negative's two facts, merged.
        let sameAsOther = Self.entry("ehpad", "Cahier", "e-4")
        var facts = Self.facts
        facts[sameAsOther] = "3"
        let merged = PathwayEvaluation.evaluate(
            truth: Self.truth, predicted: [.init(from: Self.original, to: sameAsOther)], facts: facts)
        #expect(merged.hardNegatives.map { $0.merged } == [1])
        #expect(
            PathwayEvaluation.evaluate(truth: Self.truth, predicted: [.init(from: Self.original, to: sameAsOther)])
                .hardNegatives.map { $0.merged } == [0])
    }
}
