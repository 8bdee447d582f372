import TestSupport
import Testing

@testable import RessaisieCore

@Suite("Review: intervals, stratified estimates, sampling")
struct ReviewTests {
    func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-4) -> Bool { abs(a - b) <= tolerance }

    @Test("Wilson score interval, plain and continuity-corrected, against Newcombe (1998)")
    func wilson() throws {
        // Plain Wilson (Newcombe's method 3).
        let plain = try #require(ProportionInterval.wilson(successes: 8, trials: 10, continuityCorrected: false))
        #expect(close(plain.lower, 0.4902) && close(plain.upper, 0.9433) && plain.estimate == 0.8)
        let none = try #require(ProportionInterval.wilson(successes: 0, trials: 10, continuityCorrected: false))
        #expect(none.lower == 0 && close(none.upper, 0.2775))
        let all = try #require(ProportionInterval.wilson(successes: 10, trials: 10, continuityCorrected: false))
        #expect(close(all.lower, 0.7225) && all.upper == 1)
        // Continuity-corrected (method 4): Newcombe's worked examples 81/263 and 0/10.
        let example = try #require(ProportionInterval.wilson(successes: 81, trials: 263))
        #expect(close(example.lower, 0.2535) && close(example.upper, 0.3682))
        let ccNone = try #require(ProportionInterval.wilson(successes: 0, trials: 10))
        #expect(ccNone.lower == 0 && close(ccNone.upper, 0.3445))
        let ccAll = try #require(ProportionInterval.wilson(successes: 10, trials: 10))
        #expect(close(ccAll.lower, 0.6555) && ccAll.upper == 1)
        let cc = try #require(ProportionInterval.wilson(successes: 8, trials: 10))
        #expect(close(cc.lower, 0.4422) && close(cc.upper, 0.9646))
        // The correction widens the interval; nothing to say without trials.
        #expect(cc.lower < plain.lower && cc.upper > plain.upper)
        #expect(ProportionInterval.wilson(successes: 0, trials: 0) == nil)
    }

    @Test("MOVER: one stratum gives its own interval; two recover each side's distance")
    func mover() throws {
        let cc = try #require(ProportionInterval.wilson(successes: 8, trials: 10))
        #expect(ProportionInterval.weightedSum([(1, cc)]) == cc)
        let both = ProportionInterval.weightedSum([(0.5, cc), (0.5, cc)])
        #expect(close(both.estimate, 0.8))
        #expect(close(both.lower, 0.8 - 0.5 * (0.8 - cc.lower) * 2.0.squareRoot()))
        #expect(close(both.upper, 0.8 + 0.5 * (cc.upper - 0.8) * 2.0.squareRoot()))
        // Narrower than adding the distances (strata are independent), wider than one stratum's share.
        #expect(both.lower > cc.lower && both.upper < cc.upper)
        // Ratio: contains the estimate; a numerator that can be 0 gives a lower bound of 0.
        let ratio = try #require(
            ProportionInterval.ratio(
                Interval(estimate: 10, lower: 0, upper: 30), Interval(estimate: 100, lower: 90, upper: 105)))
        #expect(ratio.lower == 0 && close(ratio.estimate, 0.1) && ratio.upper > 0.1 && ratio.upper < 0.4)
        #expect(
            ProportionInterval.ratio(
                Interval(estimate: 1, lower: 0, upper: 2), Interval(estimate: 0, lower: 0, upper: 1)) == nil)
    }

    @Test(
        "stratified share: one stratum is its own Wilson interval; strata weigh by population; an unreviewed one widens"
    )
    func stratified() throws {
        let one = try #require(ProportionInterval.stratified([.init(population: 500, successes: 8, trials: 10)]))
        let cc = try #require(ProportionInterval.wilson(successes: 8, trials: 10))
        #expect(close(one.estimate, cc.estimate) && close(one.lower, cc.lower) && close(one.upper, cc.upper))
        // 900 pairs all right in 10, 100 pairs half right in 10: 0.95, narrower than 10 pairs alone, within [0, 1].
        let two = try #require(
            ProportionInterval.stratified([
                .init(population: 900, successes: 10, trials: 10), .init(population: 100, successes: 5, trials: 10),
            ]))
        #expect(close(two.estimate, 0.95) && two.lower < 0.95 && two.upper > 0.95 && two.upper <= 1)
        // Effective sample size: the variance is 0.01² × 0.25 / 10; n* = 0.95 × 0.05 / that, capped at the 20 reviewed.
        let capped = ProportionInterval.wilson(share: 0.95, trials: 20, z: ProportionInterval.z95)
        #expect(close(two.lower, capped.lower) && close(two.upper, capped.upper))
        // A stratum no one reviewed can be anything: its weight widens both sides.
        let unknown = try #require(
            ProportionInterval.stratified([
                .init(population: 500, successes: 8, trials: 10), .init(population: 500, successes: 0, trials: 0),
            ]))
        #expect(
            close(unknown.estimate, 0.8) && close(unknown.lower, cc.lower / 2)
                && close(unknown.upper, cc.upper / 2 + 0.5))
        #expect(ProportionInterval.stratified([.init(population: 10, successes: 0, trials: 0)]) == nil)
    }

    func labels(_ stratum: String, population: Int, yes: Int, no: Int, unlabelled: Int = 0) -> [ReviewEstimate.Label] {
        let id = ReviewStratum(id: stratum)!
        return Array(repeating: .init(stratum: id, population: population, sameFact: true), count: yes)
            + Array(repeating: .init(stratum: id, population: population, sameFact: false), count: no)
            + Array(repeating: .init(stratum: id, population: population, sameFact: nil), count: unlabelled)
    }

    @Test(
        "stratified estimates: precision from grouped strata, recall with the missed pairs of near-misses, by population"
    )
    func estimate() throws {
        // 100 grouped pairs, 8 of 10 reviewed are one fact; 50 near-misses, 2 of 10; 3 rows left unlabelled.
        let estimate = ReviewEstimate(
            labels: labels("grouped.cross.same", population: 100, yes: 8, no: 2, unlabelled: 3)
                + labels("near_miss.cross.near", population: 50, yes: 2, no: 8))
        #expect(estimate.reviewed == 20 && estimate.unlabelled == 3)
        let precision = try #require(estimate.precision)
        let cc = try #require(ProportionInterval.wilson(successes: 8, trials: 10))
        #expect(close(precision.estimate, 0.8) && close(precision.lower, cc.lower) && close(precision.upper, cc.upper))
        let recall = try #require(estimate.recall)
        #expect(close(recall.estimate, 80.0 / 90.0))  // TP 80, FN 10
        #expect(recall.lower < recall.estimate && recall.estimate < recall.upper && recall.upper <= 1)
        #expect(close(try #require(estimate.truePairsMissed).estimate, 10))
        let factor = try #require(estimate.trueToFound)
        #expect(close(factor.estimate, 0.9))
        let range = try #require(estimate.reEntries(found: 1000))
        #expect(range.estimate == 900 && range.lower < 900 && range.upper > 900)

        // Weighting by population: a large stratum counts more than a small one with the same sample.
        let weighted = ReviewEstimate(
            labels: labels("grouped.cross.same", population: 900, yes: 10, no: 0)
                + labels("grouped.same_system.near", population: 100, yes: 5, no: 5))
        #expect(close(try #require(weighted.precision).estimate, 0.95))
        // No near-miss is a true pair: recall 1, and its lower bound is what the near-misses could hide.
        let none = ReviewEstimate(
            labels: labels("grouped.cross.same", population: 100, yes: 10, no: 0)
                + labels("near_miss.cross.far", population: 1000, yes: 0, no: 10))
        let noneRecall = try #require(none.recall)
        #expect(noneRecall.estimate == 1 && noneRecall.upper == 1 && noneRecall.lower < 0.5)
    }

    @Test("stratum ids round-trip; unknown ids are refused")
    func strata() {
        for stratum in ReviewStratum.all { #expect(ReviewStratum(id: stratum.description) == stratum) }
        #expect(ReviewStratum(id: "grouped.cross") == nil && ReviewStratum(id: "grouped.both.same") == nil)
    }

    @Test("allocation: every non-empty stratum gets its floor, none more than its population, the size is used")
    func allocation() {
        var populations = Dictionary(uniqueKeysWithValues: ReviewStratum.all.map { ($0, 0) })
        populations[ReviewStratum(id: "grouped.cross.same")!] = 2000
        populations[ReviewStratum(id: "grouped.same_system.near")!] = 3
        populations[ReviewStratum(id: "near_miss.cross.near")!] = 300
        populations[ReviewStratum(id: "near_miss.same_system.far")!] = 5000
        populations[ReviewStratum(id: "near_miss.cross.partial")!] = 40
        let sizes = ReviewSample.allocate(200, populations: populations)
        #expect(sizes.values.reduce(0, +) == 200)
        for (stratum, population) in populations {
            #expect(sizes[stratum]! <= population)
            if population > 0 { #expect(sizes[stratum]! >= min(population, ReviewSample.minimumPerStratum)) }
        }
        #expect(sizes[ReviewStratum(id: "grouped.same_system.near")!] == 3)
        // A sample larger than every candidate takes them all.
        #expect(ReviewSample.allocate(100_000, populations: populations) == populations)
    }

    /// One site, one person in two systems: copies across systems (grouped), a same-system repeat the rules keep
    /// apart, a note just under the threshold, and unrelated entries of the same category and patient.
    func audit() -> (EntryStore, Analysis) {
        var b = StoreBuilder()
        b.patient("s", .dpi, "P", ins: "I")
        b.patient("s", .dui, "R", ins: "I")
        b.entry("d1", site: "s", system: .dpi, patient: "P", label: "Température", value: "37,5", at: 0)
        b.entry("u1", site: "s", system: .dui, patient: "R", label: "T°", value: "37.5", at: 30)
        b.entry("d2", site: "s", system: .dpi, patient: "P", label: "Température", value: "38,2", at: 600)
        b.entry("d3", site: "s", system: .dpi, patient: "P", label: "Température", value: "37,5", at: 1440)
        b.entry(
            "n1", site: "s", system: .dpi, patient: "P", category: "note",
            text: "Patient calme, a bien dormi, pas de douleur ce matin", at: 0)
        b.entry(
            "n2", site: "s", system: .dui, patient: "R", category: "note",
            text: "Patient calme, a bien dormi, pas de douleur ce matin", at: 90)
        b.entry(
            "n3", site: "s", system: .dui, patient: "R", category: "note",
            text: "Patient agité la nuit, douleur au genou droit, antalgique donné", at: 200)
        b.entry(
            "n4", site: "s", system: .dpi, patient: "P", category: "note",
            text: "Pansement refait au bras gauche, plaie propre", at: 400)
        b.entry("m1", site: "s", system: .dpi, patient: "P", category: "medication", label: "Paracétamol 1 g", at: 0)
        b.entry("m2", site: "s", system: .dpi, patient: "P", category: "medication", label: "Paracétamol 1 g", at: 1440)
        return (b.store, Analysis(store: b.store))
    }

    @Test("candidates: grouped pairs are the groups' pairs; near-misses are never two entries of one group")
    func candidates() {
        let (store, analysis) = audit()
        var grouped: [ReviewPair] = [], nearMisses: [ReviewPair] = []
        ReviewCandidates().forEachPair(store: store, linkage: analysis.linkage, groups: analysis.groups) { pair in
            if pair.stratum.kind == .grouped { grouped.append(pair) } else { nearMisses.append(pair) }
        }
        #expect(grouped.count == analysis.groups.reduce(0) { $0 + $1.members.count * ($1.members.count - 1) / 2 })
        #expect(!grouped.isEmpty && !nearMisses.isEmpty)
        var groupOf: [Int: Int] = [:]
        for (index, group) in analysis.groups.enumerated() { for member in group.members { groupOf[member] = index } }
        for pair in nearMisses {
            #expect(groupOf[pair.first] == nil || groupOf[pair.first] != groupOf[pair.second])
            #expect(store.entries[pair.first].category == store.entries[pair.second].category)
            #expect(store.entries[pair.first].recordedAt <= store.entries[pair.second].recordedAt)
        }
        // The same drug a day later in one system is kept apart by the rules: a near-miss of the same content.
        #expect(nearMisses.contains { $0.stratum == ReviewStratum(id: "near_miss.same_system.same")! })
        // Entries set aside are in no pair.
        var count = 0
        ReviewCandidates().forEachPair(
            store: store, linkage: analysis.linkage, groups: analysis.groups, setAside: [0, 1]
        ) { pair in
            #expect(pair.stratum.kind == .grouped || (pair.first > 1 && pair.second > 1))
            count += 1
        }
        #expect(count < grouped.count + nearMisses.count)
    }

    @Test("sampling is deterministic for a seed, takes each stratum's floor, and counts every candidate")
    func sampling() {
        let (store, analysis) = audit()
        let draw = { (seed: UInt64, size: Int) in
            ReviewSample.draw(
                store: store, linkage: analysis.linkage, groups: analysis.groups, candidates: ReviewCandidates(),
                size: size, seed: seed)
        }
        let first = draw(7, 8), again = draw(7, 8)
        #expect(first.pairs == again.pairs && first.pairs.count == 8)
        var total = 0
        ReviewCandidates().forEachPair(store: store, linkage: analysis.linkage, groups: analysis.groups) { _ in
            total += 1
        }
        #expect(first.populations.values.reduce(0, +) == total)
        // Seeds draw differently somewhere.
        #expect((1...20).contains { draw(UInt64($0), 8).pairs != first.pairs })
        // Large enough: every non-empty stratum is drawn from, never beyond its population.
        let large = draw(3, 60)
        for (stratum, population) in large.populations where population > 0 {
            let drawn = large.pairs.filter { $0.stratum == stratum }.count
            #expect(drawn >= min(population, ReviewSample.minimumPerStratum) && drawn <= population, "\(stratum)")
        }
    }
}
