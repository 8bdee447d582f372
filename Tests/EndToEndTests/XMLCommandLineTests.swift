import Foundation
import TestSupport
import Testing

/// XML exports through the built binary: exit codes of hostile files, a mixed audit.
@Suite("XML on the command line")
struct XMLCommandLineTests {
    static let xxe = """
        <?xml version="1.0"?>
        <!DOCTYPE Bundle [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
        <Bundle xmlns="http://hl7.org/fhir"><entry><resource><Communication><id value="c"/>
        <payload><contentString value="&secret;"/></payload></Communication></resource></entry></Bundle>
        """

    @Test("a hostile XML file exits 65 with file, line and reason; without --strict it is counted")
    func hostile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("site/dpi.xml", Self.xxe)
        let strict = try BinaryRunner.run(["analyze", folder.path, "--key-file", keyFile, "--strict"])
        #expect(strict.status == 65)
        #expect(strict.stderr.contains("dpi.xml:2: the DOCTYPE declares entities"))
        #expect(!strict.stderr.contains("root:") && !strict.stdout.contains("root:"))
        let alone = try BinaryRunner.run(["analyze", folder.path, "--key-file", keyFile])
        #expect(alone.status == 65)
        try folder.write(
            "site/sip.xml",
            String(
                decoding: try Data(contentsOf: URL(fileURLWithPath: PackagePaths.fixture("xml/fhir/sip-bundle.xml"))),
                as: UTF8.self))
        let lenient = try BinaryRunner.run(["analyze", folder.path, "--key-file", keyFile, "--format", "json"])
        #expect(lenient.status == 0)
        let quality = try #require(try jsonObject(lenient.stdout)["data_quality"] as? [String: Any])
        #expect((quality["rejected_by_reason"] as? [String: Int])?["invalid_xml"] == 1)
        #expect(quality["entries"] as? Int == 5)
    }

    @Test("CDA, FHIR and C-CDA fixtures read together")
    func fixtures() throws {
        let result = try BinaryRunner.run([
            "analyze", PackagePaths.fixture("xml/cda"), PackagePaths.fixture("xml/fhir"), "--key-file", keyFile,
            "--format", "json",
        ])
        // The folders' names carry no system: the files' names do (dpi-nested.xml, sip-bundle.xml).
        #expect(result.status == 0, "\(result.stderr)")
        let quality = try #require(try jsonObject(result.stdout)["data_quality"] as? [String: Any])
        #expect(quality["entries"] as? Int == 11)
    }
}
