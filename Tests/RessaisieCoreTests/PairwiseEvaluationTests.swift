import RessaisieCore
import Testing

@Suite("Pairwise evaluation")
struct PairwiseEvaluationTests {
    typealias Eval = PairwiseEvaluation

    func key(_ id: String, site: String = "s", system: String = "DPI") -> EntryKey {
        EntryKey(site: site, system: system, recordID: id)
    }

    /// Facts A = {a1, a2, a3}, B = {b1, b2}, C = {c1}: 3 + 1 = 4 true pairs, 3 re-entries.
    var truth: [Eval.TruthRow] {
        [("a1", "A"), ("a2", "A"), ("a3", "A"), ("b1", "B"), ("b2", "B"), ("c1", "C")].map {
            Eval.TruthRow(entry: key($0.0), fact: $0.1)
        }
    }

    func groups(_ members: [[String]]) -> [Eval.GroupRow] {
        members.enumerated().flatMap { index, ids in
            ids.enumerated().map { position, id in Eval.GroupRow(entry: key(id), group: "g\(index)", isReEntry: position > 0) }
        }
    }

    @Test("a perfect match scores 1, 1, 1 and the same re-entries")
    func perfect() {
        let result = Eval.evaluate(truth: truth, groups: groups([["a1", "a2", "a3"], ["b1", "b2"]]))
        #expect(result.truePairs == 4 && result.predictedPairs == 4 && result.correctPairs == 4)
        #expect(result.precision == 1 && result.recall == 1 && result.f1 == 1)
        #expect(result.sites == [Eval.SiteCounts(site: "s", trueReEntries: 3, predictedReEntries: 3)])
        #expect(result.sites[0].relativeDifference == 0)
        #expect(result.entriesMissingFromTruth == 0)
    }

    @Test("a split group keeps precision and loses recall")
    func split() throws {
        // A found as {a1, a2} only; a3 alone (not in any group).
        let result = Eval.evaluate(truth: truth, groups: groups([["a1", "a2"], ["b1", "b2"]]))
        #expect(result.predictedPairs == 2 && result.correctPairs == 2)
        #expect(result.precision == 1)
        #expect(result.recall == 0.5)
        #expect(abs(try #require(result.f1) - 2.0 / 3.0) < 1e-12)
        #expect(result.sites[0].predictedReEntries == 2)
        #expect(abs(try #require(result.sites[0].relativeDifference) + 1.0 / 3.0) < 1e-12)
    }

    @Test("a merged group keeps recall and loses precision")
    func merged() throws {
        let result = Eval.evaluate(truth: truth, groups: groups([["a1", "a2", "a3", "b1", "b2"]]))
        #expect(result.predictedPairs == 10 && result.correctPairs == 4)
        #expect(result.precision == 0.4 && result.recall == 1)
        #expect(abs(try #require(result.f1) - 0.8 / 1.4) < 1e-12)
        #expect(result.sites[0].predictedReEntries == 4)
    }

    @Test("entries missing from the truth are counted and their pairs are wrong")
    func missing() throws {
        let result = Eval.evaluate(truth: truth, groups: groups([["a1", "a2", "x1"]]))
        #expect(result.entriesMissingFromTruth == 1)
        #expect(result.missingExamples == [key("x1")])
        #expect(result.predictedPairs == 3 && result.correctPairs == 1)
        #expect(abs(try #require(result.precision) - 1.0 / 3.0) < 1e-12)
        #expect(result.recall == 0.25)
    }

    @Test("no groups: precision undefined, recall 0; sites from both files")
    func empty() {
        var rows = truth
        rows.append(Eval.TruthRow(entry: key("z1", site: "t"), fact: "Z"))
        let result = Eval.evaluate(truth: rows, groups: [])
        #expect(result.precision == nil && result.recall == 0 && result.f1 == nil)
        #expect(result.sites.map(\.site) == ["s", "t"])
        #expect(result.sites[1].relativeDifference == nil)
    }

    @Test("tags: re-entries found per kind of noise, hard negatives merged per kind")
    func tagged() {
        typealias Tag = TaggedEvaluation.TagRow
        let tags = [
            Tag(entry: key("a1"), fact: "A", isReEntry: false, hardNegative: "", noise: []),
            Tag(entry: key("a2"), fact: "A", isReEntry: true, hardNegative: "", noise: ["typo"]),
            Tag(entry: key("a3"), fact: "A", isReEntry: true, hardNegative: "", noise: ["typo", "copy_prefix"]),
            Tag(entry: key("b1"), fact: "B", isReEntry: false, hardNegative: "", noise: []),
            Tag(entry: key("b2"), fact: "B", isReEntry: true, hardNegative: "", noise: []),
            Tag(entry: key("n1"), fact: "N1", isReEntry: false, hardNegative: "routine_note", noise: []),
            Tag(entry: key("n2"), fact: "N2", isReEntry: false, hardNegative: "routine_note", noise: []),
            Tag(entry: key("m1"), fact: "M1", isReEntry: false, hardNegative: "daily_medication", noise: []),
        ]
        // a1+a2 found (a3 missed), b1+b2 found, the two routine notes merged.
        let result = TaggedEvaluation.evaluate(tags: tags, groups: groups([["a1", "a2"], ["b1", "b2"], ["n1", "n2"]]))
        #expect(result.noise == [
            TaggedEvaluation.KindCount(kind: "copy_prefix", entries: 1, hits: 0),
            TaggedEvaluation.KindCount(kind: "typo", entries: 2, hits: 1),
            TaggedEvaluation.KindCount(kind: "verbatim", entries: 1, hits: 1),
        ])
        #expect(result.hardNegatives == [
            TaggedEvaluation.KindCount(kind: "daily_medication", entries: 1, hits: 0),
            TaggedEvaluation.KindCount(kind: "routine_note", entries: 2, hits: 2),
        ])
    }
}
