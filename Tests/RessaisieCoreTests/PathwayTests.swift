import RessaisieCore
import TestSupport
import Testing

/// Pathways across organizations: facts of a patient known to two sites, typed at one and typed again at the
/// other, counted apart from each site's figures.
@Suite("Pathways across organizations")
struct PathwayTests {
    static let day: Int64 = 1440

    func detect(_ store: EntryStore, windowDays: Int = PathwayDetector.defaultWindowDays) -> PathwayDetector.Result {
        let linkage = DeterministicLinker().link(store.patients)
        let detection = ReEntryDetector().detect(in: store, linkage: linkage)
        return PathwayDetector(windowDays: windowDays).detect(
            in: store, linkage: linkage, groups: detection.groups,
            setAside: detection.republished + detection.interfaceCopies.map(\.copy))
    }

    /// Each pair as `original→re-entry` record ids.
    func names(_ result: PathwayDetector.Result, _ store: EntryStore) -> [String] {
        result.pairs.map {
            store.recordID(of: store.entries[$0.original]) + "→" + store.recordID(of: store.entries[$0.reEntry])
        }
    }

    /// The sketch of normalized words.
    static func sketch(_ text: String) -> TextSketch {
        Array(text.utf8).withUnsafeBytes { TextSketch(normalizedText: $0, head: 0) }
    }

    func flow(_ result: PathwayDetector.Result, _ from: String, _ to: String) -> PathwayFlow? {
        result.flows.first { $0.fromSite == from && $0.toSite == to }
    }

    /// A hospital discharges one patient (same INS) to an EHPAD, which re-types what the hospital typed.
    func discharge(_ add: (inout StoreBuilder) -> Void = { _ in }) -> EntryStore {
        var builder = StoreBuilder()
        builder.patient("ch", .dpi, "IPP1", ins: "INS-1")
        builder.patient("ehpad", .dui, "R-1", ins: "INS-1")
        builder.patient("ehpad", .sip, "P-1", ins: "INS-1")
        builder.entry(
            "ch-1", site: "ch", system: .dpi, patient: "IPP1", category: "allergy", label: "Allergie",
            text: "Pénicilline", at: 0)
        builder.entry(
            "ch-2", site: "ch", system: .dpi, patient: "IPP1", category: "diagnosis", label: "Diagnostic",
            text: "Diabète de type 2", at: 60)
        builder.entry(
            "ch-3", site: "ch", system: .dpi, patient: "IPP1", category: "note", label: "Transmission", text: "RAS",
            at: 120)
        // Three days later at the EHPAD: the allergy (then again into its SIP, a per-site re-entry), the diagnosis
        // as typed, a routine note, and another diagnosis (another fact).
        builder.entry(
            "e-1", site: "ehpad", system: .dui, patient: "R-1", category: "allergy", label: "Allergie",
            text: "PENICILLINE", at: 3 * Self.day)
        builder.entry(
            "e-2", site: "ehpad", system: .sip, patient: "P-1", category: "allergy", label: "Allergie",
            text: "pénicilline", at: 3 * Self.day + 30)
        builder.entry(
            "e-3", site: "ehpad", system: .dui, patient: "R-1", category: "diagnosis", label: "Diagnostic",
            text: "diabete de type 2", at: 4 * Self.day)
        builder.entry(
            "e-4", site: "ehpad", system: .dui, patient: "R-1", category: "note", label: "Transmission", text: "RAS",
            at: 4 * Self.day)
        builder.entry(
            "e-5", site: "ehpad", system: .dui, patient: "R-1", category: "diagnosis", label: "Diagnostic",
            text: "Hypertension artérielle", at: 4 * Self.day + 10)
        add(&builder)
        return builder.store
    }

    @Test("facts typed at the hospital, re-typed at the EHPAD: counted per pair of sites and category, once each")
    func twoSites() {
        let store = discharge()
        let result = detect(store)
        let forward = flow(result, "ch", "ehpad")
        #expect(forward?.sharedPatients == 1)
        #expect(forward?.sharedByINS == 1)
        // The allergy once (its per-site re-entry into the SIP is the EHPAD's own), the diagnosis; not the
        // routine note, not the other diagnosis.
        #expect(forward?.reEntries == 2)
        #expect(forward?.byCategory == ["allergy": 1, "diagnosis": 1])
        #expect(flow(result, "ehpad", "ch")?.reEntries == 0)
        #expect(flow(result, "ehpad", "ch")?.sharedPatients == 1)
        let pairs = names(result, store)
        #expect(pairs == ["ch-1→e-1", "ch-2→e-3"])
        #expect(result.pairs.allSatisfy { $0.linkedBy == .ins })
    }

    @Test("the per-site figures do not change: the same groups with and without a second site")
    func perSiteUnchanged() {
        let store = discharge()
        let linkage = DeterministicLinker().link(store.patients)
        let groups = ReEntryDetector().detect(in: store, linkage: linkage).groups
        #expect(StoreBuilder.recordIDs(of: groups, in: store) == [["e-1", "e-2"]])
    }

    @Test("patients not linked across sites: no pathway, whatever their entries say")
    func unlinked() {
        var builder = StoreBuilder()
        builder.patient("ch", .dpi, "IPP1", ins: "INS-1")
        builder.patient("ehpad", .dui, "R-1", ins: "INS-2")
        builder.patient("ehpad", .dui, "R-2")
        builder.entry(
            "ch-1", site: "ch", system: .dpi, patient: "IPP1", category: "allergy", label: "Allergie", text: "Latex",
            at: 0)
        builder.entry(
            "e-1", site: "ehpad", system: .dui, patient: "R-1", category: "allergy", label: "Allergie", text: "Latex",
            at: Self.day)
        builder.entry(
            "e-2", site: "ehpad", system: .dui, patient: "R-2", category: "allergy", label: "Allergie", text: "Latex",
            at: Self.day)
        let result = detect(builder.store)
        #expect(result.flows.isEmpty)
        #expect(result.pairs.isEmpty)
        #expect(result.linkage.sharedPatients == 0)
    }

    @Test("identity traits link two sites only when they name one person at each; different INS never")
    func traits() {
        var builder = StoreBuilder()
        // Exact traits, no INS at the EHPAD: linked by traits.
        builder.patient("ch", .dpi, "IPP1", ins: "INS-1", traits: "dupont|marie|1940-01-01|f")
        builder.patient("ehpad", .dui, "R-1", traits: "dupont|marie|1940-01-01|f")
        // The same traits for two persons of the hospital: ambiguous, never used.
        builder.patient("ch", .dpi, "IPP2", ins: "INS-2", traits: "martin|jean|1935-05-05|m")
        builder.patient("ch", .dpi, "IPP3", ins: "INS-3", traits: "martin|jean|1935-05-05|m")
        builder.patient("ehpad", .dui, "R-2", traits: "martin|jean|1935-05-05|m")
        // The same traits, different INS: homonyms.
        builder.patient("ch", .dpi, "IPP4", ins: "INS-4", traits: "durand|paul|1950-02-02|m")
        builder.patient("ehpad", .dui, "R-4", ins: "INS-5", traits: "durand|paul|1950-02-02|m")
        let linkage = CrossSiteLinkage(
            patients: builder.store.patients, linkage: DeterministicLinker().link(builder.store.patients))
        #expect(linkage.sharedPatients == 1)
        #expect(linkage.linksByTraits == 1)
        #expect(linkage.refusedAsAmbiguous == 1)
        #expect(linkage.refusedByINS == 1)
        #expect(linkage.method(0, 1) == .traits)
    }

    /// Identity features of a birth name, first given name, birth date and sex, as ingest keys them (here by a
    /// plain stable hash: only equality counts).
    static func features(_ name: String, _ given: String, _ year: Int, _ month: Int, _ day: Int, _ sex: UInt8)
        -> IdentityFeatures
    {
        func hash(_ text: String) -> UInt32 { UInt32(truncatingIfNeeded: StableHasher.hash(text)) | 1 }
        var features = IdentityFeatures()
        features.birthNameHash = hash("name " + name)
        features.givenNameHash = hash("name " + given)
        features.birthDate = hash("date \(year)-\(month)-\(day)")
        features.birthDateSwapped = hash("date \(year)-\(day)-\(month)")
        features.birthYear = hash("year \(year)")
        features.birthMonth = hash("month \(month)")
        features.birthDay = hash("day \(day)")
        features.sex = sex
        return features
    }

    @Test("a birth date mistyped at one site links two persons whose names and sex agree, each the other's only one")
    func typoBirthDate() {
        var builder = StoreBuilder()
        // Marie Dupont: her birth date with day and month swapped at the EHPAD, no INS there.
        builder.patient("ch", .dpi, "IPP1", ins: "INS-1", traits: "dupont|marie|1940-06-11|f")
        builder.patient("ehpad", .dui, "R-1", traits: "dupont|marie|1940-11-06|f")
        // Jean Martin: one component of the date mistyped (the day).
        builder.patient("ch", .dpi, "IPP2", ins: "INS-2", traits: "martin|jean|1935-05-05|m")
        builder.patient("ehpad", .dui, "R-2", traits: "martin|jean|1935-05-08|m")
        // Paul Durand at the hospital, two Paul Durand at the EHPAD a typo apart each: ambiguous, never joined.
        builder.patient("ch", .dpi, "IPP3", ins: "INS-3", traits: "durand|paul|1950-02-02|m")
        builder.patient("ehpad", .dui, "R-3", traits: "durand|paul|1950-02-03|m")
        builder.patient("ehpad", .dui, "R-4", traits: "durand|paul|1950-02-04|m")
        // Another first given name, the same swapped date: another person.
        builder.patient("ch", .dpi, "IPP5", ins: "INS-5", traits: "petit|anne|1960-03-04|f")
        builder.patient("ehpad", .dui, "R-5", traits: "petit|annie|1960-04-03|f")
        var records = builder.store.patients
        let identities: [IdentityFeatures] = [
            Self.features("dupont", "marie", 1940, 6, 11, 2), Self.features("dupont", "marie", 1940, 11, 6, 2),
            Self.features("martin", "jean", 1935, 5, 5, 1), Self.features("martin", "jean", 1935, 5, 8, 1),
            Self.features("durand", "paul", 1950, 2, 2, 1), Self.features("durand", "paul", 1950, 2, 3, 1),
            Self.features("durand", "paul", 1950, 2, 4, 1),
            Self.features("petit", "anne", 1960, 3, 4, 2), Self.features("petit", "annie", 1960, 4, 3, 2),
        ]
        for index in records.indices { records[index].features = identities[index] }
        let perSite = DeterministicLinker().link(records)
        let linkage = CrossSiteLinkage(patients: records, linkage: perSite)
        func patient(_ record: Int) -> UInt32? { linkage.patient[Int(perSite.person[record])] }
        #expect(linkage.sharedPatients == 2)
        #expect(linkage.linksByTypoDate == 2)
        #expect(linkage.linksByTraits == 2)
        #expect(patient(0) != nil && patient(0) == patient(1))
        #expect(patient(2) != nil && patient(2) == patient(3))
        #expect(patient(4) == nil && patient(5) == nil && patient(6) == nil)
        #expect(patient(7) == nil && patient(8) == nil)
    }

    @Test("an allergy with words cut at both sites and one mistyped is the same fact; another reaction is not")
    func cutAndMistyped() {
        let store = discharge { builder in
            builder.entry(
                "ch-7", site: "ch", system: .dpi, patient: "IPP1", category: "allergy", label: "Allergie",
                text: "Latex : éruption cutanée", at: 200)
            builder.entry(
                "e-7", site: "ehpad", system: .dui, patient: "R-1", category: "allergy", label: "Allergie",
                text: "Latex : érup. cutannée", at: 3 * Self.day + 100)
            builder.entry(
                "ch-8", site: "ch", system: .dpi, patient: "IPP1", category: "allergy", label: "Allergie",
                text: "Arachide : œdème de Quincke", at: 300)
            builder.entry(
                "e-8", site: "ehpad", system: .dui, patient: "R-1", category: "allergy", label: "Allergie",
                text: "Arachide : urticaire", at: 3 * Self.day + 200)
        }
        let result = detect(store)
        let pairs = names(result, store)
        #expect(pairs.contains("ch-7→e-7"))
        #expect(!pairs.contains { $0.hasSuffix("e-8") })
        // Cut words and a typo at once: tolerated across sites only (within a site, `typos` is 0).
        let words = ["latex eruption cutanee", "latex erup cutannee"].map(Self.sketch)
        #expect(!words[0].isWordTruncation(of: words[1]))
        #expect(words[0].isWordTruncation(of: words[1], typos: 1))
    }

    @Test("a care plan with words cut at both sites and one mistyped is the same fact; another diet is not")
    func carePlanCutAndMistyped() {
        // No label: short texts compared word by word (a system's heading label is learned boilerplate).
        let store = discharge { builder in
            builder.entry(
                "ch-11", site: "ch", system: .dpi, patient: "IPP1", category: "care_plan", label: "",
                text: "Régime mixé, eau gélifiée", at: 400)
            builder.entry(
                "e-11", site: "ehpad", system: .dui, patient: "R-1", category: "care_plan", label: "",
                text: "Régmie mixé, eau géli.", at: 3 * Self.day + 300)
            builder.entry(
                "ch-12", site: "ch", system: .dpi, patient: "IPP1", category: "care_plan", label: "",
                text: "Lever au fauteuil le matin", at: 500)
            builder.entry(
                "e-12", site: "ehpad", system: .dui, patient: "R-1", category: "care_plan", label: "",
                text: "Lever au fauteuil le soir", at: 3 * Self.day + 400)
        }
        let result = detect(store)
        let pairs = names(result, store)
        #expect(pairs.contains("ch-11→e-11"))
        #expect(!pairs.contains { $0.hasSuffix("e-12") })
    }

    @Test("an allergy kept to its first words at one site, cut short at the other, is the same fact; another is not")
    func keyPartCutAndKeptToFirstWords() {
        let store = discharge { builder in
            // Long: compared on its first words (`allergie sparadrap irritation`), the rest cut off.
            builder.entry(
                "ch-13", site: "ch", system: .dpi, patient: "IPP1", category: "allergy", label: "Allergie",
                text: "Sparadrap : irritation cutanée étendue", at: 600)
            builder.entry(
                "e-13", site: "ehpad", system: .dui, patient: "R-1", category: "allergy", label: "Allergie",
                text: "Spa. : irr. cut. étendue", at: 3 * Self.day + 500)
            builder.entry(
                "e-14", site: "ehpad", system: .dui, patient: "R-1", category: "allergy", label: "Allergie",
                text: "Sparadrap : prurit", at: 3 * Self.day + 600)
        }
        let result = detect(store)
        let pairs = names(result, store)
        #expect(pairs.contains("ch-13→e-13"))
        #expect(!pairs.contains { $0.hasSuffix("e-14") })
        let sketch = Self.sketch
        // Words one for one, the rest of the longer cut off; a typo and cut words tolerated, never another word,
        // and never fewer than three words or half of the other's.
        #expect(sketch("allergie produits ioeds").isWordPrefix(of: sketch("allergie pro iodes rea cutanee"), typos: 1))
        #expect(!sketch("allergie produits ioeds").isWordPrefix(of: sketch("allergie pro iodes rea cutanee")))
        #expect(!sketch("allergie sparadrap prurit").isWordPrefix(of: sketch("allergie sparadrap irritation")))
        #expect(!sketch("allergie latex").isWordPrefix(of: sketch("allergie latex urticaire")))
        #expect(!sketch("lever au fauteuil").isWordPrefix(of: sketch("lever au fauteuil apres le dejeuner puis")))
        #expect(!sketch("escarre stade 2").isWordPrefix(of: sketch("escarre stade 3 sacrum"), typos: 1))
    }

    @Test("beyond the window, or two different effective times: two facts, not a pathway")
    func windowAndEffectiveTimes() {
        let store = discharge { builder in
            builder.entry(
                "ch-9", site: "ch", system: .dpi, patient: "IPP1", category: "vital_sign", label: "Poids", value: "61",
                unit: "kg", at: 200, effective: 190)
            builder.entry(
                "e-9", site: "ehpad", system: .dui, patient: "R-1", category: "vital_sign", label: "Poids", value: "61",
                unit: "kg", at: 5 * Self.day, effective: 5 * Self.day - 10)
        }
        #expect(flow(detect(store), "ch", "ehpad")?.reEntries == 2)
        // With a window of two days, the diagnosis typed four days later is another fact; the allergy (three
        // days) too.
        #expect(flow(detect(store, windowDays: 2), "ch", "ehpad")?.reEntries == 0)
    }

    @Test("a measure copied with its effective time is a re-entry; a drug given every day at both sites is not")
    func recurring() {
        let store = discharge { builder in
            builder.entry(
                "ch-9", site: "ch", system: .dpi, patient: "IPP1", category: "vital_sign", label: "Poids", value: "61",
                unit: "kg", at: 200, effective: 190)
            builder.entry(
                "e-9", site: "ehpad", system: .dui, patient: "R-1", category: "vital_sign", label: "Poids", value: "61",
                unit: "kg", at: 5 * Self.day, effective: 190)
            for day in 0..<3 {
                builder.entry(
                    "ch-d\(day)", site: "ch", system: .dpi, patient: "IPP1", category: "medication", label: "Doliprane",
                    value: "1", unit: "g", at: Int64(day) * Self.day + 480)
                builder.entry(
                    "e-d\(day)", site: "ehpad", system: .dui, patient: "R-1", category: "medication",
                    label: "Doliprane", value: "1", unit: "g", at: Int64(day + 4) * Self.day + 480)
            }
        }
        #expect(flow(detect(store), "ch", "ehpad")?.byCategory == ["allergy": 1, "diagnosis": 1, "vital_sign": 1])
    }

    @Test("a fact that came to the EHPAD does not go back to the hospital")
    func noWayBack() {
        let store = discharge { builder in
            builder.entry(
                "ch-10", site: "ch", system: .dpi, patient: "IPP1", category: "diagnosis", label: "Diagnostic",
                text: "Diabète de type 2", at: 6 * Self.day)
        }
        let result = detect(store)
        #expect(flow(result, "ehpad", "ch")?.reEntries == 0)
        #expect(flow(result, "ch", "ehpad")?.reEntries == 2)
    }
}
