import Foundation
import RessaisieCore
import RessaisieIngest
import TestSupport
import Testing

/// `ressaisie inspect`'s outputs (`InspectionReport`): what the analyst reads, and the profile written.
@Suite("Inspection report")
struct InspectionReportTests {
    let vendorExport = PackagePaths.fixture("vendor/ehpad-les-tilleuls/dui-export-2026-03.csv")

    @Test("identifying samples are masked unless asked for; non-identifying ones are shown")
    func masking() throws {
        let inspection = try ExportInspector.inspect(path: vendorExport)
        let masked = InspectionReport.text(inspection, showValues: false)
        let shown = InspectionReport.text(inspection, showValues: true)
        #expect(masked.contains("header        line 3 (2 title lines above, skipped)"))
        #expect(masked.contains("decimal mark  ,"))
        for line in masked.split(separator: "\n") where line.contains("Nom de naissance") {
            #expect(line.hasSuffix("•••"), "\(line)")
        }
        #expect(masked.contains("T2026-24334"), "record ids are not identifying")
        #expect(!masked.contains("LEFEVRE") && shown.contains("LEFEVRE"))
    }

    @Test("the written profile reads back as the proposed one, each field commented with its confidence")
    func profile() throws {
        let inspection = try ExportInspector.inspect(path: vendorExport)
        let toml = InspectionReport.profileTOML(inspection)
        #expect(toml.contains("confidence 0.95: values are INS (15 digits, valid key)"))
        let parsed = try Profile.parse(toml, path: "proposed.profile.toml")
        #expect(parsed.fields == inspection.profile.fields)
        #expect(parsed.headerLine == inspection.profile.headerLine)
        #expect(
            InspectionReport.profileWritten(to: "p.toml", export: "exports/a/dui.csv")
                == "\nprofile written to p.toml: review it, then run\n  ressaisie analyze exports/a --profile p.toml\n")
    }
}
