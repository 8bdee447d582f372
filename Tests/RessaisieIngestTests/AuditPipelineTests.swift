import Foundation
import RessaisieCore
import RessaisieIngest
import TestSupport
import Testing

/// The library entry point the command line calls (`AuditPipeline`): read, link, match, count.
@Suite("Audit pipeline")
struct AuditPipelineTests {
    @Test("the demo through the library: every entry of the three sites, the tool's linker, the same figures twice")
    func demo() throws {
        let key = Pseudonymizer(keyBytes: Array("a fixed key for the pipeline test".utf8))
        var settings = AuditPipeline.Settings(inputs: [PackagePaths.fixture("demo")])
        settings.jobs = 2
        var loadedCalls = 0
        let run = try AuditPipeline(settings, pseudonymizer: key, matching: { _ in loadedCalls += 1 })
        #expect(loadedCalls == 1)
        #expect(run.loaded.store.count == 478)
        #expect(run.analysis.metrics.sites.count == 3)
        #expect(run.analysis.metrics.totals.entries == 478)
        #expect(run.analysis.metrics.totals.reEntries > 0)
        #expect(run.linker.name == ProbabilisticLinker().name)
        #expect(run.started <= run.loadedAt && run.loadedAt <= run.analyzedAt)
        let again = try AuditPipeline(settings, pseudonymizer: key)
        #expect(again.analysis.metrics.totals.reEntries == run.analysis.metrics.totals.reEntries)
        #expect(again.analysis.groups.count == run.analysis.groups.count)
    }

    @Test("data quality completed by detection; sites' types from audit.toml over the settings file's")
    func qualityAndSites() throws {
        let key = Pseudonymizer(keyBytes: Array("a fixed key for the pipeline test".utf8))
        var settings = AuditPipeline.Settings(inputs: [PackagePaths.fixture("demo")])
        settings.configuration.siteProfiles = [
            "ehpad-les-tilleuls": SiteProfile(kind: .ehpad), "msp-du-parc": SiteProfile(kind: .msp),
        ]
        settings.configuration.comparison.minimumSites = 2
        var toml = AuditFile()
        toml.sites = ["ehpad-les-tilleuls": SiteProfile(kind: .other, region: "IDF")]
        settings.auditFile = toml
        #expect(settings.siteProfiles["ehpad-les-tilleuls"] == SiteProfile(kind: .other, region: "IDF"))
        #expect(settings.siteProfiles["msp-du-parc"] == SiteProfile(kind: .msp))
        #expect(settings.comparison.minimumSites == 2)
        toml.comparison = ComparisonSettings(minimumSites: 3)
        settings.auditFile = toml
        #expect(settings.comparison.minimumSites == 3)

        let run = try AuditPipeline(settings, pseudonymizer: key)
        #expect(run.quality.republished == run.loaded.quality.republished + run.analysis.republished.count)
        #expect(run.quality.interfaceCopies == run.analysis.interfaceCopies.count)
        #expect(run.quality.rowsRejected == run.loaded.quality.rowsRejected)
    }
}
