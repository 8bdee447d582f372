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
            ids.enumerated().map { position, id in
                Eval.GroupRow(entry: key(id), group: "g\(index)", isReEntry: position > 0)
            }
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
        let result = TaggedEvaluation.evaluate(
            tags: tags, groups: groups([["a1", "a2"], ["b1", "b2"], ["n1", "n2"]]))
        #expect(
            result.noise == [
                TaggedEvaluation.KindCount(kind: "copy_prefix", entries: 1, hits: 0),
                TaggedEvaluation.KindCount(kind: "typo", entries: 2, hits: 1),
                TaggedEvaluation.KindCount(kind: "verbatim", entries: 1, hits: 1),
            ])
        #expect(
            result.hardNegatives == [
                TaggedEvaluation.KindCount(kind: "daily_medication", entries: 1, hits: 0),
                TaggedEvaluation.KindCount(kind: "routine_note", entries: 2, hits: 2),
            ])
    }

    /// a1i: an interface copy of a1; b2r and c1r: republications of b2 and c1.
    var copyRows: [Eval.TruthRow] {
        [("a1i", "A"), ("b2r", "B"), ("c1r", "C")].map { Eval.TruthRow(entry: key($0.0), fact: $0.1) }
    }

    /// The truth's tags (a2, a3, b2 re-entries) and the copies'.
    var tags: [TaggedEvaluation.TagRow] {
        typealias Tag = TaggedEvaluation.TagRow
        let typed = truth.map { row in
            Tag(
                entry: row.entry, fact: row.fact, isReEntry: ["a2", "a3", "b2"].contains(row.entry.recordID),
                hardNegative: "", noise: [])
        }
        return typed + [
            Tag(
                entry: key("a1i"), fact: "A", isReEntry: false, hardNegative: "", noise: [], copyKind: "interface_copy"),
            Tag(entry: key("b2r"), fact: "B", isReEntry: false, hardNegative: "", noise: [], copyKind: "republished"),
            Tag(entry: key("c1r"), fact: "C", isReEntry: false, hardNegative: "", noise: [], copyKind: "republished"),
        ]
    }

    @Test("software copies are set aside from pairs and counted per kind: in a group or left out")
    func copies() {
        // The tool groups a1 with its interface copy (wrong), a2 with a3, b1 with b2; the republications are left out.
        let predicted = groups([["a1", "a1i"], ["a2", "a3"], ["b1", "b2"]])
        let setAside = TaggedEvaluation.copies(in: tags)
        #expect(setAside == [key("a1i"), key("b2r"), key("c1r")])

        let result = Eval.evaluate(truth: truth + copyRows, groups: predicted, setAside: setAside)
        #expect(result.entriesSetAside == 3 && result.truthEntries == 6)
        // True pairs as without copies (4); the pair a1–a1i is not scored, so a1 is only missed.
        #expect(result.truePairs == 4 && result.predictedPairs == 2 && result.correctPairs == 2)
        #expect(result.precision == 1 && result.recall == 0.5)
        #expect(result.groupEntries == 5)
        // The copy counted as a re-entry is an error in the per-site count: 3 true, 3 predicted (a1i, a3, b2).
        #expect(result.sites == [Eval.SiteCounts(site: "s", trueReEntries: 3, predictedReEntries: 3)])
        // Without the tags the copies would be scored as entries of their facts.
        let unaware = Eval.evaluate(truth: truth + copyRows, groups: predicted)
        #expect(unaware.truePairs == 4 + 3 + 2 + 1 && unaware.correctPairs == 3)

        let tagged = TaggedEvaluation.evaluate(tags: tags, groups: predicted)
        #expect(
            tagged.copies == [
                TaggedEvaluation.KindCount(kind: "interface_copy", entries: 1, hits: 1),
                TaggedEvaluation.KindCount(kind: "republished", entries: 2, hits: 0),
            ])
        #expect(tagged.noise == [TaggedEvaluation.KindCount(kind: "verbatim", entries: 3, hits: 3)])

        // A re-entry grouped with nothing but a copy of its fact, whose source is in another group, is not found.
        let alone = TaggedEvaluation.evaluate(tags: tags, groups: groups([["a1", "a3"], ["a2", "a1i"]]))
        #expect(alone.noise == [TaggedEvaluation.KindCount(kind: "verbatim", entries: 3, hits: 1)])
    }

    @Test("a copy in a group stands in for its ungrouped source: same fact, same site; never for a grouped one")
    func standingIn() {
        // The tool kept a1's interface copy and set a1 aside (same author, same minute: either may be the
        // software's); b2's republication is grouped with b1 while b2 is in no group.
        let predicted = groups([["a1i", "a2", "a3"], ["b1", "b2r"]])
        let (rows, count) = TaggedEvaluation.standingIn(tags: tags, groups: predicted)
        #expect(rows.map(\.entry.recordID) == ["a1", "a2", "a3", "b1", "b2"])
        #expect(rows.map(\.isReEntry) == predicted.map(\.isReEntry))
        #expect(count == ["interface_copy": 1, "republished": 1])
        let result = Eval.evaluate(truth: truth + copyRows, groups: rows, setAside: TaggedEvaluation.copies(in: tags))
        #expect(result.precision == 1 && result.recall == 1)
        let tagged = TaggedEvaluation.evaluate(tags: tags, groups: predicted)
        #expect(tagged.noise == [TaggedEvaluation.KindCount(kind: "verbatim", entries: 3, hits: 3)])
        #expect(
            tagged.copies == [
                TaggedEvaluation.KindCount(kind: "interface_copy", entries: 1, hits: 1, standingIn: 1),
                TaggedEvaluation.KindCount(kind: "republished", entries: 2, hits: 1, standingIn: 1),
            ])

        // Its source grouped, or at another site: the copy stands for nothing.
        let grouped = groups([["a1", "a2"], ["a1i", "a3"]])
        #expect(TaggedEvaluation.standingIn(tags: tags, groups: grouped).standingIn.isEmpty)
        let otherSite = TaggedEvaluation.TagRow(
            entry: key("a1x", site: "t"), fact: "A", isReEntry: false, hardNegative: "", noise: [],
            copyKind: "interface_copy")
        let elsewhere = [Eval.GroupRow(entry: otherSite.entry, group: "g", isReEntry: false)]
        #expect(TaggedEvaluation.standingIn(tags: tags + [otherSite], groups: elsewhere).standingIn.isEmpty)
    }
}
