import Foundation
import RessaisieCore
import TestSupport
import Testing

@testable import RessaisieIngest

/// Keeps what `EntryListing` hands over.
private final class Collector: EntrySink, @unchecked Sendable {  // one reading thread
    var entries: [ListedEntry] = []
    func entry(_ entry: ListedEntry) { entries.append(entry) }
}

/// The entries listed from `files` (relative path → contents), read from a fresh folder.
private func listed(_ files: [String: String]) throws -> [ListedEntry] {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    for (path, contents) in files { try folder.write(path, contents) }
    let collector = Collector()
    _ = try EntryListing.read(
        paths: [folder.path], pseudonymizer: Pseudonymizer(keyBytes: Array("0123456789abcdef0123".utf8)),
        options: IngestOptions(strict: true), into: collector)
    return collector.entries
}

/// A CDA document holding `body` (sections) in its structured body.
private func cda(_ body: String) -> String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
      <id root="1.2.250.1.999.1" extension="DOC-V"/>
      <effectiveTime value="20260304120000+0100"/>
      <recordTarget><patientRole><id root="1.2.250.1.999.2" extension="IPP-1"/></patientRole></recordTarget>
      <component><structuredBody>\(body)</structuredBody></component>
    </ClinicalDocument>
    """
}

/// A section with what comes before its entries (`head`: code, templateId, title) and one observation
/// whose code is `code`.
private func section(_ head: String, observationCode code: String = "X-1", id: String = "OBS-1") -> String {
    """
    <component><section>\(head)
      <entry><observation classCode="OBS" moodCode="EVN"><id extension="\(id)"/>
        <code code="\(code)" codeSystem="2.16.840.1.113883.6.1" displayName="Mesure"/>
        <value xsi:type="PQ" value="70" unit="kg"/></observation></entry>
    </section></component>
    """
}

/// Categories as the analysis sees them: a CDA `observation` (results, and an observation of no known
/// section) is a `note` through the shipped vocabulary.
@Suite("CDA sections without a known code")
struct CDASectionCategoryTests {
    @Test(
        "a section's title gives its category, in French or English",
        arguments: [
            ("Signes vitaux", "vital_sign"), ("VITAL SIGNS", "vital_sign"),
            ("Allergies et hypersensibilités", "allergy"),
            ("Allergies, Adverse Reactions, Alerts", "allergy"), ("Traitements au long cours", "medication"),
            ("Médicaments", "medication"), ("Problèmes actifs", "diagnosis"), ("Antécédents médicaux", "diagnosis"),
            ("Plan de soins", "care_plan"), ("Plan de traitement", "care_plan"), ("Résultats d'examens", "note"),
            ("Notes de l'équipe", "note"), ("Divers", "note"),
        ])
    func title(title: String, category: String) throws {
        let entries = try listed(["s/dpi.xml": cda(section("<title>\(title)</title>"))])
        #expect(entries.map { $0[.category] } == [category])
    }

    @Test(
        "a section's templateId gives its category (IHE PCC, CI-SIS, CCD, C-CDA)",
        arguments: [
            ("1.3.6.1.4.1.19376.1.5.3.1.1.5.3.2", "vital_sign"), ("1.2.250.1.213.1.1.2.75", "vital_sign"),
            ("2.16.840.1.113883.10.20.22.2.4.1", "vital_sign"), ("2.16.840.1.113883.10.20.22.2.6.1", "allergy"),
            ("1.3.6.1.4.1.19376.1.5.3.1.3.13", "allergy"), ("2.16.840.1.113883.10.20.22.2.1.1", "medication"),
            ("2.16.840.1.113883.10.20.22.2.5.1", "diagnosis"), ("2.16.840.1.113883.10.20.22.2.10", "care_plan"),
            ("2.16.840.1.113883.10.20.22.2.65", "note"), ("2.16.840.1.113883.10.20.1.8", "medication"),
        ])
    func templateID(root: String, category: String) throws {
        // An unknown LOINC code first: it says nothing, the template id does.
        let head = #"<templateId root="\#(root)"/><code code="99999-9" codeSystem="2.16.840.1.113883.6.1"/>"#
        let entries = try listed(["s/dpi.xml": cda(section(head))])
        #expect(entries.map { $0[.category] } == [category])
    }

    @Test(
        "an observation's own vital-sign LOINC code makes it a vital sign when its section says nothing",
        arguments: [
            ("8867-4", "vital_sign"), ("8480-6", "vital_sign"), ("29463-7", "vital_sign"), ("2345-7", "note"),
        ])
    func statementCode(code: String, category: String) throws {
        let entries = try listed(["s/dpi.xml": cda(section("", observationCode: code))])
        #expect(entries.map { $0[.category] } == [category])
    }

    @Test("precedence: section code, then templateId, then the statement's code, then the title")
    func precedence() throws {
        let vitalTemplate = #"<templateId root="2.16.840.1.113883.10.20.22.2.4.1"/>"#
        let body = [
            // Code (medications) over template id (vital signs).
            section(
                vitalTemplate + #"<code code="10160-0"/><title>Signes vitaux</title>"#, observationCode: "8867-4",
                id: "A"),
            // Template id (allergies) over the statement's code and the title.
            section(
                #"<templateId root="2.16.840.1.113883.10.20.22.2.6.1"/><title>Signes vitaux</title>"#,
                observationCode: "8867-4", id: "B"),
            // The statement's code (heart rate) over the title.
            section("<title>Traitements</title>", observationCode: "8867-4", id: "C"),
            // The title when the statement's code says nothing.
            section("<title>Traitements</title>", observationCode: "2345-7", id: "D"),
        ].joined()
        let entries = try listed(["s/dpi.xml": cda(body)])
        #expect(entries.map { $0[.category] } == ["medication", "allergy", "vital_sign", "medication"])
    }

    @Test("a nested section without anything to say takes its parent's category")
    func nested() throws {
        let inner = section("<title>Divers</title>")
        let body =
            #"<component><section><templateId root="1.3.6.1.4.1.19376.1.5.3.1.3.6"/>\#(inner)</section></component>"#
        #expect(try listed(["s/dpi.xml": cda(body)]).map { $0[.category] } == ["diagnosis"])
    }
}

@Suite("Drug names wherever exports put them")
struct DrugNameTests {
    /// A medication section with one substance administration whose statement code is `code` and whose
    /// material is `material`.
    private func medication(code: String = "", material: String) -> String {
        cda(
            """
            <component><section><code code="10160-0"/>
              <entry><substanceAdministration classCode="SBADM" moodCode="EVN"><id extension="MED-1"/>\(code)
                <consumable><manufacturedProduct><manufacturedMaterial>\(material)</manufacturedMaterial></manufacturedProduct></consumable>
              </substanceAdministration></entry>
            </section></component>
            """)
    }

    @Test(
        "CDA: the material code's displayName, else its originalText, else a translation, else the material's name",
        arguments: [
            (
                #"<code code="63564053" displayName="PLAVIX 75 mg, comprimé"><originalText>Plavix</originalText></code><name>PLAVIX</name>"#,
                "PLAVIX 75 mg, comprimé"
            ),
            (
                #"<code code="63564053"><originalText>Plavix 75</originalText><translation code="1" displayName="Clopidogrel"/></code>"#,
                "Plavix 75"
            ),
            (
                ##"<code code="63564053"><originalText><reference value="#med-1"/></originalText><translation code="1" displayName="Clopidogrel 75 mg"/></code><name>PLAVIX</name>"##,
                "Clopidogrel 75 mg"
            ),
            (#"<code nullFlavor="UNK"/><name>COUMADINE 5mg</name>"#, "COUMADINE 5mg"),
        ])
    func cdaMaterial(material: String, label: String) throws {
        let entries = try listed(["s/dpi.xml": medication(material: material)])
        #expect(entries.map { $0[.label] } == [label])
        #expect(entries.map { $0[.category] } == ["medication"])
    }

    @Test("CDA: the drug's name comes before the substance administration's own code")
    func drugBeforeStatementCode() throws {
        let entries = try listed([
            "s/dpi.xml": medication(
                code: #"<code code="DRUG" displayName="Administration"/>"#, material: "<name>DOLIPRANE 1000 mg</name>")
        ])
        #expect(entries.map { $0[.label] } == ["DOLIPRANE 1000 mg"])
        let withoutDrug = try listed([
            "s/dpi.xml": medication(code: #"<code code="DRUG" displayName="Administration"/>"#, material: "")
        ])
        #expect(withoutDrug.map { $0[.label] } == ["Administration"])
    }

    /// A FHIR bundle with a patient and `resources` (each an entry's resource XML).
    private func bundle(_ resources: [String]) -> String {
        let entries = ([#"<Patient><id value="p1"/></Patient>"#] + resources).map {
            "<entry><resource>\($0)</resource></entry>"
        }
        return #"<Bundle xmlns="http://hl7.org/fhir"><type value="collection"/>\#(entries.joined())</Bundle>"#
    }

    private func statement(_ id: String, _ medication: String, contained: String = "") -> String {
        """
        <MedicationStatement><id value="\(id)"/>\(contained)<status value="active"/>\(medication)
        <subject><reference value="Patient/p1"/></subject><dateAsserted value="2026-03-04T10:00:00+01:00"/></MedicationStatement>
        """
    }

    @Test(
        "FHIR: medicationCodeableConcept text or coding display; medicationReference to a contained or bundled Medication, else its display"
    )
    func fhir() throws {
        let containedMedication =
            #"<contained><Medication><id value="m"/><code><text value="Paracétamol 500 mg"/></code></Medication></contained>"#
        let resources = [
            statement(
                "s1",
                #"<medicationCodeableConcept><coding><display value="Amoxicilline 1 g"/></coding><text value="Clamoxyl 1 g"/></medicationCodeableConcept>"#
            ),
            statement(
                "s2",
                #"<medicationCodeableConcept><coding><system value="x"/><display value="Amoxicilline 1 g"/></coding></medicationCodeableConcept>"#
            ),
            statement(
                "s3", ##"<medicationReference><reference value="#m"/><display value="autre"/></medicationReference>"##,
                contained: containedMedication),
            statement("s4", #"<medicationReference><reference value="Medication/m2"/></medicationReference>"#),
            statement(
                "s5",
                #"<medicationReference><reference value="Medication/absent"/><display value="Lasilix 40 mg"/></medicationReference>"#
            ),
            #"<Medication><id value="m2"/><code><coding><display value="Kardégic 75 mg"/></coding></code></Medication>"#,
        ]
        let entries = try listed(["s/sip.xml": bundle(resources)])
        #expect(entries.map { $0[.recordID] } == ["s1", "s2", "s3", "s4", "s5"])
        #expect(
            entries.map { $0[.label] } == [
                "Clamoxyl 1 g", "Amoxicilline 1 g", "Paracétamol 500 mg", "Kardégic 75 mg", "Lasilix 40 mg",
            ])
        #expect(Set(entries.map { $0[.category] }) == ["medication"])
    }
}
