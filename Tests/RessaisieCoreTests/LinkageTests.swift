import RessaisieCore
import TestSupport
import Testing

@Suite("Patient linkage v1")
struct LinkageTests {
    @Test("same INS links across systems; same traits link when INS is missing on a side")
    func insAndTraits() {
        var builder = StoreBuilder()
        let a = builder.patient("s", .dpi, "IPP1", ins: "INS-1", traits: "dupont|marie|1940-01-01|f")
        let b = builder.patient("s", .dui, "R-9", ins: "INS-1")
        let c = builder.patient("s", .sip, "P-3", traits: "dupont|marie|1940-01-01|f")
        let d = builder.patient("s", .dui, "R-10", traits: "martin|jean|1935-05-05|m")
        let linkage = DeterministicLinker().link(builder.store.patients)
        #expect(linkage.person[Int(a)] == linkage.person[Int(b)])
        #expect(linkage.person[Int(a)] == linkage.person[Int(c)])
        #expect(linkage.person[Int(a)] != linkage.person[Int(d)])
        #expect(linkage.personCount == 2)
        #expect(linkage.linksByINS == 1)
        #expect(linkage.linksByTraits == 1)
    }

    @Test("homonyms with different INS stay two persons")
    func homonyms() {
        var builder = StoreBuilder()
        let a = builder.patient("s", .dpi, "IPP1", ins: "INS-1", traits: "martin|jean|1940-01-01|m")
        let b = builder.patient("s", .dui, "R-1", ins: "INS-2", traits: "martin|jean|1940-01-01|m")
        let linkage = DeterministicLinker().link(builder.store.patients)
        #expect(linkage.person[Int(a)] != linkage.person[Int(b)])
        #expect(linkage.refusedByINS == 1)
    }

    @Test("a trait-only record joins the first INS holder, never both homonyms")
    func ambiguousTraits() {
        var builder = StoreBuilder()
        let a = builder.patient("s", .dpi, "IPP1", ins: "INS-1", traits: "t")
        let b = builder.patient("s", .dui, "R-1", ins: "INS-2", traits: "t")
        let c = builder.patient("s", .sip, "P-1", traits: "t")
        let linkage = DeterministicLinker().link(builder.store.patients)
        #expect(linkage.person[Int(a)] != linkage.person[Int(b)])
        #expect(linkage.person[Int(c)] == linkage.person[Int(a)])
    }

    @Test("no linkage across sites")
    func sites() {
        var builder = StoreBuilder()
        let a = builder.patient("s1", .dpi, "IPP1", ins: "INS-1")
        let b = builder.patient("s2", .dpi, "IPP1", ins: "INS-1")
        let linkage = DeterministicLinker().link(builder.store.patients)
        #expect(linkage.person[Int(a)] != linkage.person[Int(b)])
    }

    @Test("records without identity stay alone")
    func alone() {
        var builder = StoreBuilder()
        builder.patient("s", .dpi, "IPP1")
        builder.patient("s", .dui, "IPP1")
        #expect(DeterministicLinker().link(builder.store.patients).personCount == 2)
    }
}

@Suite("Identity duplicates in the metrics")
struct IdentityDuplicateMetricsTests {
    @Test("two local ids of one system joined by the linker count once for that system and site")
    func perSystem() throws {
        var builder = StoreBuilder()
        builder.patient("s", .dpi, "P1", traits: "t")
        builder.patient("s", .dpi, "P2", traits: "t")
        builder.patient("s", .dui, "R1", traits: "t")
        builder.patient("s", .dui, "R2", traits: "u")
        builder.patient("z", .dpi, "P1", traits: "t")
        builder.entry("e1", site: "s", system: .dpi, patient: "P1", label: "T", value: "37", at: 0)
        builder.entry("e2", site: "z", system: .dpi, patient: "P1", label: "T", value: "37", at: 0)
        let linkage = ProbabilisticLinker().link(builder.store.patients)
        let metrics = AuditMetrics(store: builder.store, linkage: linkage, groups: [])
        let site = try #require(metrics.sites.first { $0.site == "s" })
        #expect(site.bySystem[.dpi]?.identityDuplicates == 1)
        #expect(site.bySystem[.dui]?.identityDuplicates ?? 0 == 0)
        #expect(metrics.sites.first { $0.site == "z" }?.bySystem[.dpi]?.identityDuplicates ?? 0 == 0)
        #expect(metrics.totals.bySystem[.dpi]?.identityDuplicates == 1)
    }
}
