import RessaisieCore
import Testing

@testable import RessaisieIngest

/// Which files the learning pass reads before the audit is read.
@Suite("Boilerplate learning sample")
struct BoilerplateSamplingTests {
    @Test("each system of a site's folder is sampled: a large DPI export does not spend the DUI's budget")
    func everySystemSampled() {
        let files = [
            InputFile(path: "audit/ehpad/dpi.csv", site: "ehpad", system: .dpi),
            InputFile(path: "audit/ehpad/dui-export.csv", site: "ehpad", system: .dui),
            InputFile(path: "audit/ehpad/notes.csv", site: "ehpad", system: nil),
        ]
        let chosen = AuditLoader.boilerplateSampleFiles(files, sizes: [300 << 20, 90 << 20, 5 << 20], budget: 24 << 20)
        #expect(chosen.map(\.path) == files.map(\.path))
    }

    @Test("a folder of one-document files is sampled by its first files, up to the budget")
    func documentsUpToBudget() {
        let files = (0..<10).map {
            InputFile(path: "audit/ch/dpi/doc-\($0).xml", site: "ch", system: .dpi)
        }
        let other = InputFile(path: "audit/ch/sip/bundle-0.xml", site: "ch", system: .sip)
        let chosen = AuditLoader.boilerplateSampleFiles(
            files + [other], sizes: Array(repeating: 4, count: 10) + [4], budget: 10)
        // 4 + 4 + 4 reaches 10: the first three documents, and the SIP's own.
        #expect(chosen.map(\.path) == files.prefix(3).map(\.path) + [other.path])
    }
}
