import RessaisieCore
import Testing

@testable import RessaisieReport

@Suite("Review on the page: wording")
struct ReviewWordingTests {
    @Test("the method says what the review gives: intervals, or too few pairs, or no review and the tested accuracy")
    func accuracy() {
        let grouped = ReviewStratum(id: "grouped.cross.same")!, nearMiss = ReviewStratum(id: "near_miss.cross.near")!
        let labels =
            Array(repeating: ReviewEstimate.Label(stratum: grouped, population: 100, sameFact: true), count: 10)
            + Array(repeating: ReviewEstimate.Label(stratum: nearMiss, population: 50, sameFact: false), count: 10)
        let reviewed = Wording(.en).accuracyText(ReviewEstimate(labels: labels))
        #expect(
            reviewed.contains("sample of 20 pairs") && reviewed.contains("precision 100.0%")
                && reviewed.contains("recall 100.0%"))
        // Only near-misses labelled: no precision, so no interval, and the page does not pretend it was unreviewed.
        let undetermined = Wording(.fr).accuracyText(ReviewEstimate(labels: Array(labels.suffix(10))))
        #expect(
            undetermined.contains("10 paires") && undetermined.contains("sans intervalle")
                && !undetermined.contains("F1"))
        let unreviewed = Wording(.en).accuracyText(nil)
        #expect(unreviewed.contains("have not been reviewed") && unreviewed.contains("median F1 0.97"))
    }
}
