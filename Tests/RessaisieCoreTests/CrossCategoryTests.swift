import RessaisieCore
import TestSupport
import Testing

/// Facts re-typed into another category (a care plan item written again in a note, a note summarized in an
/// administrative record), counted apart from each category's figures.
@Suite("Re-entries across categories")
struct CrossCategoryTests {
    static let carePlan =
        "Réfection du pansement de l'ulcère du talon droit tous les 2 jours, surveillance de la cicatrisation"

    func detect(
        _ store: EntryStore, pairs: [CrossCategoryDetector.CategoryPair] = CrossCategoryDetector.defaultPairs
    ) -> CrossCategoryDetector.Result {
        let linkage = DeterministicLinker().link(store.patients)
        let detection = ReEntryDetector().detect(in: store, linkage: linkage)
        return CrossCategoryDetector(pairs: pairs).detect(
            in: store, linkage: linkage, groups: detection.groups,
            setAside: detection.republished + detection.interfaceCopies.map(\.copy))
    }

    func recordPairs(_ result: CrossCategoryDetector.Result, _ store: EntryStore) -> [String] {
        result.pairs.map {
            store.recordID(of: store.entries[$0.original]) + "→" + store.recordID(of: store.entries[$0.reEntry])
        }
    }

    /// One patient known to the DPI and the DUI of one site (same INS), with a care plan item typed in the DPI.
    func site(_ add: (inout StoreBuilder) -> Void) -> EntryStore {
        var builder = StoreBuilder()
        builder.patient("ehpad", .dpi, "P1", ins: "INS-1")
        builder.patient("ehpad", .dui, "R1", ins: "INS-1")
        builder.entry(
            "plan-1", site: "ehpad", system: .dpi, patient: "P1", category: "care_plan", label: "Projet de soins",
            text: Self.carePlan, at: 0, author: "ide-a")
        add(&builder)
        return builder.store
    }

    @Test("a note repeating a care plan item: one re-entry, care plan → note, care → care")
    func repeated() {
        let store = site { builder in
            builder.entry(
                "note-1", site: "ehpad", system: .dui, patient: "R1", category: "note", label: "Transmission",
                text: "Réfection du pansement de l'ulcère du talon droit tous les 2 jours, surveillance cicatrisation",
                at: 180, author: "as-b")
        }
        let result = detect(store)
        #expect(recordPairs(result, store) == ["plan-1→note-1"])
        #expect(
            result.flows == [
                CrossCategoryFlow(site: "ehpad", fromCategory: "care_plan", toCategory: "note", reEntries: 1)
            ])
        #expect(result.flows.first?.fromPurpose == .care && result.flows.first?.toPurpose == .care)
    }

    @Test("a note naming another value, or sharing words but not the fact: no re-entry")
    func anotherFact() {
        let store = site { builder in
            builder.entry(
                "note-1", site: "ehpad", system: .dui, patient: "R1", category: "note", label: "Transmission",
                text: "Réfection du pansement de l'ulcère du talon droit tous les 3 jours, surveillance cicatrisation",
                at: 180, author: "as-b")
            builder.entry(
                "note-2", site: "ehpad", system: .dui, patient: "R1", category: "note", label: "Transmission",
                text: "Douleur du talon droit à la mobilisation, antalgique donné, famille prévenue de la chute",
                at: 200, author: "as-b")
            builder.entry(
                "admin-1", site: "ehpad", system: .dui, patient: "R1", category: "administrative",
                label: "Dossier administratif", text: "Pansement à la charge de la famille, surveillance du talon",
                at: 240, author: "sec-c")
        }
        #expect(detect(store).pairs.isEmpty)
    }

    @Test("a pair not compared, beyond the window, or one author filing one act twice: no re-entry")
    func notCompared() {
        let note = "Réfection du pansement de l'ulcère du talon droit tous les 2 jours, surveillance cicatrisation"
        let late = site { builder in
            builder.entry(
                "note-1", site: "ehpad", system: .dui, patient: "R1", category: "note", text: note, at: 5 * 1440,
                author: "as-b")
        }
        #expect(detect(late).pairs.isEmpty)
        let software = site { builder in
            builder.entry(
                "note-1", site: "ehpad", system: .dpi, patient: "P1", category: "note", text: note, at: 0,
                author: "ide-a", plusSeconds: 20)
        }
        #expect(detect(software).pairs.isEmpty)
        let store = site { builder in
            builder.entry(
                "note-1", site: "ehpad", system: .dui, patient: "R1", category: "note", text: note, at: 180,
                author: "as-b")
        }
        #expect(detect(store, pairs: CrossCategoryDetector.CategoryPair.parse("note->care_plan")!).pairs.isEmpty)
        #expect(detect(store, pairs: CrossCategoryDetector.CategoryPair.parse("care_plan->note")!).pairs.count == 1)
    }

    @Test("a note already re-typed within its category counts once across categories")
    func perSiteGroupOnce() {
        let note = "Réfection du pansement de l'ulcère du talon droit tous les 2 jours, surveillance cicatrisation"
        let store = site { builder in
            builder.entry(
                "note-1", site: "ehpad", system: .dui, patient: "R1", category: "note", text: note, at: 180,
                author: "as-b")
            builder.entry(
                "note-2", site: "ehpad", system: .dpi, patient: "P1", category: "note", text: note, at: 240,
                author: "as-b")
        }
        let linkage = DeterministicLinker().link(store.patients)
        #expect(
            StoreBuilder.recordIDs(of: ReEntryDetector().detect(in: store, linkage: linkage).groups, in: store)
                == [["note-1", "note-2"]])
        #expect(recordPairs(detect(store), store) == ["plan-1→note-1"])
    }

    @Test("routine notes never match")
    func routine() {
        var builder = StoreBuilder()
        builder.patient("ehpad", .dui, "R1", ins: "INS-1")
        builder.entry("n", site: "ehpad", system: .dui, patient: "R1", category: "note", text: "Nuit calme", at: 0)
        builder.entry(
            "a", site: "ehpad", system: .dui, patient: "R1", category: "administrative", text: "Nuit calme", at: 60,
            author: "x")
        #expect(detect(builder.store).pairs.isEmpty)
    }

    @Test("pairs of categories: both ways, one way, malformed")
    func parse() {
        typealias Pair = CrossCategoryDetector.CategoryPair
        #expect(
            Pair.parse("note <-> administrative")
                == [Pair(from: "note", to: "administrative"), Pair(from: "administrative", to: "note")])
        #expect(Pair.parse("vital_sign->note") == [Pair(from: "vital_sign", to: "note")])
        #expect(Pair.parse("note") == nil && Pair.parse("note->note") == nil && Pair.parse("->note") == nil)
        #expect(CrossCategoryDetector.defaultPairs.count == 9)
    }
}
